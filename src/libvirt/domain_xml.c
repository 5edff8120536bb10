/* Reading a libvirt domain with libxml2 and XPath. */
#include "libvirt/domain_xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "libvirt/qemu_args.h"
#include "util/cleanup.h"

struct first_error {
	bool seen;
	int line, col;
	char msg[300];
};

static void keep_first(void *ctx, xmlErrorPtr er)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct first_error *fe = ctxt ? ctxt->_private : NULL;
	if (!fe || fe->seen || !er || er->level < XML_ERR_ERROR)
		return;
	fe->seen = true;
	fe->line = er->line;
	fe->col = er->int2;
	snprintf(fe->msg, sizeof(fe->msg), "%s", er->message ? er->message : "error");
}

int lv_doc_parse(const char *buf, size_t len, const char *name, struct lv_doc *ret, struct err *e)
{
	if (len > LV_MAX_XML) {
		err_set(e, "%s: %zu bytes is too large for a domain definition", name, len);
		return -EFBIG;
	}
	if (len > INT32_MAX)
		return -EFBIG;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return -ENOMEM;
	/* Keep the first error (the one that names the spot), not the last one at the end of input. */
	struct first_error fe = {0};
	ctxt->_private = &fe;
	ctxt->sax->serror = keep_first;
	/* No network, no entity substitution, no DTD loading; errors are reported by us. */
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL,
					  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!doc) {
		xmlErrorPtr er = xmlCtxtGetLastError(ctxt);
		if (!fe.seen && er && er->message) {
			fe.seen = true;
			fe.line = er->line;
			fe.col = er->int2;
			snprintf(fe.msg, sizeof(fe.msg), "%s", er->message);
		}
		if (fe.seen) {
			size_t n = strlen(fe.msg);
			while (n && (fe.msg[n - 1] == '\n' || fe.msg[n - 1] == ' '))
				fe.msg[--n] = 0;
			err_set(e, "%s:%d:%d: malformed XML: %s", name, fe.line, fe.col, fe.msg);
		} else {
			err_set(e, "%s: malformed XML", name);
		}
		xmlFreeParserCtxt(ctxt);
		return -EINVAL;
	}
	xmlFreeParserCtxt(ctxt);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root || !xmlStrEqual(root->name, BAD_CAST "domain") || root->ns) {
		err_set(e, "%s:%d: the root element is <%s>, not a libvirt <domain>; give the file 'virsh dumpxml' prints",
			name, root ? root->line : 1, root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	size_t sq = 0, dq = 0;
	for (size_t i = 0; i + 1 < len; i++)
		if (buf[i] == '=') {
			sq += buf[i + 1] == '\'';
			dq += buf[i + 1] == '"';
		}
	size_t k = 0;
	while (k < len && (buf[k] == ' ' || buf[k] == '\n' || buf[k] == '\t' || buf[k] == '\r'))
		k++;
	*ret = (struct lv_doc){ .doc = doc, .quote = dq > sq ? '"' : '\'',
				.had_decl = len - k >= 5 && memcmp(buf + k, "<?xml", 5) == 0,
				.text = malloc(len + 1), .len = len };
	if (!ret->text) {
		lv_doc_free(ret);
		return -ENOMEM;
	}
	memcpy(ret->text, buf, len);
	ret->text[len] = 0;
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	ret->line_start = malloc(n * sizeof(size_t));
	if (!ret->line_start) {
		lv_doc_free(ret);
		return -ENOMEM;
	}
	ret->line_start[0] = 0;
	for (size_t i = 0, l = 1; i < len; i++)
		if (buf[i] == '\n')
			ret->line_start[l++] = i + 1;
	ret->n_lines = n;
	if (lv_spans_build(ret) < 0) {
		lv_doc_free(ret);
		return -ENOMEM;
	}
	return 0;
}

void lv_doc_free(struct lv_doc *d)
{
	if (d->doc)
		xmlFreeDoc(d->doc);
	free(d->text);
	free(d->line_start);
	lv_spans_free(d);
	*d = (struct lv_doc){0};
}

/* ---- small XPath helpers ---- */

struct xq {
	xmlXPathContextPtr ctx;
};

static xmlXPathObjectPtr eval(struct xq *q, xmlNodePtr at, const char *expr)
{
	q->ctx->node = at;
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, q->ctx);
	if (o && o->type != XPATH_NODESET) {
		xmlXPathFreeObject(o);
		return NULL;
	}
	return o;
}

