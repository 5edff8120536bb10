#include "model/snapshot.h"

#include <stdlib.h>
#include <string.h>

struct snapshot *snapshot_new(void)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	if (s)
		s->version = SNAPSHOT_VERSION;
	return s;
}

void connectors_free(struct connector *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].status);
	}
	free(c);
}

void pci_device_clear(struct pci_device *d)
{
	free(d->slot);
	free(d->driver);
	free(d->parent);
	free(d->sysfs_path);
	strv_clear(&d->drm_cards);
	strv_clear(&d->drm_renders);
	connectors_free(d->connectors, d->n_connectors);
	free(d->role);
	strv_clear(&d->evidence);
	memset(d, 0, sizeof(*d));
}

static void env_clear(struct environment *e)
{
	free(e->dmi_sys_vendor);
	free(e->dmi_product_name);
	free(e->dmi_product_version);
	free(e->dmi_bios_vendor);
	free(e->machine);
	free(e->firmware);
	strv_clear(&e->setup_data_types);
	strv_clear(&e->pci_roms);
	strv_clear(&e->modules);
	strv_clear(&e->xorg_drivers);
	for (size_t i = 0; i < e->n_acpi_tables; i++) {
		free(e->acpi_tables[i].name);
		free(e->acpi_tables[i].signature);
		free(e->acpi_tables[i].oem_id);
		free(e->acpi_tables[i].oem_table_id);
	}
	free(e->acpi_tables);
	free(e->cmdline);
	free(e->kernel_release);
	free(e->session_type);
	free(e->xorg_version);
}

struct snapshot *snapshot_free(struct snapshot *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->n_pci; i++)
		pci_device_clear(&s->pci[i]);
	free(s->pci);
	env_clear(&s->env);
	for (size_t i = 0; i < s->n_xorg; i++)
		xorg_file_clear(&s->xorg[i]);
	free(s->xorg);
	providers_clear(&s->providers);
	drm_live_clear(&s->drm);
	strv_clear(&s->skipped);
	free(s);
	return NULL;
}

bool pci_is_display(const struct pci_device *d)
{
	return (d->class >> 16) == 0x03;
}

const struct pci_device *snapshot_find_slot(const struct snapshot *s, const char *slot)
{
	for (size_t i = 0; i < s->n_pci; i++)
		if (strcmp(s->pci[i].slot, slot) == 0)
			return &s->pci[i];
	return NULL;
}

const struct pci_device *snapshot_find_role(const struct snapshot *s, const char *role)
{
	for (size_t i = 0; i < s->n_pci; i++)
		if (s->pci[i].role && strcmp(s->pci[i].role, role) == 0)
			return &s->pci[i];
	return NULL;
}

size_t snapshot_count_role(const struct snapshot *s, const char *role)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_pci; i++)
		if (s->pci[i].role && strcmp(s->pci[i].role, role) == 0)
			n++;
	return n;
}

void xorg_file_clear(struct xorg_file *f)
{
	free(f->path);
	for (size_t i = 0; i < f->n_lines; i++)
		free(f->lines[i].text);
	free(f->lines);
	memset(f, 0, sizeof(*f));
}

void providers_clear(struct providers *p)
{
	free(p->source);
	free(p->randr_version);
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].pci_slot);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

void drm_live_clear(struct drm_live *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct drm_device *x = &d->v[i];
		free(x->pci_slot);
		free(x->primary);
		free(x->render);
		free(x->driver);
		free(x->driver_version);
		free(x->error);
		connectors_free(x->connectors, x->n_connectors);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
