#include "libvirt/domain_fix.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "libvirt/domain_checks.h"
#include "libvirt/domain_fix_int.h"
#include "libvirt/qemu_args.h"
#include "util/buf.h"
#include "util/cleanup.h"

/* ---- indentation-keeping tree edits ---- */

static bool is_blank(xmlNodePtr n)
{
	return n && n->type == XML_TEXT_NODE && xmlIsBlankNode(n);
}

/* The whitespace after the last newline of the blank text before N ("    "). */
static void indent_of(xmlNodePtr n, char out[static 64])
{
	out[0] = 0;
	if (!is_blank(n->prev) || !n->prev->content)
		return;
	const char *s = (const char *)n->prev->content;
	const char *nl = strrchr(s, '\n');
	snprintf(out, 64, "%s", nl ? nl + 1 : s);
}

static xmlNodePtr first_elem(xmlNodePtr parent)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

/* One level of indentation as the document uses it (the root's children's). */
static void unit_of(xmlDocPtr doc, char out[static 64])
{
	xmlNodePtr f = first_elem(xmlDocGetRootElement(doc));
	if (f)
		indent_of(f, out);
	if (!f || !out[0])
		snprintf(out, 64, "  ");
}

static int add_text(xmlNodePtr before, const char *ind)
{
	char s[200];
	snprintf(s, sizeof(s), "\n%s", ind);
	xmlNodePtr t = xmlNewDocText(before->doc, BAD_CAST s);
	return t && xmlAddPrevSibling(before, t) ? 0 : -ENOMEM;
}

bool lv_fix_set_prop(xmlNodePtr n, const char *name, const char *value)
{
	xmlChar *old = xmlGetProp(n, BAD_CAST name);
	bool same = old && xmlStrEqual(old, BAD_CAST value);
	xmlFree(old);
	if (same)
		return true;
	lv_mark(n, LV_DIRTY_TAG);
	return xmlSetProp(n, BAD_CAST name, BAD_CAST value) != NULL;
}

/* Append CHILD as PARENT's last element, indented like its siblings. */
static int append_child(xmlNodePtr parent, xmlNodePtr child)
{
	char ind[160], pind[64], unit[64];
	xmlNodePtr f = first_elem(parent);
	indent_of(parent, pind);
	unit_of(parent->doc, unit);
	if (f)
		indent_of(f, ind);
	else
		snprintf(ind, sizeof(ind), "%s%s", pind, unit);
	xmlNodePtr last = parent->last;
	lv_mark(parent, LV_DIRTY_KIDS);
	if (is_blank(last)) {
		if (!xmlAddPrevSibling(last, child))
			return -ENOMEM;
		return add_text(child, ind);
	}
	if (!xmlAddChild(parent, child))
		return -ENOMEM;
	if (add_text(child, ind) < 0)
		return -ENOMEM;
	char s[80];
	snprintf(s, sizeof(s), "\n%s", pind);
	xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST s);
	return t && xmlAddChild(parent, t) ? 0 : -ENOMEM;
}

/* Insert NODE before the element REF, indented like REF. */
static int insert_before(xmlNodePtr ref, xmlNodePtr node)
{
	char ind[64];
	indent_of(ref, ind);
	lv_mark(ref->parent, LV_DIRTY_KIDS);
	if (!xmlAddPrevSibling(ref, node))
		return -ENOMEM;
	return add_text(ref, ind);
}

/* Remove N and the blank text before it. */
void lv_fix_remove_node(xmlNodePtr n)
{
	lv_mark(n->parent, LV_DIRTY_KIDS);
	if (is_blank(n->prev)) {
		xmlNodePtr t = n->prev;
		xmlUnlinkNode(t);
		xmlFreeNode(t);
	}
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

static xmlNodePtr child(xmlNodePtr parent, const char *name, xmlNsPtr ns)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name) &&
		    (ns ? c->ns && xmlStrEqual(c->ns->href, ns->href) : !c->ns))
			return c;
	return NULL;
}

