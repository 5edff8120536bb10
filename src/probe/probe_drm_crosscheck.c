/* libdrm's view against sysfs: a disagreement is a finding, never an error. Pure. */
#include "probe/probe_drm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* DRM driver name -> the PCI driver that is bound when that DRM driver runs. */
static const struct {
	const char *drm, *pci;
} aliases[] = {
	{ "virtio_gpu", "virtio-pci" },
	{ "nvidia-drm", "nvidia" },
	{ "vmwgfx", "vmwgfx" },
};

bool drm_driver_matches(const char *drm_name, const char *pci_driver)
{
	if (!drm_name || !pci_driver)
		return false;
	if (strcmp(drm_name, pci_driver) == 0)
		return true;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(drm_name, aliases[i].drm) == 0 && strcmp(pci_driver, aliases[i].pci) == 0)
			return true;
	return false;
}

static void add(struct strv *f, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(struct strv *f, size_t *n, const char *fmt, ...)
{
	char *m = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (r >= 0 && strv_push_take(f, m) == 0)
		(*n)++;
	else if (r >= 0)
		free(m);
}

static const char *base(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

static const struct connector *find_conn(const struct connector *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].name && name && strcmp(c[i].name, name) == 0)
			return &c[i];
	return NULL;
}

static void one(const struct drm_device *d, const struct pci_device *p, struct strv *f, size_t *n)
{
	const char *slot = d->pci_slot;
	if (d->error)
		add(f, n, "%s: %s", slot, d->error);
	if (d->driver && !drm_driver_matches(d->driver, p->driver))
		add(f, n, "%s: libdrm reports driver '%s' but sysfs has '%s' bound", slot, d->driver,
		    p->driver ? p->driver : "no driver");
	if (d->primary && !strv_contains(&p->drm_cards, base(d->primary)))
		add(f, n, "%s: libdrm node %s is not among sysfs's DRM cards of the device", slot, d->primary);
	if (d->render && !strv_contains(&p->drm_renders, base(d->render)))
		add(f, n, "%s: libdrm node %s is not among sysfs's render nodes of the device", slot, d->render);
	if (d->error || !d->primary)
		return;   /* connectors were not read */
	for (size_t i = 0; i < d->n_connectors; i++) {
		const struct connector *c = &d->connectors[i];
		const struct connector *sc = find_conn(p->connectors, p->n_connectors, c->name);
		if (!sc)
			add(f, n, "%s: connector %s is known to libdrm but not in sysfs", slot, c->name);
		else if (c->status && sc->status && strcmp(c->status, sc->status) != 0)
			add(f, n, "%s: connector %s is %s for libdrm but %s in sysfs", slot, c->name, c->status, sc->status);
	}
	for (size_t i = 0; i < p->n_connectors; i++)
		if (!find_conn(d->connectors, d->n_connectors, p->connectors[i].name))
			add(f, n, "%s: connector %s is in sysfs but libdrm does not list it", slot, p->connectors[i].name);
}

size_t drm_crosscheck(const struct snapshot *s, struct strv *findings)
{
	size_t n = 0;
	if (!s->drm.probed)
		return 0;
	for (size_t i = 0; i < s->drm.n; i++) {
		const struct drm_device *d = &s->drm.v[i];
		if (!d->pci_slot) {
			if (d->error)
				add(findings, &n, "%s: %s", d->primary ? d->primary : "DRM device", d->error);
			continue;
		}
		const struct pci_device *p = snapshot_find_slot(s, d->pci_slot);
		if (!p) {
			add(findings, &n, "%s: libdrm lists a DRM device (%s) that the PCI scan did not record",
			    d->pci_slot, d->driver ? d->driver : "unknown driver");
			continue;
		}
		one(d, p, findings, &n);
	}
	for (size_t i = 0; i < s->n_pci; i++) {
		const struct pci_device *p = &s->pci[i];
		if (!p->drm_cards.n && !p->drm_renders.n)
			continue;
		bool seen = false;
		for (size_t k = 0; k < s->drm.n && !seen; k++)
			seen = s->drm.v[k].pci_slot && strcmp(s->drm.v[k].pci_slot, p->slot) == 0;
		if (!seen)
			add(findings, &n, "%s: sysfs shows DRM node %s but libdrm does not list the device", p->slot,
			    p->drm_cards.n ? p->drm_cards.v[0] : p->drm_renders.v[0]);
	}
	return n;
}
