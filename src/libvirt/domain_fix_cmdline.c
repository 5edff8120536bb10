/* Fixing a card given as -device vfio-pci in <qemu:commandline>: its -device argument itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "libvirt/domain_fix_int.h"
#include "util/buf.h"
#include "util/cleanup.h"

/* VALUE with KEY set to V (NULL: removed), in QEMU's key=value form, keeping the other items
 * as written; NULL on ENOMEM. *CHANGED when it differs. */
static char *opts_set(const char *value, const char *key, const char *v, bool *changed)
{
	_cleanup_buf_ struct buf b = {0};
	size_t k = strlen(key);
	bool found = false;
	for (const char *p = value; *p;) {
		const char *q = p;
		while (*q && !(q[0] == ',' && q[1] != ',')) /* an item ends at a single comma */
			q += q[0] == ',' ? 2 : 1;
		size_t n = (size_t)(q - p);
		bool is_key = n > k && !strncmp(p, key, k) && p[k] == '=';
		if (is_key && !found) {
			found = true;
			bool same = v && n - k - 1 == strlen(v) && !strncmp(p + k + 1, v, n - k - 1);
			*changed |= !same;
			if (v)
				buf_printf(&b, "%s%s=%s", b.len ? "," : "", key, v);
		} else if (n) {
			buf_printf(&b, "%s%.*s", b.len ? "," : "", (int)n, p);
		}
		p = *q ? q + 1 : q;
	}
	if (!found && v) {
		buf_printf(&b, "%s%s=%s", b.len ? "," : "", key, v);
		*changed = true;
	}
	return buf_steal(&b); /* NULL when out of memory */
}

int lv_fix_cmdline_card(const struct vmconf *vm, const struct vm_pci_hostdev *h, const struct host_pci *host,
			    const char *vbios, bool keep_bar, struct strv *done)
{
	xmlNodePtr arg = h->arg_node;
	xmlChar *v = xmlGetProp(arg, BAD_CAST "value");
	if (!v)
		return -ENOMEM;
	if (v[0] == '{') {
		xmlFree(v);
		return lv_fix_note(done, "left the card's JSON -device in <qemu:commandline> as it is: write x-pci-sub-vendor-id=%u, "
			    "x-pci-sub-device-id=%u%s%s into it by hand", host->sub_vendor, host->sub_device,
			    vbios ? " and romfile=" : "", vbios ? vbios : "");
	}
	char sv[16], sd[16];
	snprintf(sv, sizeof(sv), "%u", host->sub_vendor);
	snprintf(sd, sizeof(sd), "%u", host->sub_device);
	bool changed = false;
	_cleanup_free_ char *s1 = opts_set((const char *)v, "x-pci-sub-vendor-id", sv, &changed);
	_cleanup_free_ char *s2 = s1 ? opts_set(s1, "x-pci-sub-device-id", sd, &changed) : NULL;
	bool rom_changed = false, bar_changed = false;
	_cleanup_free_ char *s3 = s2 && vbios ? opts_set(s2, "romfile", vbios, &rom_changed) : (s2 ? strdup(s2) : NULL);
	_cleanup_free_ char *s4 = s3 && !keep_bar && h->rom_bar == 0 ? opts_set(s3, "rombar", NULL, &bar_changed) : (s3 ? strdup(s3) : NULL);
	int rc = s4 ? 0 : -ENOMEM;
	if (rc == 0 && (changed || rom_changed || bar_changed))
		rc = lv_fix_set_prop(arg, "value", s4) ? 0 : -ENOMEM;
	if (rc == 0 && changed)
		rc = lv_fix_note(done, "set x-pci-sub-vendor-id=%u, x-pci-sub-device-id=%u (%04x:%04x, the host card's) on the card's -device in <qemu:commandline>",
			  host->sub_vendor, host->sub_device, host->sub_vendor, host->sub_device);
	if (rc == 0 && rom_changed)
		rc = lv_fix_note(done, "set romfile=%s on the card's -device in <qemu:commandline>", vbios);
	if (rc == 0 && bar_changed)
		rc = lv_fix_note(done, "removed rombar=0 from the card's -device in <qemu:commandline>: with UEFI the guest firmware reads the VBIOS through the ROM BAR");
	/* -set of the subsystem ids for this device: its -device carries them now */
	for (size_t i = 0; rc == 0 && i < vm->n_sets; i++) {
		const struct vm_set *st = &vm->sets[i];
		xmlNodePtr a = st->opt_node, b = st->val_node;
		if (!h->alias || strcmp(st->alias, h->alias) || strncmp(st->prop, "x-pci-sub-", 10) || !a || !b)
			continue;
		lv_fix_remove_node(a);
		lv_fix_remove_node(b);
		rc = lv_fix_note(done, "removed '-set device.%s.%s=%s' from <qemu:commandline>: the -device sets it", st->alias, st->prop, st->value);
	}
	xmlFree(v);
	return rc;
}