static xmlNodePtr ensure_child(xmlNodePtr parent, const char *name, xmlNsPtr ns, int *rc)
{
	xmlNodePtr c = child(parent, name, ns);
	if (c)
		return c;
	c = xmlNewDocNode(parent->doc, ns, BAD_CAST name, NULL);
	if (!c || append_child(parent, c) < 0) {
		*rc = -ENOMEM;
		return NULL;
	}
	return c;
}

/* ---- the fixes ---- */

int lv_fix_note(struct strv *done, const char *fmt, ...)
{
	char s[640];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	return strv_push(done, s);
}

/* Some <alias name=NAME> outside the element MINE exists already. */
static bool alias_taken(xmlNodePtr n, const char *name, xmlNodePtr mine, int depth)
{
	for (xmlNodePtr c = n->children; c && depth < 64; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || c == mine)
			continue;
		if (!c->ns && xmlStrEqual(c->name, BAD_CAST "alias")) {
			xmlChar *v = xmlGetProp(c, BAD_CAST "name");
			bool same = v && xmlStrEqual(v, BAD_CAST name);
			xmlFree(v);
			if (same)
				return true;
		}
		if (alias_taken(c, name, mine, depth + 1))
			return true;
	}
	return false;
}

static int fix_alias(xmlNodePtr hd, const char *old, char *ret, size_t ret_len, struct strv *done)
{
	if (old && strncmp(old, "ua-", 3) == 0) {
		snprintf(ret, ret_len, "%s", old);
		return 0;
	}
	snprintf(ret, ret_len, "%s", LV_NVIDIA_ALIAS);
	xmlNodePtr root = xmlDocGetRootElement(hd->doc);
	for (int k = 1; k < 100 && alias_taken(root, ret, hd, 0); k++)
		snprintf(ret, ret_len, "%s%d", LV_NVIDIA_ALIAS, k);
	xmlNodePtr a = child(hd, "alias", NULL);
	if (a) {
		if (!lv_fix_set_prop(a, "name", ret))
			return -ENOMEM;
		return lv_fix_note(done, "renamed the NVIDIA hostdev's alias '%s' to '%s' (libvirt keeps only aliases starting with 'ua-')", old ? old : "", ret);
	}
	a = xmlNewDocNode(hd->doc, NULL, BAD_CAST "alias", NULL);
	if (!a || !xmlSetProp(a, BAD_CAST "name", BAD_CAST ret))
		return -ENOMEM;
	xmlNodePtr addr = child(hd, "address", NULL);
	int rc = addr ? insert_before(addr, a) : append_child(hd, a);
	return rc < 0 ? rc : lv_fix_note(done, "gave the NVIDIA hostdev the alias '%s'", ret);
}

static bool refers(const xmlChar *v, const char *alias, const char *auto_alias)
{
	return v && ((alias && xmlStrEqual(v, BAD_CAST alias)) || (auto_alias && xmlStrEqual(v, BAD_CAST auto_alias)));
}

/* <qemu:property name=NAME type=TYPE value=VALUE> in FE; *CHANGED when it was not so already. */
static int set_property(xmlNodePtr fe, xmlNsPtr ns, const char *name, const char *type, const char *value, bool *changed)
{
	for (xmlNodePtr p = fe->children; p; p = p->next) {
		if (p->type != XML_ELEMENT_NODE || !xmlStrEqual(p->name, BAD_CAST "property"))
			continue;
		xmlChar *n = xmlGetProp(p, BAD_CAST "name");
		xmlChar *t = xmlGetProp(p, BAD_CAST "type");
		xmlChar *v = xmlGetProp(p, BAD_CAST "value");
		bool match = n && xmlStrEqual(n, BAD_CAST name);
		bool same = match && t && v && xmlStrEqual(t, BAD_CAST type) && xmlStrEqual(v, BAD_CAST value);
		xmlFree(n), xmlFree(t), xmlFree(v);
		if (!match)
			continue;
		if (same)
			return 0;
		*changed = true;
		return lv_fix_set_prop(p, "type", type) && lv_fix_set_prop(p, "value", value) ? 0 : -ENOMEM;
	}
	*changed = true;
	xmlNodePtr p = xmlNewDocNode(fe->doc, ns, BAD_CAST "property", NULL);
	if (!p || !xmlSetProp(p, BAD_CAST "name", BAD_CAST name) || !xmlSetProp(p, BAD_CAST "type", BAD_CAST type) ||
	    !xmlSetProp(p, BAD_CAST "value", BAD_CAST value))
		return -ENOMEM;
	return append_child(fe, p);
}