static size_t nodeset_len(xmlXPathObjectPtr o)
{
	return o && o->nodesetval ? (size_t)o->nodesetval->nodeNr : 0;
}

/* String value of the first node EXPR selects (attribute or element text); NULL when none. */
static char *str(struct xq *q, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr o = eval(q, at, expr);
	char *s = NULL;
	if (nodeset_len(o)) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
		if (v) {
			s = strdup((const char *)v);
			xmlFree(v);
		}
		if (s) { /* trim */
			char *p = s;
			while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
				p++;
			memmove(s, p, strlen(p) + 1);
			size_t n = strlen(s);
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
				s[--n] = 0;
		}
	}
	xmlXPathFreeObject(o);
	return s;
}

static int onoff(const char *s)
{
	if (!s)
		return -1;
	return strcmp(s, "on") == 0 || strcmp(s, "yes") == 0;
}

/* A number attribute; -1 when absent or not a number up to MAX. */
static int num(struct xq *q, xmlNodePtr at, const char *expr, unsigned max)
{
	_cleanup_free_ char *v = str(q, at, expr);
	unsigned long long x;
	return v && vm_parse_ull(v, max, &x) == 0 ? (int)x : -1;
}

static int read_pci(struct xq *q, xmlNodePtr root, xmlNodePtr hd, size_t hostdev_index, struct vmconf *vm, struct err *e)
{
	struct vm_pci_hostdev *h = vmconf_add_pci(vm);
	if (!h)
		return -ENOMEM;
	h->node = hd;
	h->line = (int)xmlGetLineNo(hd);
	const char *names[4] = { "source/address/@domain", "source/address/@bus", "source/address/@slot",
				 "source/address/@function" };
	unsigned *slots[4] = { &h->domain, &h->bus, &h->slot, &h->function };
	const unsigned max[4] = { 0xffff, 0xff, 0x1f, 7 };
	for (int i = 0; i < 4; i++) {
		_cleanup_free_ char *v = str(q, hd, names[i]);
		unsigned long long x = 0;
		if (!v && i == 0)
			continue;
		if (!v || vm_parse_ull(v, max[i], &x) < 0) {
			err_set(e, "line %d: <hostdev type='pci'> has %s '%s' in <source><address>; give domain, bus, slot and function like 0x01",
				h->line, names[i] + strlen("source/address/@"), v ? v : "(none)");
			return -EINVAL;
		}
		*slots[i] = (unsigned)x;
	}
	h->alias = str(q, hd, "alias/@name");
	char buf[32];
	snprintf(buf, sizeof(buf), "hostdev%zu", hostdev_index);
	h->auto_alias = strdup(buf);
	h->rom_file = str(q, hd, "rom/@file");
	_cleanup_free_ char *bar = str(q, hd, "rom/@bar");
	h->rom_bar = onoff(bar);
	_cleanup_free_ char *enabled = str(q, hd, "rom/@enabled");
	h->rom_disabled = enabled && strcmp(enabled, "no") == 0;
	_cleanup_free_ char *gtype = str(q, hd, "address/@type");
	_cleanup_free_ char *gbus = str(q, hd, "address/@bus");
	unsigned long long b = 0;
	if (gtype && strcmp(gtype, "pci") == 0 && gbus && vm_parse_ull(gbus, 0xff, &b) == 0) {
		h->guest_bus = (int)b;
		char expr[128];
		snprintf(expr, sizeof(expr), "devices/controller[@type='pci'][number(@index)=%llu]/@model", b);
		h->bus_model = str(q, root, expr);
		h->guest_slot = num(q, hd, "address/@slot", 0x1f);
		h->guest_fn = num(q, hd, "address/@function", 7);
		snprintf(expr, sizeof(expr), "devices/controller[@type='pci'][number(@index)=%llu]/address[@type='pci']", b);
		xmlXPathObjectPtr po = eval(q, root, expr);
		if (nodeset_len(po) && num(q, po->nodesetval->nodeTab[0], "@bus", 0xff) == 0) {
			h->port_slot = num(q, po->nodesetval->nodeTab[0], "@slot", 0x1f);
			h->port_fn = num(q, po->nodesetval->nodeTab[0], "@function", 7);
		}
		xmlXPathFreeObject(po);
	}
	return h->auto_alias ? 0 : -ENOMEM;
}

