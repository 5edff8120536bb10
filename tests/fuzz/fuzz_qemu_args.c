/* libFuzzer: a QEMU command line (any of the accepted forms) through split, read and checks. */
#include <stdint.h>

#include "libvirt/domain_checks.h"
#include "libvirt/qemu_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strv args = {0};
	struct vmconf vm = {0};
	struct err e = {0};
	if (qemu_args_split((const char *)data, size, "fuzz.args", &args, &e) < 0)
		return 0;
	if (qemu_args_read(&args, &vm, &e) == 0) {
		struct host_pci h = { 0x10de, 0x139b, 0x1028, 0x06e4, 0x030200 };
		struct lv_checks c = {0};
		if (lv_checks_run(NULL, &vm, vm.n_pci ? (int)vm.n_pci - 1 : -1, &h, LV_GOAL_NVIDIA, &c) == 0)
			lv_checks_clear(&c);
	}
	vmconf_clear(&vm);
	strv_clear(&args);
	return 0;
}