/* Every <qemu:device> of the card (by its old or new name) carries the new alias; the frontend of
 * the first one is returned (made when there is none). */
static xmlNodePtr override_frontend(xmlNodePtr root, xmlNsPtr ns, const struct vm_pci_hostdev *h, const char *alias,
				    struct strv *done, int *rc)
{
	xmlNodePtr dev = NULL;
	for (xmlNodePtr ov = root->children; ov && *rc == 0; ov = ov->next) {
		if (ov->type != XML_ELEMENT_NODE || !ov->ns || !xmlStrEqual(ov->ns->href, ns->href) ||
		    !xmlStrEqual(ov->name, BAD_CAST "override"))
			continue;
		for (xmlNodePtr c = ov->children; c && *rc == 0; c = c->next) {
			if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "device"))
				continue;
			xmlChar *a = xmlGetProp(c, BAD_CAST "alias");
			if (refers(a, alias, NULL) || refers(a, h->alias, h->alias ? NULL : h->auto_alias)) {
				if (!xmlStrEqual(a, BAD_CAST alias)) {
					*rc = lv_fix_set_prop(c, "alias", alias) ? lv_fix_note(done, "pointed <qemu:override> for '%s' at the new alias '%s'",
										 (const char *)a, alias) : -ENOMEM;
				}
				if (!dev)
					dev = c;
			}
			xmlFree(a);
		}
	}
	if (*rc < 0)
		return NULL;
	if (!dev) {
		xmlNodePtr ov = ensure_child(root, "override", ns, rc);
		dev = ov ? xmlNewDocNode(root->doc, ns, BAD_CAST "device", NULL) : NULL;
		if (!dev || !xmlSetProp(dev, BAD_CAST "alias", BAD_CAST alias) || append_child(ov, dev) < 0) {
			*rc = -ENOMEM;
			return NULL;
		}
	}
	return ensure_child(dev, "frontend", ns, rc);
}

static int fix_override(xmlNodePtr root, xmlNsPtr ns, const struct vm_pci_hostdev *h, const char *alias,
			const struct host_pci *host, struct strv *done)
{
	int rc = 0;
	xmlNodePtr fe = override_frontend(root, ns, h, alias, done, &rc);
	if (!fe)
		return rc;
	char sv[16], sd[16];
	snprintf(sv, sizeof(sv), "%u", host->sub_vendor);
	snprintf(sd, sizeof(sd), "%u", host->sub_device);
	bool changed = false;
	if (set_property(fe, ns, "x-pci-sub-vendor-id", "unsigned", sv, &changed) < 0 ||
	    set_property(fe, ns, "x-pci-sub-device-id", "unsigned", sd, &changed) < 0)
		return -ENOMEM;
	return !changed ? 0 : lv_fix_note(done, "set x-pci-sub-vendor-id=%u, x-pci-sub-device-id=%u (%04x:%04x, the host card's) in <qemu:override> for '%s'",
				   host->sub_vendor, host->sub_device, host->sub_vendor, host->sub_device, alias);
}

