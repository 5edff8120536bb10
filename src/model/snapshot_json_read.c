/* Reading a snapshot back from JSON. Hostile input: every field is checked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot_json.h"
#include "util/cleanup.h"

struct rd {
	struct err *e;
	char where[128];
	int rc;
};

static void fail(struct rd *r, const char *key, const char *what)
{
	if (r->rc < 0)
		return;
	r->rc = -EINVAL;
	err_set(r->e, "%s%s%s: %s", r->where, *r->where ? "." : "", key, what);
}

static const json_t *need(struct rd *r, const json_t *o, const char *key, json_type t, const char *what)
{
	const json_t *v = json_object_get(o, key);
	if (!v || json_typeof(v) != t) {
		fail(r, key, what);
		return NULL;
	}
	return v;
}

static char *get_str(struct rd *r, const json_t *o, const char *key, bool nullable)
{
	const json_t *v = json_object_get(o, key);
	if (nullable && (!v || json_is_null(v)))
		return NULL;
	char *s = NULL;
	int rc = v && json_is_text(v) ? json_text_dup(v, &s) : -EINVAL;
	if (rc == -EINVAL)
		fail(r, key, nullable ? "expected a string or null" : "expected a string");
	else if (rc < 0)
		r->rc = rc;
	return s;
}

static unsigned get_hex(struct rd *r, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	const char *s = v && json_is_string(v) ? json_string_value(v) : NULL;
	char *end = NULL;
	if (!s || strncmp(s, "0x", 2) != 0 || !s[2]) {
		fail(r, key, "expected a hex string like \"0x10de\"");
		return 0;
	}
	errno = 0;
	unsigned long x = strtoul(s + 2, &end, 16);
	if (errno || *end || x > 0xffffffffUL || s[2] == '-' || s[2] == '+') {
		fail(r, key, "expected a hex string like \"0x10de\"");
		return 0;
	}
	return (unsigned)x;
}

static unsigned get_uint(struct rd *r, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!v || !json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 0xffffffffLL) {
		fail(r, key, "expected a non-negative integer");
		return 0;
	}
	return (unsigned)json_integer_value(v);
}

static bool get_bool(struct rd *r, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!v || !json_is_boolean(v)) {
		fail(r, key, "expected true or false");
		return false;
	}
	return json_is_true(v);
}

static void get_strv(struct rd *r, const json_t *o, const char *key, struct strv *out)
{
	const json_t *a = need(r, o, key, JSON_ARRAY, "expected an array of strings");
	size_t i;
	const json_t *v;
	if (!a)
		return;
	json_array_foreach(a, i, v) {
		char *s = NULL;
		int rc = json_is_text(v) ? json_text_dup(v, &s) : -EINVAL;
		if (rc == -EINVAL) {
			fail(r, key, "expected an array of strings");
			return;
		}
		if (rc < 0 || strv_push_take(out, s) < 0)
			r->rc = -ENOMEM;
	}
}

static void get_connectors(struct rd *r, const json_t *o, struct connector **ret, size_t *ret_n)
{
	const json_t *a = need(r, o, "connectors", JSON_ARRAY, "expected an array");
	size_t i;
	const json_t *v;
	if (!a || json_array_size(a) == 0)
		return;
	*ret = calloc(json_array_size(a), sizeof(**ret));
	if (!*ret) {
		r->rc = -ENOMEM;
		return;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_object(v)) {
			fail(r, "connectors", "expected objects");
			return;
		}
		(*ret)[i].name = get_str(r, v, "name", false);
		(*ret)[i].status = get_str(r, v, "status", false);
		*ret_n = i + 1;
	}
}

static void read_pci(struct rd *r, const json_t *o, struct pci_device *d)
{
	d->slot = get_str(r, o, "slot", false);
	d->vendor = get_hex(r, o, "vendor");
	d->device = get_hex(r, o, "device");
	d->subsystem_vendor = get_hex(r, o, "subsystem_vendor");
	d->subsystem_device = get_hex(r, o, "subsystem_device");
	d->class = get_hex(r, o, "class");
	d->revision = get_hex(r, o, "revision");
	d->driver = get_str(r, o, "driver", true);
	const json_t *bv = json_object_get(o, "boot_vga");
	if (!bv || json_is_null(bv))
		d->boot_vga = -1;
	else
		d->boot_vga = get_bool(r, o, "boot_vga");
	d->rom = get_bool(r, o, "rom");
	d->parent = get_str(r, o, "parent", true);
	d->sysfs_path = get_str(r, o, "sysfs_path", true);
	get_strv(r, o, "drm_cards", &d->drm_cards);
	get_strv(r, o, "drm_renders", &d->drm_renders);
	get_connectors(r, o, &d->connectors, &d->n_connectors);
	d->role = get_str(r, o, "role", true);
	get_strv(r, o, "evidence", &d->evidence);
	if (r->rc == 0 && d->slot) {
		unsigned a, b, c, f;
		if (sscanf(d->slot, "%4x:%2x:%2x.%1x", &a, &b, &c, &f) != 4 || strlen(d->slot) != 12 || c > 31 || f > 7)
			fail(r, "slot", "expected a PCI address like \"0000:01:00.0\"");
		d->domain = a, d->bus = b, d->dev = c, d->func = f;
	}
}

static void read_env(struct rd *r, const json_t *o, struct environment *e)
{
	e->hypervisor_flag = get_bool(r, o, "hypervisor_flag");
	e->dmi_sys_vendor = get_str(r, o, "dmi_sys_vendor", true);
	e->dmi_product_name = get_str(r, o, "dmi_product_name", true);
	e->dmi_product_version = get_str(r, o, "dmi_product_version", true);
	e->dmi_bios_vendor = get_str(r, o, "dmi_bios_vendor", true);
	e->machine = get_str(r, o, "machine", true);
	e->firmware = get_str(r, o, "firmware", true);
	get_strv(r, o, "setup_data_types", &e->setup_data_types);
	e->efi_pci_rom = get_bool(r, o, "efi_pci_rom");
	if (json_object_get(o, "setup_data_pci_roms")) /* absent in snapshots of 0.1.0 */
		get_strv(r, o, "setup_data_pci_roms", &e->pci_roms);
	get_strv(r, o, "modules", &e->modules);
	get_strv(r, o, "xorg_drivers", &e->xorg_drivers);
	const json_t *t = need(r, o, "acpi_tables", JSON_ARRAY, "expected an array");
	if (t && json_array_size(t)) {
		size_t i;
		const json_t *v;
		e->acpi_tables = calloc(json_array_size(t), sizeof(*e->acpi_tables));
		if (!e->acpi_tables) {
			r->rc = -ENOMEM;
			return;
		}
		json_array_foreach(t, i, v) {
			if (!json_is_object(v)) {
				fail(r, "acpi_tables", "expected objects");
				break;
			}
			e->acpi_tables[i].name = get_str(r, v, "name", false);
			e->acpi_tables[i].signature = get_str(r, v, "signature", true);
			e->acpi_tables[i].oem_id = get_str(r, v, "oem_id", true);
			e->acpi_tables[i].oem_table_id = get_str(r, v, "oem_table_id", true);
			e->n_acpi_tables = i + 1;
		}
	}
	e->cmdline = get_str(r, o, "cmdline", true);
	e->kernel_release = get_str(r, o, "kernel_release", true);
	e->session_type = get_str(r, o, "session_type", true);
	e->xorg_version = get_str(r, o, "xorg_version", true);
}