static int read_mdev(struct xq *q, xmlNodePtr hd, struct vmconf *vm)
{
	struct vm_mdev *m = vmconf_add_mdev(vm);
	if (!m)
		return -ENOMEM;
	m->line = (int)xmlGetLineNo(hd);
	m->uuid = str(q, hd, "source/address/@uuid");
	_cleanup_free_ char *d = str(q, hd, "@display");
	_cleanup_free_ char *r = str(q, hd, "@ramfb");
	m->display = onoff(d);
	m->ramfb = onoff(r);
	return 0;
}

static struct vm_pci_hostdev *by_alias(struct vmconf *vm, const char *alias)
{
	for (size_t i = 0; i < vm->n_pci; i++) {
		const char *a = vm->pci[i].alias ? vm->pci[i].alias : vm->pci[i].auto_alias;
		if (a && strcmp(a, alias) == 0)
			return &vm->pci[i];
	}
	return NULL;
}

static int stray(struct vmconf *vm, const char *alias)
{
	return strv_contains(&vm->stray_aliases, alias) ? 0 : strv_push(&vm->stray_aliases, alias);
}

static int read_overrides(struct xq *q, xmlNodePtr root, struct vmconf *vm)
{
	xmlXPathObjectPtr o = eval(q, root, "qemu:override/qemu:device");
	int rc = 0;
	for (size_t i = 0; i < nodeset_len(o) && rc == 0; i++) {
		xmlNodePtr dev = o->nodesetval->nodeTab[i];
		_cleanup_free_ char *alias = str(q, dev, "@alias");
		_cleanup_free_ char *sv = str(q, dev, "qemu:frontend/qemu:property[@name='x-pci-sub-vendor-id']/@value");
		_cleanup_free_ char *sd = str(q, dev, "qemu:frontend/qemu:property[@name='x-pci-sub-device-id']/@value");
		if (!alias || (!sv && !sd))
			continue;
		struct vm_pci_hostdev *h = by_alias(vm, alias);
		if (!h) {
			rc = stray(vm, alias);
			continue;
		}
		unsigned long long x;
		h->sub_via = SUB_OVERRIDE;
		h->sub_vendor = sv && vm_parse_ull(sv, 0xffffffffULL, &x) == 0 ? (long long)x : (sv ? -2 : -1);
		h->sub_device = sd && vm_parse_ull(sd, 0xffffffffULL, &x) == 0 ? (long long)x : (sd ? -2 : -1);
	}
	xmlXPathFreeObject(o);
	return rc;
}

static int set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = v ? strdup(v) : NULL;
	return !v || *slot ? 0 : -ENOMEM;
}

/* A card (or vGPU) passed as -device vfio-pci in <qemu:commandline>: one more hostdev. */
static int merge_cmdline_card(struct xq *q, xmlNodePtr root, struct vmconf *vm, const struct vm_pci_hostdev *c,
			      xmlNodePtr *nodes)
{
	struct vm_pci_hostdev *h = vmconf_add_pci(vm);
	if (!h)
		return -ENOMEM;
	h->domain = c->domain, h->bus = c->bus, h->slot = c->slot, h->function = c->function;
	h->in_cmdline = true;
	h->arg_node = nodes[c->arg_index];
	h->node = NULL;
	h->line = (int)xmlGetLineNo(nodes[c->arg_index]);
	h->rom_bar = c->rom_bar;
	h->sub_vendor = c->sub_vendor, h->sub_device = c->sub_device, h->sub_via = c->sub_via;
	h->set_form = c->set_form;
	h->guest_slot = c->guest_slot, h->guest_fn = c->guest_fn;
	int rc = set_str(&h->alias, c->alias);
	if (rc == 0)
		rc = set_str(&h->rom_file, c->rom_file);
	if (rc == 0)
		rc = set_str(&h->bus_id, c->bus_id);
	unsigned idx;
	char tail;
	if (rc == 0 && c->bus_id && sscanf(c->bus_id, "pci.%u%c", &idx, &tail) == 1) {
		/* libvirt names its PCI controllers pci.INDEX */
		char expr[128];
		h->guest_bus = (int)idx;
		snprintf(expr, sizeof(expr), "devices/controller[@type='pci'][number(@index)=%u]/@model", idx);
		h->bus_model = str(q, root, expr);
		snprintf(expr, sizeof(expr), "devices/controller[@type='pci'][number(@index)=%u]/address[@type='pci']", idx);
		xmlXPathObjectPtr po = eval(q, root, expr);
		if (nodeset_len(po) && num(q, po->nodesetval->nodeTab[0], "@bus", 0xff) == 0) {
			h->port_slot = num(q, po->nodesetval->nodeTab[0], "@slot", 0x1f);
			h->port_fn = num(q, po->nodesetval->nodeTab[0], "@function", 7);
		}
		xmlXPathFreeObject(po);
		if (h->guest_slot < 0 && h->bus_model && strcmp(h->bus_model, "pcie-root-port") == 0)
			h->guest_slot = h->guest_fn = 0;
	} else if (rc == 0 && c->bus_id && strcmp(c->bus_id, "pcie.0") == 0) {
		h->guest_bus = 0;
		rc = set_str(&h->bus_model, "pcie-root");
	}
	return rc;
}