/* The type <qemu:property> needs for a -set value. */
static const char *prop_type(const char *v)
{
	unsigned long long x;
	if (vm_parse_ull(v, ~0ULL, &x) == 0)
		return "unsigned";
	if (!strcmp(v, "on") || !strcmp(v, "off") || !strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "yes") ||
	    !strcmp(v, "no"))
		return "bool";
	return "string";
}

static const char *bool_value(const char *v)
{
	return !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") ? "true" : "false";
}

static void drop_empty_commandline(xmlNodePtr root, xmlNsPtr ns)
{
	xmlNodePtr cl = child(root, "commandline", ns);
	if (cl && !first_elem(cl))
		lv_fix_remove_node(cl);
}

/* Every '-set device.<the card's old or new name>.PROP=VALUE' in <qemu:commandline>: since QEMU 6.2
 * libvirt gives -device as JSON, which -set cannot reach. The subsystem ids go (the override sets
 * them), romfile becomes <rom file>, rombar goes (<rom bar> is the hostdev's own), every other
 * property moves into the card's <qemu:override>. */
static int move_sets(xmlNodePtr root, xmlNsPtr ns, const struct vmconf *vm, const struct vm_pci_hostdev *h,
		     const char *alias, const char *vbios, struct strv *done)
{
	int rc = 0;
	for (size_t i = 0; i < vm->n_sets && rc == 0; i++) {
		const struct vm_set *st = &vm->sets[i];
		xmlNodePtr a = st->opt_node, b = st->val_node;
		bool mine = !strcmp(st->alias, alias) || (h->alias ? !strcmp(st->alias, h->alias) : h->auto_alias && !strcmp(st->alias, h->auto_alias));
		if (!mine || !a || !b || !a->parent || !b->parent)
			continue;
		if (!strncmp(st->prop, "x-pci-sub-", 10)) {
			rc = lv_fix_note(done, "removed '-set device.%s.%s=%s' from <qemu:commandline>: <qemu:override> sets it (-set stops QEMU >= 6.2)",
				  st->alias, st->prop, st->value);
		} else if (!strcmp(st->prop, "romfile")) {
			xmlNodePtr rom = child(h->node, "rom", NULL);
			if (!vbios && !rom) {
				rom = xmlNewDocNode(root->doc, NULL, BAD_CAST "rom", NULL);
				xmlNodePtr src = child(h->node, "source", NULL);
				xmlNodePtr after = src ? src->next : NULL;
				while (after && after->type != XML_ELEMENT_NODE)
					after = after->next;
				rc = rom ? (after ? insert_before(after, rom) : append_child(h->node, rom)) : -ENOMEM;
			}
			if (rc == 0 && !vbios && !lv_fix_set_prop(rom, "file", st->value))
				rc = -ENOMEM;
			if (rc == 0)
				rc = lv_fix_note(done, "replaced '-set device.%s.romfile=%s' by <rom file='%s'/> on the hostdev", st->alias, st->value,
					  vbios ? vbios : st->value);
		} else if (!strcmp(st->prop, "rombar")) {
			rc = lv_fix_note(done, "removed '-set device.%s.rombar=%s' from <qemu:commandline>: the hostdev's <rom bar=...> is the place for it",
				  st->alias, st->value);
		} else {
			int r2 = 0;
			xmlNodePtr fe = override_frontend(root, ns, h, alias, done, &r2);
			bool changed = false;
			const char *type = prop_type(st->value);
			rc = fe ? set_property(fe, ns, st->prop, type, strcmp(type, "bool") ? st->value : bool_value(st->value), &changed) : r2;
			if (rc == 0)
				rc = lv_fix_note(done, "moved '-set device.%s.%s=%s' into <qemu:override> for '%s' (<qemu:property name='%s' type='%s'/>)",
					  st->alias, st->prop, st->value, alias, st->prop, type);
		}
		if (rc == 0) {
			lv_fix_remove_node(a);
			lv_fix_remove_node(b);
		}
	}
	drop_empty_commandline(root, ns);
	return rc;
}

