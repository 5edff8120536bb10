/* libFuzzer: a libvirt domain from memory through parse, read, checks (no host files), fix and
 * write; what the writer prints must parse again. */
#include <stdint.h>
#include <stdlib.h>

#include "libvirt/domain_checks.h"
#include "libvirt/domain_fix.h"
#include "libvirt/domain_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lv_doc d = {0};
	struct vmconf vm = {0};
	struct err e = {0};
	if (lv_doc_parse((const char *)data, size, "fuzz.xml", &d, &e) < 0)
		return 0;
	if (lv_doc_read(&d, &vm, &e) == 0) {
		struct host_pci h = { 0x10de, 0x139b, 0x1028, 0x06e4, 0x030200 };
		int nv = vm.n_pci ? 0 : -1;
		struct lv_checks c = {0};
		for (int goal = LV_GOAL_NOUVEAU; goal <= LV_GOAL_WINDOWS; goal++)
			if (lv_checks_run(NULL, &vm, nv, &h, (enum lv_goal)goal, &c) == 0)
				lv_checks_clear(&c);
		struct strv acpi = {0}, done = {0};
		strv_push(&acpi, "/var/lib/libvirt/acpi/vbios-rom.aml");
		struct lv_fix_opts o = { .vbios = "/var/lib/libvirt/vbios/a.rom", .acpi = &acpi };
		if (nv >= 0 && lv_fix_apply(&d, &vm, nv, &h, &o, &done, &e) == 0) {
			char *out = NULL;
			size_t len = 0;
			if (lv_doc_write(&d, &out, &len) == 0) {
				struct lv_doc again = {0};
				if (lv_doc_parse(out, len, "fixed.xml", &again, &e) < 0)
					abort(); /* the fix wrote something that is not XML */
				lv_doc_free(&again);
				free(out);
			}
		}
		strv_clear(&acpi);
		strv_clear(&done);
	}
	vmconf_clear(&vm);
	lv_doc_free(&d);
	return 0;
}