static void read_xorg(struct rd *r, const json_t *a, struct snapshot *s)
{
	size_t i, j;
	const json_t *f, *l;
	if (!json_array_size(a))
		return;
	s->xorg = calloc(json_array_size(a), sizeof(*s->xorg));
	if (!s->xorg) {
		r->rc = -ENOMEM;
		return;
	}
	json_array_foreach(a, i, f) {
		snprintf(r->where, sizeof(r->where), "xorg_config[%zu]", i);
		if (!json_is_object(f)) {
			fail(r, "path", "expected an object");
			return;
		}
		struct xorg_file *x = &s->xorg[i];
		s->n_xorg = i + 1;
		x->path = get_str(r, f, "path", false);
		x->ours = get_bool(r, f, "ours");
		const json_t *lines = need(r, f, "lines", JSON_ARRAY, "expected an array");
		if (!lines || !json_array_size(lines))
			continue;
		x->lines = calloc(json_array_size(lines), sizeof(*x->lines));
		if (!x->lines) {
			r->rc = -ENOMEM;
			return;
		}
		json_array_foreach(lines, j, l) {
			if (!json_is_object(l)) {
				fail(r, "lines", "expected objects");
				return;
			}
			x->lines[j].line = get_uint(r, l, "line");
			x->lines[j].text = get_str(r, l, "text", false);
			x->n_lines = j + 1;
		}
	}
}

static void read_providers(struct rd *r, const json_t *o, struct providers *p)
{
	snprintf(r->where, sizeof(r->where), "providers");
	p->source = get_str(r, o, "source", true);
	p->randr_version = get_str(r, o, "randr_version", true);
	p->supported = get_bool(r, o, "supported");
	const json_t *a = need(r, o, "list", JSON_ARRAY, "expected an array");
	size_t i;
	const json_t *v;
	if (!a || !json_array_size(a))
		return;
	p->v = calloc(json_array_size(a), sizeof(*p->v));
	if (!p->v) {
		r->rc = -ENOMEM;
		return;
	}
	json_array_foreach(a, i, v) {
		snprintf(r->where, sizeof(r->where), "providers.list[%zu]", i);
		if (!json_is_object(v)) {
			fail(r, "name", "expected an object");
			return;
		}
		struct randr_provider *x = &p->v[i];
		p->n = i + 1;
		x->index = get_uint(r, v, "index");
		x->id = get_hex(r, v, "id");
		x->caps = get_hex(r, v, "caps");
		x->crtcs = get_uint(r, v, "crtcs");
		x->outputs = get_uint(r, v, "outputs");
		x->associated = get_uint(r, v, "associated");
		x->name = get_str(r, v, "name", true);
		x->pci_slot = get_str(r, v, "pci_slot", true);
		x->offload_sink = get_hex(r, v, "offload_sink");
		x->output_source = get_hex(r, v, "output_source");
	}
}