static int fix_rom(xmlNodePtr hd, const char *vbios, bool keep_bar, struct strv *done)
{
	xmlNodePtr rom = child(hd, "rom", NULL);
	int rc = 0;
	if (!rom && !vbios)
		return 0;
	if (!rom) {
		rom = xmlNewDocNode(hd->doc, NULL, BAD_CAST "rom", NULL);
		if (!rom)
			return -ENOMEM;
		xmlNodePtr src = child(hd, "source", NULL);
		xmlNodePtr after = src ? src->next : NULL;
		while (after && after->type != XML_ELEMENT_NODE)
			after = after->next;
		if ((after ? insert_before(after, rom) : append_child(hd, rom)) < 0)
			return -ENOMEM;
	}
	xmlChar *f = xmlGetProp(rom, BAD_CAST "file");
	bool same = f && vbios && xmlStrEqual(f, BAD_CAST vbios);
	xmlFree(f);
	if (vbios && !same) {
		if (!lv_fix_set_prop(rom, "file", vbios))
			return -ENOMEM;
		rc = lv_fix_note(done, "set <rom file='%s'/> on the NVIDIA hostdev", vbios);
	}
	xmlAttrPtr en = xmlHasProp(rom, BAD_CAST "enabled");
	if (rc == 0 && en && vbios) {
		lv_mark(rom, LV_DIRTY_TAG);
		xmlRemoveProp(en);
		rc = lv_fix_note(done, "removed enabled='no' from the NVIDIA hostdev's <rom>");
	}
	xmlChar *bar = xmlGetProp(rom, BAD_CAST "bar");
	bool off = bar && xmlStrEqual(bar, BAD_CAST "off");
	xmlFree(bar);
	if (rc == 0 && off && !keep_bar) {
		lv_mark(rom, LV_DIRTY_TAG);
		xmlRemoveProp(xmlHasProp(rom, BAD_CAST "bar"));
		rc = lv_fix_note(done, "removed bar='off' from the NVIDIA hostdev's <rom>: with UEFI the guest firmware reads the VBIOS through the ROM BAR");
		if (rc == 0 && !rom->properties) {
			lv_fix_remove_node(rom);
			rc = lv_fix_note(done, "removed the NVIDIA hostdev's <rom/>, empty now");
		}
	}
	return rc;
}

static int fix_acpi(xmlNodePtr root, xmlNsPtr ns, const struct vmconf *vm, const struct strv *files, struct strv *done)
{
	int rc = 0;
	for (size_t i = 0; i < files->n && rc == 0; i++) {
		if (strv_contains(&vm->acpi_tables, files->v[i]))
			continue;
		xmlNodePtr cl = ensure_child(root, "commandline", ns, &rc);
		if (!cl)
			return rc;
		_cleanup_free_ char *arg = NULL;
		if (asprintf(&arg, "file=%s", files->v[i]) < 0)
			return -ENOMEM;
		xmlNodePtr a = xmlNewDocNode(root->doc, ns, BAD_CAST "arg", NULL);
		xmlNodePtr b = xmlNewDocNode(root->doc, ns, BAD_CAST "arg", NULL);
		if (!a || !b || !xmlSetProp(a, BAD_CAST "value", BAD_CAST "-acpitable") || !xmlSetProp(b, BAD_CAST "value", BAD_CAST arg) ||
		    append_child(cl, a) < 0 || append_child(cl, b) < 0)
			return -ENOMEM;
		rc = lv_fix_note(done, "added '-acpitable %s' to <qemu:commandline>", arg);
	}
	return rc;
}

/* -global vfio-pci.x-pci-sub-* that is wrong (QEMU refuses a value that is not a number) or
 * reaches other devices too: the card's own override replaces it. */
