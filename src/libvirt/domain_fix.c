#include "libvirt/domain_fix.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "libvirt/domain_checks.h"
#include "libvirt/qemu_args.h"
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
	if (!xmlAddPrevSibling(ref, node))
		return -ENOMEM;
	return add_text(ref, ind);
}

/* Remove N and the blank text before it. */
static void remove_node(xmlNodePtr n)
{
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

static int note(struct strv *done, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(struct strv *done, const char *fmt, ...)
{
	char s[512];
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
		if (!xmlSetProp(a, BAD_CAST "name", BAD_CAST ret))
			return -ENOMEM;
		return note(done, "renamed the NVIDIA hostdev's alias '%s' to '%s' (libvirt keeps only aliases starting with 'ua-')", old ? old : "", ret);
	}
	a = xmlNewDocNode(hd->doc, NULL, BAD_CAST "alias", NULL);
	if (!a || !xmlSetProp(a, BAD_CAST "name", BAD_CAST ret))
		return -ENOMEM;
	xmlNodePtr addr = child(hd, "address", NULL);
	int rc = addr ? insert_before(addr, a) : append_child(hd, a);
	return rc < 0 ? rc : note(done, "gave the NVIDIA hostdev the alias '%s'", ret);
}

static bool refers(const xmlChar *v, const char *alias, const char *auto_alias)
{
	return v && ((alias && xmlStrEqual(v, BAD_CAST alias)) || (auto_alias && xmlStrEqual(v, BAD_CAST auto_alias)));
}

static int set_property(xmlNodePtr fe, xmlNsPtr ns, const char *name, unsigned value)
{
	char v[16];
	snprintf(v, sizeof(v), "%u", value);
	for (xmlNodePtr p = fe->children; p; p = p->next) {
		if (p->type != XML_ELEMENT_NODE || !xmlStrEqual(p->name, BAD_CAST "property"))
			continue;
		xmlChar *n = xmlGetProp(p, BAD_CAST "name");
		bool match = n && xmlStrEqual(n, BAD_CAST name);
		xmlFree(n);
		if (match)
			return xmlSetProp(p, BAD_CAST "type", BAD_CAST "unsigned") && xmlSetProp(p, BAD_CAST "value", BAD_CAST v) ? 0 : -ENOMEM;
	}
	xmlNodePtr p = xmlNewDocNode(fe->doc, ns, BAD_CAST "property", NULL);
	if (!p || !xmlSetProp(p, BAD_CAST "name", BAD_CAST name) || !xmlSetProp(p, BAD_CAST "type", BAD_CAST "unsigned") ||
	    !xmlSetProp(p, BAD_CAST "value", BAD_CAST v))
		return -ENOMEM;
	return append_child(fe, p);
}

static int fix_override(xmlNodePtr root, xmlNsPtr ns, const struct vm_pci_hostdev *h, const char *alias,
			const struct host_pci *host, struct strv *done)
{
	int rc = 0;
	xmlNodePtr ov = ensure_child(root, "override", ns, &rc);
	if (!ov)
		return rc;
	xmlNodePtr dev = NULL;
	for (xmlNodePtr c = ov->children; c && !dev; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "device"))
			continue;
		xmlChar *a = xmlGetProp(c, BAD_CAST "alias");
		if (refers(a, alias, NULL) || refers(a, h->alias, h->alias ? NULL : h->auto_alias))
			dev = c;
		xmlFree(a);
	}
	if (!dev) {
		dev = xmlNewDocNode(root->doc, ns, BAD_CAST "device", NULL);
		if (!dev || append_child(ov, dev) < 0)
			return -ENOMEM;
	}
	if (!xmlSetProp(dev, BAD_CAST "alias", BAD_CAST alias))
		return -ENOMEM;
	xmlNodePtr fe = ensure_child(dev, "frontend", ns, &rc);
	if (!fe)
		return rc;
	if (set_property(fe, ns, "x-pci-sub-vendor-id", host->sub_vendor) < 0 ||
	    set_property(fe, ns, "x-pci-sub-device-id", host->sub_device) < 0)
		return -ENOMEM;
	return note(done, "set x-pci-sub-vendor-id=%u, x-pci-sub-device-id=%u (%04x:%04x, the host card's) in <qemu:override> for '%s'",
		    host->sub_vendor, host->sub_device, host->sub_vendor, host->sub_device, alias);
}