static void read_drm(struct rd *r, const json_t *o, struct drm_live *d)
{
	snprintf(r->where, sizeof(r->where), "drm");
	d->probed = get_bool(r, o, "probed");
	const json_t *a = need(r, o, "list", JSON_ARRAY, "expected an array");
	size_t i;
	const json_t *v;
	if (!a || !json_array_size(a))
		return;
	d->v = calloc(json_array_size(a), sizeof(*d->v));
	if (!d->v) {
		r->rc = -ENOMEM;
		return;
	}
	json_array_foreach(a, i, v) {
		snprintf(r->where, sizeof(r->where), "drm.list[%zu]", i);
		if (!json_is_object(v)) {
			fail(r, "primary", "expected an object");
			return;
		}
		struct drm_device *x = &d->v[i];
		d->n = i + 1;
		x->pci_slot = get_str(r, v, "pci_slot", true);
		x->primary = get_str(r, v, "primary", true);
		x->render = get_str(r, v, "render", true);
		x->driver = get_str(r, v, "driver", true);
		x->driver_version = get_str(r, v, "driver_version", true);
		x->error = get_str(r, v, "error", true);
		get_connectors(r, v, &x->connectors, &x->n_connectors);
	}
}

int snapshot_from_json(const json_t *j, struct snapshot **ret, struct err *e)
{
	_cleanup_(snapshot_freep) struct snapshot *s = snapshot_new();
	struct rd r = { .e = e };
	if (!s)
		return -ENOMEM;
	if (!json_is_object(j)) {
		err_set(e, "expected a JSON object (the output of 'optimus-guest probe --json')");
		return -EINVAL;
	}
	s->version = (int)get_uint(&r, j, "version");
	if (r.rc == 0 && s->version != SNAPSHOT_VERSION) {
		err_set(e, "snapshot version %d is not %d; record it again with this version's 'probe --json'",
			s->version, SNAPSHOT_VERSION);
		return -EINVAL;
	}
	const json_t *pci = need(&r, j, "pci", JSON_ARRAY, "expected an array");
	if (pci && json_array_size(pci)) {
		size_t i;
		const json_t *v;
		s->pci = calloc(json_array_size(pci), sizeof(*s->pci));
		if (!s->pci)
			return -ENOMEM;
		json_array_foreach(pci, i, v) {
			snprintf(r.where, sizeof(r.where), "pci[%zu]", i);
			if (!json_is_object(v)) {
				fail(&r, "slot", "expected an object");
				break;
			}
			s->n_pci = i + 1;
			read_pci(&r, v, &s->pci[i]);
		}
	}
	r.where[0] = 0;
	const json_t *env = need(&r, j, "environment", JSON_OBJECT, "expected an object");
	if (env) {
		snprintf(r.where, sizeof(r.where), "environment");
		read_env(&r, env, &s->env);
	}
	r.where[0] = 0;
	const json_t *x = need(&r, j, "xorg_config", JSON_ARRAY, "expected an array");
	if (x)
		read_xorg(&r, x, s);
	r.where[0] = 0;
	const json_t *p = need(&r, j, "providers", JSON_OBJECT, "expected an object");
	if (p)
		read_providers(&r, p, &s->providers);
	r.where[0] = 0;
	const json_t *d = need(&r, j, "drm", JSON_OBJECT, "expected an object");
	if (d)
		read_drm(&r, d, &s->drm);
	r.where[0] = 0;
	if (json_object_get(j, "skipped"))
		get_strv(&r, j, "skipped", &s->skipped);
	if (r.rc < 0)
		return r.rc;
	*ret = TAKE_PTR(s);
	return 0;
}

int snapshot_from_string(const char *text, size_t len, const char *name, struct snapshot **ret, struct err *e)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		err_set(e, "%s:%d:%d: %s; is this the output of 'optimus-guest probe --json'?", name, je.line,
			je.column, je.text);
		return -EINVAL;
	}
	int rc = snapshot_from_json(j, ret, e);
	json_decref(j);
	if (rc < 0 && rc != -ENOMEM)
		err_prefix(e, "%s", name);
	return rc;
}
