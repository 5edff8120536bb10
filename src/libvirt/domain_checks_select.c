/* Finding the NVIDIA hostdev of a VM definition. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libvirt/domain_checks.h"
#include "util/buf.h"
#include "util/cleanup.h"

static const char *describe(const struct vm_pci_hostdev *h, char buf[static 96])
{
	char a[16];
	int n = snprintf(buf, 96, "%s", vm_pci_addr(h, a));
	if (h->alias)
		n += snprintf(buf + n, (size_t)(96 - n), " (alias %s)", h->alias);
	if (h->line)
		snprintf(buf + n, (size_t)(96 - n), " at line %d", h->line);
	return buf;
}

static int absent(const struct root *r, const struct vm_pci_hostdev *h, struct err *e)
{
	char a[16], d[96];
	err_set(e, "the hostdev %s names host device %s, which is not in the host's sysfs ('%s/sys/bus/pci/devices/%s'); "
		"check the address with 'lspci -D' on the host (or --root for a recorded tree)",
		describe(h, d), vm_pci_addr(h, a), strcmp(r->path, "/") == 0 ? "" : r->path, a);
	return -ENOENT;
}

static bool matches(const struct vm_pci_hostdev *h, const char *want)
{
	unsigned d, b, s, f;
	if ((h->alias && strcmp(h->alias, want) == 0) || (!h->alias && h->auto_alias && strcmp(h->auto_alias, want) == 0))
		return true;
	return vm_parse_pci_addr(want, &d, &b, &s, &f) == 0 && d == h->domain && b == h->bus && s == h->slot && f == h->function;
}

int lv_select_nvidia(const struct root *r, const struct vmconf *vm, const char *want,
		     int *ret_idx, struct host_pci *ret_host, struct err *e)
{
	char a[16], d[96];
	*ret_idx = -1;
	if (want) {
		for (size_t i = 0; i < vm->n_pci; i++) {
			const struct vm_pci_hostdev *h = &vm->pci[i];
			if (!matches(h, want))
				continue;
			int rc = host_pci_read(r, vm_pci_addr(h, a), ret_host, e);
			if (rc == -ENOENT)
				return absent(r, h, e);
			if (rc < 0)
				return rc;
			if (!host_pci_is_nvidia_display(ret_host)) {
				err_set(e, "--hostdev %s: host device %s is %04x:%04x class 0x%06x, not an NVIDIA display device",
					want, a, ret_host->vendor, ret_host->device, ret_host->class_code);
				return -EINVAL;
			}
			*ret_idx = (int)i;
			return 0;
		}
		_cleanup_buf_ struct buf b = {0};
		for (size_t i = 0; i < vm->n_pci; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", describe(&vm->pci[i], d));
		err_set(e, "--hostdev %s: no PCI hostdev has that alias or host address; the definition has: %s",
			want, b.s ? b.s : "no PCI hostdev");
		return -EINVAL;
	}
	int first_absent = -1, found = -1;
	size_t count = 0;
	_cleanup_buf_ struct buf both = {0};
	for (size_t i = 0; i < vm->n_pci; i++) {
		struct host_pci hp;
		const struct vm_pci_hostdev *h = &vm->pci[i];
		int rc = host_pci_read(r, vm_pci_addr(h, a), &hp, e);
		if (rc == -ENOENT) {
			if (first_absent < 0)
				first_absent = (int)i;
			continue;
		}
		if (rc < 0)
			return rc;
		if (!host_pci_is_nvidia_display(&hp))
			continue;
		buf_printf(&both, "%s%s [%04x:%04x]", count ? ", " : "", describe(h, d), hp.vendor, hp.device);
		if (count++ == 0) {
			found = (int)i;
			*ret_host = hp;
		}
	}
	if (count > 1) {
		err_set(e, "the definition passes more than one NVIDIA card: %s; say which one is meant with --hostdev ADDRESS (or its alias)",
			both.s ? both.s : "");
		return -EINVAL;
	}
	if (found < 0 && first_absent >= 0)
		return absent(r, &vm->pci[first_absent], e);
	*ret_idx = found;
	return 0;
}