static int drop_globals(const struct vmconf *vm, struct strv *done)
{
	int rc = 0;
	static const char *const props[] = { "x-pci-sub-vendor-id", "x-pci-sub-device-id" };
	const char *vals[] = { vm->global_sub_vendor, vm->global_sub_device };
	for (int k = 0; k < 2 && rc == 0; k++) {
		if (!vm->global_nodes[2 * k] || !vm->global_nodes[2 * k + 1])
			continue;
		lv_fix_remove_node(vm->global_nodes[2 * k]);
		lv_fix_remove_node(vm->global_nodes[2 * k + 1]);
		rc = lv_fix_note(done, "removed '-global vfio-pci.%s=%s' from <qemu:commandline>: it reaches every vfio-pci "
			    "device; <qemu:override> sets the NVIDIA card's own", props[k], vals[k] ? vals[k] : "");
	}
	return rc;
}

int lv_fix_apply(struct lv_doc *d, const struct vmconf *vm, int nv, const struct host_pci *host,
		 const struct lv_fix_opts *o, struct strv *done, struct err *e)
{
	xmlDocPtr doc = d->doc;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (nv < 0 || (size_t)nv >= vm->n_pci) {
		err_set(e, "the domain passes no NVIDIA card through; add it first (virt-xml DOMAIN --add-device --hostdev ADDRESS), then run fix again");
		return -EINVAL;
	}
	if (host->sub_vendor == 0 || host->sub_device == 0) {
		err_set(e, "the host's sysfs reports subsystem %04x:%04x for the NVIDIA card, so the real ids are not known; set them by hand (see 'libvirt check')",
			host->sub_vendor, host->sub_device);
		return -EINVAL;
	}
	const struct vm_pci_hostdev *h = &vm->pci[nv];
	xmlNodePtr hd = h->node;
	xmlNsPtr ns = xmlSearchNsByHref(doc, root, BAD_CAST QEMU_NS_HREF);
	int rc = 0;
	bool need_ns = !h->in_cmdline || (o->acpi && o->acpi->n);
	if (!ns && need_ns) {
		const char *prefix = xmlSearchNs(doc, root, BAD_CAST "qemu") ? "qemuns" : "qemu";
		lv_mark(root, LV_DIRTY_TAG);
		ns = xmlNewNs(root, BAD_CAST QEMU_NS_HREF, BAD_CAST prefix);
		rc = ns ? lv_fix_note(done, "declared the qemu namespace on <domain>") : -ENOMEM;
	}
	if (h->in_cmdline) {
		if (rc == 0)
			rc = lv_fix_cmdline_card(vm, h, host, o->vbios, o->keep_rom_bar, done);
	} else if (h->sub_via == SUB_GLOBAL && h->sub_vendor == host->sub_vendor && h->sub_device == host->sub_device &&
		   vm->n_pci == 1) {
		/* -global gives the one passed-through device the right ids already */
		if (rc == 0)
			rc = move_sets(root, ns, vm, h, h->alias ? h->alias : h->auto_alias, o->vbios, done);
		if (rc == 0)
			rc = fix_rom(hd, o->vbios, o->keep_rom_bar, done);
	} else {
		char alias[128];
		if (rc == 0 && h->sub_via == SUB_GLOBAL)
			rc = drop_globals(vm, done);
		if (rc == 0)
			rc = fix_alias(hd, h->alias, alias, sizeof(alias), done);
		if (rc == 0)
			rc = move_sets(root, ns, vm, h, alias, o->vbios, done);
		if (rc == 0)
			rc = fix_override(root, ns, h, alias, host, done);
		if (rc == 0)
			rc = fix_rom(hd, o->vbios, o->keep_rom_bar, done);
	}
	if (rc == 0 && o->acpi)
		rc = fix_acpi(root, ns, vm, o->acpi, done);
	if (rc < 0 && !e->msg[0])
		err_set(e, "changing the domain: %s", strerror(-rc));
	return rc;
}