/* What <qemu:commandline> adds: cards and firmware given as QEMU arguments. */
static int read_cmdline_devices(struct xq *q, xmlNodePtr root, struct vmconf *vm, const struct strv *args, xmlNodePtr *nodes)
{
	struct vmconf cl = {0};
	struct err e = {0};
	int rc = qemu_args_read_fragment(args, &cl, &e);
	for (size_t i = 0; rc == 0 && i < cl.n_pci; i++)
		rc = merge_cmdline_card(q, root, vm, &cl.pci[i], nodes);
	for (size_t i = 0; rc == 0 && i < cl.n_mdev; i++) {
		struct vm_mdev *m = vmconf_add_mdev(vm);
		rc = m ? set_str(&m->uuid, cl.mdev[i].uuid) : -ENOMEM;
		if (m) {
			m->display = cl.mdev[i].display;
			m->ramfb = cl.mdev[i].ramfb;
		}
	}
	if (rc == 0 && cl.firmware_given && !vm->firmware_given) {
		vm->firmware_efi = cl.firmware_efi;
		vm->firmware_given = true;
		rc = set_str(&vm->firmware, cl.firmware_efi ? "pflash drive in <qemu:commandline>" : "-bios in <qemu:commandline>");
	}
	if (rc == 0 && cl.kernel && !vm->kernel)
		rc = set_str(&vm->kernel, cl.kernel);
	vmconf_clear(&cl);
	return rc;
}

static int read_commandline(struct xq *q, xmlNodePtr root, struct vmconf *vm)
{
	xmlXPathObjectPtr o = eval(q, root, "qemu:commandline/qemu:arg");
	struct strv args = {0};
	size_t n = nodeset_len(o);
	xmlNodePtr *nodes = calloc(n ? n : 1, sizeof(*nodes));
	int rc = nodes ? 0 : -ENOMEM;
	for (size_t i = 0; i < n && rc == 0; i++) {
		xmlChar *v = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST "value");
		nodes[i] = o->nodesetval->nodeTab[i];
		rc = strv_push(&args, v ? (const char *)v : "");
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	if (rc == 0)
		rc = read_cmdline_devices(q, root, vm, &args, nodes);
	for (size_t i = 0; rc == 0 && i + 1 < args.n; i++) {
		if (strcmp(args.v[i], "-acpitable") == 0) {
			rc = qemu_acpitable_files(args.v[++i], &vm->acpi_tables);
		} else if (strcmp(args.v[i], "-global") == 0) {
			i++;
			rc = vmconf_add_global(vm, args.v[i], nodes[i - 1], nodes[i]);
		} else if (strcmp(args.v[i], "-set") == 0) {
			_cleanup_free_ char *alias = NULL, *prop = NULL, *val = NULL;
			i++;
			if (qemu_parse_set(args.v[i], &alias, &prop, &val) < 0)
				continue;
			rc = vmconf_add_set(vm, alias, prop, val, nodes[i - 1], nodes[i]);
			if (rc < 0)
				break;
			struct vm_pci_hostdev *h = by_alias(vm, alias);
			if (!h) {
				rc = stray(vm, alias);
				continue;
			}
			h->set_form = true;
			bool vendor = strcmp(prop, "x-pci-sub-vendor-id") == 0;
			if ((!vendor && strcmp(prop, "x-pci-sub-device-id") != 0) || h->sub_via == SUB_OVERRIDE)
				continue;
			unsigned long long x;
			h->sub_via = SUB_SET;
			*(vendor ? &h->sub_vendor : &h->sub_device) =
				vm_parse_ull(val, 0xffffffffULL, &x) == 0 ? (long long)x : -2;
		}
	}
	if (rc == 0)
		vmconf_apply_globals(vm);
	free(nodes);
	strv_clear(&args);
	return rc;
}