/* Drop "-set device.ALIAS.x-pci-sub-*=..." pairs for this hostdev; an emptied commandline goes too. */
static int drop_set_form(xmlNodePtr root, xmlNsPtr ns, const struct vm_pci_hostdev *h, struct strv *done)
{
	xmlNodePtr cl = child(root, "commandline", ns);
	int dropped = 0;
	if (!cl)
		return 0;
	for (xmlNodePtr a = cl->children; a;) {
		xmlNodePtr next = a->next;
		xmlChar *v = a->type == XML_ELEMENT_NODE ? xmlGetProp(a, BAD_CAST "value") : NULL;
		if (v && xmlStrEqual(v, BAD_CAST "-set")) {
			xmlNodePtr b = next;
			while (b && b->type != XML_ELEMENT_NODE)
				b = b->next;
			xmlChar *w = b ? xmlGetProp(b, BAD_CAST "value") : NULL;
			char *alias = NULL, *prop = NULL, *val = NULL;
			if (w && qemu_parse_set((const char *)w, &alias, &prop, &val) == 0 &&
			    strncmp(prop, "x-pci-sub-", 10) == 0 && refers(BAD_CAST alias, h->alias, h->alias ? NULL : h->auto_alias)) {
				next = b->next;
				remove_node(a);
				remove_node(b);
				dropped++;
			}
			free(alias);
			free(prop);
			free(val);
			xmlFree(w);
		}
		xmlFree(v);
		a = next;
	}
	if (dropped && !first_elem(cl))
		remove_node(cl);
	return dropped ? note(done, "removed %d '-set device.%s.x-pci-sub-...' argument pair(s) from <qemu:commandline> (they stop QEMU >= 6.2)",
			      dropped, h->alias ? h->alias : h->auto_alias) : 0;
}

static int fix_rom(xmlNodePtr hd, const char *vbios, struct strv *done)
{
	xmlNodePtr rom = child(hd, "rom", NULL);
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
	if (!xmlSetProp(rom, BAD_CAST "file", BAD_CAST vbios))
		return -ENOMEM;
	xmlAttrPtr en = xmlHasProp(rom, BAD_CAST "enabled");
	if (en)
		xmlRemoveProp(en);
	return note(done, "set <rom file='%s'/> on the NVIDIA hostdev", vbios);
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
		rc = note(done, "added '-acpitable %s' to <qemu:commandline>", arg);
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
	if (!ns) {
		const char *prefix = xmlSearchNs(doc, root, BAD_CAST "qemu") ? "qemuns" : "qemu";
		ns = xmlNewNs(root, BAD_CAST QEMU_NS_HREF, BAD_CAST prefix);
		rc = ns ? note(done, "declared the qemu namespace on <domain>") : -ENOMEM;
	}
	char alias[128];
	if (rc == 0)
		rc = fix_alias(hd, h->alias, alias, sizeof(alias), done);
	if (rc == 0)
		rc = drop_set_form(root, ns, h, done);
	if (rc == 0)
		rc = fix_override(root, ns, h, alias, host, done);
	if (rc == 0 && o->vbios)
		rc = fix_rom(hd, o->vbios, done);
	if (rc == 0 && o->acpi)
		rc = fix_acpi(root, ns, vm, o->acpi, done);
	if (rc < 0 && !e->msg[0])
		err_set(e, "changing the domain: %s", strerror(-rc));
	return rc;
}
