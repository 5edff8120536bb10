/* Fixing a card given as -device vfio-pci in <qemu:commandline>: its -device argument itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "libvirt/domain_fix_int.h"
#include "util/buf.h"

/* VALUE with KEY set to V (NULL: removed), in QEMU's key=value form, keeping the other items
 * as written; NULL on ENOMEM. *CHANGED when it differs. */
static char *opts_set(const char *value, const char *key, const char *v, bool *changed)
{
	struct buf b = {0};
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
	return b.oom ? (buf_free(&b), NULL) : buf_steal(&b);
}

/* -set of the subsystem ids for this device: its -device carries them now */
static int fix_sets(const struct vmconf *vm, const struct vm_pci_hostdev *h, struct strv *done)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < vm->n_sets; i++) {
		const struct vm_set *st = &vm->sets[i];
		xmlNodePtr a = st->opt_node, b = st->val_node;
		if (!h->alias || strcmp(st->alias, h->alias) || strncmp(st->prop, "x-pci-sub-", 10) || !a || !b)
			continue;
		lv_fix_remove_node(a);
		lv_fix_remove_node(b);
		rc = lv_fix_note(done, "removed '-set device.%s.%s=%s' from <qemu:commandline>: the -device sets it", st->alias, st->prop, st->value);
	}
	return rc;
}

/* Set KEY to V in the JSON object O; *CHANGED when it was not already V. */
static int json_set_changed(json_t *o, const char *key, json_t *v, bool *changed)
{
	if (!v)
		return -ENOMEM;
	json_t *old = json_object_get(o, key);
	/* QEMU takes a number or a numeric string for integer properties */
	bool same = old && (json_equal(old, v) ||
			    (json_is_string(old) && json_is_integer(v) &&
			     strtoll(json_string_value(old), NULL, 0) == json_integer_value(v)));
	if (same) {
		json_decref(v);
		return 0;
	}
	*changed = true;
	return json_object_set_new(o, key, v) < 0 ? -ENOMEM : 0;
}

/* The same edit on QEMU's JSON form of -device (what libvirt itself writes since QEMU 6.2),
 * keeping its key order and its spacing style. */
static int fix_json_device(xmlNodePtr arg, const char *value, const struct host_pci *host, const char *vbios,
			   bool drop_rombar, struct strv *done)
{
	json_error_t je;
	json_t *o = json_loads(value, JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return lv_fix_note(done, "left the card's -device in <qemu:commandline> as it is: its JSON does not parse (%s); "
			    "write x-pci-sub-vendor-id=%u, x-pci-sub-device-id=%u%s%s into it by hand", je.text,
			    host->sub_vendor, host->sub_device, vbios ? " and romfile=" : "", vbios ? vbios : "");
	}
	bool ids = false, rom = false, bar = false;
	int rc = json_set_changed(o, "x-pci-sub-vendor-id", json_integer(host->sub_vendor), &ids);
	if (rc == 0)
		rc = json_set_changed(o, "x-pci-sub-device-id", json_integer(host->sub_device), &ids);
	if (rc == 0 && vbios)
		rc = json_set_changed(o, "romfile", json_string(vbios), &rom);
	if (rc == 0 && drop_rombar && json_object_get(o, "rombar")) {
		json_object_del(o, "rombar");
		bar = true;
	}
	char *text = NULL;
	if (rc == 0 && (ids || rom || bar)) {
		bool compact = !strstr(value, "\": ") && !strstr(value, ", \"");
		text = json_dumps(o, JSON_PRESERVE_ORDER | (compact ? JSON_COMPACT : 0));
		rc = text && lv_fix_set_prop(arg, "value", text) ? 0 : -ENOMEM;
	}
	if (rc == 0 && ids)
		rc = lv_fix_note(done, "set \"x-pci-sub-vendor-id\": %u, \"x-pci-sub-device-id\": %u (%04x:%04x, the host card's) on the card's JSON -device in <qemu:commandline>",
			  host->sub_vendor, host->sub_device, host->sub_vendor, host->sub_device);
	if (rc == 0 && rom)
		rc = lv_fix_note(done, "set \"romfile\": \"%s\" on the card's JSON -device in <qemu:commandline>", vbios);
	if (rc == 0 && bar)
		rc = lv_fix_note(done, "removed \"rombar\" from the card's JSON -device in <qemu:commandline>: with UEFI the guest firmware reads the VBIOS through the ROM BAR");
	free(text);
	json_decref(o);
	return rc;
}

int lv_fix_cmdline_card(const struct vmconf *vm, const struct vm_pci_hostdev *h, const struct host_pci *host,
			    const char *vbios, bool keep_bar, struct strv *done)
{
	xmlNodePtr arg = h->arg_node;
	xmlChar *v = xmlGetProp(arg, BAD_CAST "value");
	if (!v)
		return -ENOMEM;
	if (v[0] == '{') {
		int rc = fix_json_device(arg, (const char *)v, host, vbios, !keep_bar && h->rom_bar == 0, done);
		xmlFree(v);
		return rc < 0 ? rc : fix_sets(vm, h, done);
	}
	char sv[16], sd[16];
	snprintf(sv, sizeof(sv), "%u", host->sub_vendor);
	snprintf(sd, sizeof(sd), "%u", host->sub_device);
	bool changed = false;
	char *s1 = opts_set((const char *)v, "x-pci-sub-vendor-id", sv, &changed);
	char *s2 = s1 ? opts_set(s1, "x-pci-sub-device-id", sd, &changed) : NULL;
	bool rom_changed = false, bar_changed = false;
	char *s3 = s2 && vbios ? opts_set(s2, "romfile", vbios, &rom_changed) : (s2 ? strdup(s2) : NULL);
	char *s4 = s3 && !keep_bar && h->rom_bar == 0 ? opts_set(s3, "rombar", NULL, &bar_changed) : (s3 ? strdup(s3) : NULL);
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
	if (rc == 0)
		rc = fix_sets(vm, h, done);
	free(s1), free(s2), free(s3), free(s4);
	xmlFree(v);
	return rc;
}