static int read_strs(struct xq *q, xmlNodePtr root, const char *expr, struct strv *out)
{
	xmlXPathObjectPtr o = eval(q, root, expr);
	int rc = 0;
	for (size_t i = 0; i < nodeset_len(o) && rc == 0; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		rc = v ? strv_push(out, (const char *)v) : -ENOMEM;
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	return rc;
}

static int read_os(struct xq *q, xmlNodePtr root, struct vmconf *vm)
{
	vm->machine = str(q, root, "os/type/@machine");
	vm->kernel = str(q, root, "os/kernel");
	_cleanup_free_ char *fw = str(q, root, "os/@firmware");
	_cleanup_free_ char *loader = str(q, root, "os/loader");
	_cleanup_free_ char *ltype = str(q, root, "os/loader/@type");
	char desc[512];
	vm->firmware_given = (fw && strcmp(fw, "efi") == 0) || loader;
	if (fw && strcmp(fw, "efi") == 0) {
		vm->firmware_efi = true;
		snprintf(desc, sizeof(desc), "firmware='efi'%s%s", loader ? ", loader " : "", loader ? loader : "");
	} else if (loader) {
		vm->firmware_efi = (ltype && strcmp(ltype, "pflash") == 0) || strcasestr(loader, "ovmf") ||
				   strcasestr(loader, "edk2") || strcasestr(loader, "efi");
		snprintf(desc, sizeof(desc), "loader %s", loader);
	} else {
		snprintf(desc, sizeof(desc), "%s", fw ? fw : "SeaBIOS: no <loader> and no firmware='efi'");
	}
	vm->firmware = strdup(desc);
	return vm->firmware ? 0 : -ENOMEM;
}

int lv_doc_read(const struct lv_doc *d, struct vmconf *vm, struct err *e)
{
	xmlDocPtr doc = d->doc;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	struct xq q = { .ctx = xmlXPathNewContext(doc) };
	int rc;
	*vm = (struct vmconf){ .input = VM_LIBVIRT };
	if (!q.ctx)
		return -ENOMEM;
	if (xmlXPathRegisterNs(q.ctx, BAD_CAST "qemu", BAD_CAST QEMU_NS_HREF) != 0) {
		xmlXPathFreeContext(q.ctx);
		return -ENOMEM;
	}
	vm->name = str(&q, root, "name");
	rc = read_os(&q, root, vm);
	xmlXPathObjectPtr o = rc == 0 ? eval(&q, root, "devices/hostdev") : NULL;
	for (size_t i = 0; i < nodeset_len(o) && rc == 0; i++) {
		xmlNodePtr hd = o->nodesetval->nodeTab[i];
		_cleanup_free_ char *type = str(&q, hd, "@type");
		_cleanup_free_ char *mode = str(&q, hd, "@mode");
		if (mode && strcmp(mode, "subsystem") != 0)
			continue;
		if (type && strcmp(type, "pci") == 0)
			rc = read_pci(&q, root, hd, i, vm, e);
		else if (type && strcmp(type, "mdev") == 0)
			rc = read_mdev(&q, hd, vm);
	}
	xmlXPathFreeObject(o);
	if (rc == 0)
		rc = read_strs(&q, root, "devices/graphics/@type", &vm->graphics);
	if (rc == 0)
		rc = read_strs(&q, root, "devices/video/model/@type", &vm->video);
	if (rc == 0)
		rc = read_overrides(&q, root, vm);
	if (rc == 0)
		rc = read_commandline(&q, root, vm);
	xmlXPathFreeContext(q.ctx);
	if (rc < 0 && !e->msg[0])
		err_set(e, "reading the domain: %s", strerror(-rc));
	return rc;
}
