#include "model/snapshot_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

static json_t *connectors_json(const struct connector *c, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o}", "name", json_text(c[i].name), "status", json_text(c[i].status)));
	return a;
}

static json_t *pci_json(const struct pci_device *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "slot", json_text(d->slot));
	json_object_set_new(o, "vendor", json_hex(d->vendor, 4));
	json_object_set_new(o, "device", json_hex(d->device, 4));
	json_object_set_new(o, "subsystem_vendor", json_hex(d->subsystem_vendor, 4));
	json_object_set_new(o, "subsystem_device", json_hex(d->subsystem_device, 4));
	json_object_set_new(o, "class", json_hex(d->class, 6));
	json_object_set_new(o, "revision", json_hex(d->revision, 2));
	json_object_set_new(o, "driver", json_str_or_null(d->driver));
	json_object_set_new(o, "boot_vga", d->boot_vga < 0 ? json_null() : json_boolean(d->boot_vga));
	json_object_set_new(o, "rom", json_boolean(d->rom));
	json_object_set_new(o, "parent", json_str_or_null(d->parent));
	json_object_set_new(o, "sysfs_path", json_str_or_null(d->sysfs_path));
	json_object_set_new(o, "drm_cards", json_strv(&d->drm_cards));
	json_object_set_new(o, "drm_renders", json_strv(&d->drm_renders));
	json_object_set_new(o, "connectors", connectors_json(d->connectors, d->n_connectors));
	json_object_set_new(o, "role", json_str_or_null(d->role));
	json_object_set_new(o, "evidence", json_strv(&d->evidence));
	return o;
}

static json_t *env_json(const struct environment *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "hypervisor_flag", json_boolean(e->hypervisor_flag));
	json_object_set_new(o, "dmi_sys_vendor", json_str_or_null(e->dmi_sys_vendor));
	json_object_set_new(o, "dmi_product_name", json_str_or_null(e->dmi_product_name));
	json_object_set_new(o, "dmi_product_version", json_str_or_null(e->dmi_product_version));
	json_object_set_new(o, "dmi_bios_vendor", json_str_or_null(e->dmi_bios_vendor));
	json_object_set_new(o, "machine", json_str_or_null(e->machine));
	json_object_set_new(o, "firmware", json_str_or_null(e->firmware));
	json_object_set_new(o, "setup_data_types", json_strv(&e->setup_data_types));
	json_object_set_new(o, "efi_pci_rom", json_boolean(e->efi_pci_rom));
	json_object_set_new(o, "setup_data_pci_roms", json_strv(&e->pci_roms));
	json_object_set_new(o, "modules", json_strv(&e->modules));
	json_object_set_new(o, "xorg_drivers", json_strv(&e->xorg_drivers));
	json_t *t = json_array();
	for (size_t i = 0; i < e->n_acpi_tables; i++) {
		const struct acpi_table *a = &e->acpi_tables[i];
		json_array_append_new(t, json_pack("{s:o, s:o, s:o, s:o}", "name", json_text(a->name),
						   "signature", json_str_or_null(a->signature),
						   "oem_id", json_str_or_null(a->oem_id),
						   "oem_table_id", json_str_or_null(a->oem_table_id)));
	}
	json_object_set_new(o, "acpi_tables", t);
	json_object_set_new(o, "cmdline", json_str_or_null(e->cmdline));
	json_object_set_new(o, "kernel_release", json_str_or_null(e->kernel_release));
	json_object_set_new(o, "session_type", json_str_or_null(e->session_type));
	json_object_set_new(o, "xorg_version", json_str_or_null(e->xorg_version));
	return o;
}

static json_t *xorg_json(const struct snapshot *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n_xorg; i++) {
		const struct xorg_file *f = &s->xorg[i];
		json_t *lines = json_array();
		for (size_t j = 0; j < f->n_lines; j++)
			json_array_append_new(lines, json_pack("{s:i, s:o}", "line", (json_int_t)f->lines[j].line,
							       "text", json_text(f->lines[j].text)));
		json_array_append_new(a, json_pack("{s:o, s:b, s:o}", "path", json_text(f->path), "ours", f->ours, "lines", lines));
	}
	return a;
}

static json_t *providers_json(const struct providers *p)
{
	json_t *list = json_array();
	for (size_t i = 0; i < p->n; i++) {
		const struct randr_provider *v = &p->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "index", json_integer(v->index));
		json_object_set_new(o, "id", json_hex(v->id, 1));
		json_object_set_new(o, "caps", json_hex(v->caps, 1));
		json_object_set_new(o, "crtcs", json_integer(v->crtcs));
		json_object_set_new(o, "outputs", json_integer(v->outputs));
		json_object_set_new(o, "associated", json_integer(v->associated));
		json_object_set_new(o, "name", json_str_or_null(v->name));
		json_object_set_new(o, "pci_slot", json_str_or_null(v->pci_slot));
		json_object_set_new(o, "offload_sink", json_hex(v->offload_sink, 1));
		json_object_set_new(o, "output_source", json_hex(v->output_source, 1));
		json_array_append_new(list, o);
	}
	return json_pack("{s:o, s:o, s:b, s:o}", "source", json_str_or_null(p->source), "randr_version",
			 json_str_or_null(p->randr_version), "supported", p->supported, "list", list);
}

static json_t *drm_json(const struct drm_live *d)
{
	json_t *list = json_array();
	for (size_t i = 0; i < d->n; i++) {
		const struct drm_device *v = &d->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "pci_slot", json_str_or_null(v->pci_slot));
		json_object_set_new(o, "primary", json_str_or_null(v->primary));
		json_object_set_new(o, "render", json_str_or_null(v->render));
		json_object_set_new(o, "driver", json_str_or_null(v->driver));
		json_object_set_new(o, "driver_version", json_str_or_null(v->driver_version));
		json_object_set_new(o, "error", json_str_or_null(v->error));
		json_object_set_new(o, "connectors", connectors_json(v->connectors, v->n_connectors));
		json_array_append_new(list, o);
	}
	return json_pack("{s:b, s:o}", "probed", d->probed, "list", list);
}

json_t *snapshot_to_json(const struct snapshot *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(s->version));
	json_t *pci = json_array();
	for (size_t i = 0; i < s->n_pci; i++)
		json_array_append_new(pci, pci_json(&s->pci[i]));
	json_object_set_new(o, "pci", pci);
	json_object_set_new(o, "environment", env_json(&s->env));
	json_object_set_new(o, "xorg_config", xorg_json(s));
	json_object_set_new(o, "providers", providers_json(&s->providers));
	json_object_set_new(o, "drm", drm_json(&s->drm));
	if (s->skipped.n)   /* only when there is something: older snapshots stay byte for byte */
		json_object_set_new(o, "skipped", json_strv(&s->skipped));
	return o;
}

char *snapshot_to_string(const struct snapshot *s)
{
	json_t *j = snapshot_to_json(s);
	if (!j)
		return NULL;
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *out = realloc(text, n + 2);
	if (!out) {
		free(text);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = 0;
	return out;
}
