/* Which PCI device each RandR provider drives. Pure.
 *
 * The rule (RandR does not name the device, so this is inferred):
 * - "NVIDIA-0", "NVIDIA-G0", "NVIDIA-G1"...: the device bound to the kernel
 *   driver `nvidia`, when there is exactly one.
 * - A provider named like a kernel driver ("nouveau"; "Intel" for i915, the
 *   name xf86-video-intel uses): the device bound to that driver, when exactly one.
 * - "modesetting": the candidates are the display devices with a DRM card node
 *   whose driver is not `nvidia` and not claimed by a provider of its own name
 *   (nouveau above). X lists its protocol screen first, then the GPU screens,
 *   so the candidates are ordered the same way: the primary GPU first (the
 *   device matched by an Xorg OutputClass with Option "PrimaryGPU", else the
 *   boot VGA device), then the others by DRM card number. The i-th modesetting
 *   provider is the i-th candidate when the counts agree; otherwise every
 *   modesetting provider keeps pci_slot NULL (ambiguous, e.g. QXL driven by
 *   the qxl DDX, which has no provider).
 */
#include "model/providers.h"
#include "model/classify.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *provider_driver(const char *name)
{
	if (!name)
		return NULL;
	if (strncmp(name, "NVIDIA-", 7) == 0)
		return "nvidia";
	if (strcmp(name, "Intel") == 0)
		return "i915";
	return name;
}

static const struct pci_device *unique_driver(const struct snapshot *s, const char *driver)
{
	const struct pci_device *hit = NULL;
	for (size_t i = 0; i < s->n_pci; i++) {
		const struct pci_device *d = &s->pci[i];
		if (!pci_is_display(d) || !d->driver || strcmp(pci_drm_driver(d), driver) != 0)
			continue;
		if (hit)
			return NULL;
		hit = d;
	}
	return hit;
}

static bool named_provider_for(const struct providers *p, const char *driver)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *dr = provider_driver(p->v[i].name);
		if (dr && strcmp(p->v[i].name, "modesetting") != 0 && strcmp(dr, driver) == 0)
			return true;
	}
	return false;
}

/* The MatchDriver value of a file that also sets PrimaryGPU, or NULL. */
static bool primary_by_config(const struct snapshot *s, const char *driver)
{
	for (size_t i = 0; i < s->n_xorg; i++) {
		const struct xorg_file *f = &s->xorg[i];
		bool primary = false;
		const char *match = NULL;
		for (size_t j = 0; j < f->n_lines; j++) {
			const char *t = f->lines[j].text;
			if (!t)
				continue;
			if (strcasestr(t, "PrimaryGPU") && !strcasestr(t, "\"false\"") && !strcasestr(t, "\"off\"") &&
			    !strcasestr(t, "\"no\"") && !strcasestr(t, "\"0\""))
				primary = true;
			if (strncasecmp(t, "MatchDriver", 11) == 0)
				match = t + 11;
		}
		if (!primary || !match)
			continue;
		const char *q = strchr(match, '"');
		if (!q)
			continue;
		/* "i915|nouveau": alternatives separated by '|' */
		for (const char *a = q + 1; *a && *a != '"';) {
			size_t n = strcspn(a, "|\"");
			if (n == strlen(driver) && strncmp(a, driver, n) == 0)
				return true;
			a += n;
			if (*a == '|')
				a++;
		}
	}
	return false;
}

static unsigned card_number(const struct pci_device *d)
{
	unsigned best = ~0u;
	for (size_t i = 0; i < d->drm_cards.n; i++) {
		unsigned n = (unsigned)strtoul(d->drm_cards.v[i] + (strncmp(d->drm_cards.v[i], "card", 4) ? 0 : 4), NULL, 10);
		if (n < best)
			best = n;
	}
	return best;
}

/* Sort key: 0 configured primary, 1 boot VGA, 2 others; then card number. */
static unsigned long rank(const struct snapshot *s, const struct pci_device *d)
{
	unsigned tier = d->driver && primary_by_config(s, pci_drm_driver(d)) ? 0 : d->boot_vga == 1 ? 1 : 2;
	return (unsigned long)tier << 32 | card_number(d);
}

void providers_map_pci(struct providers *p, const struct snapshot *s)
{
	const struct pci_device *cand[64];
	size_t nc = 0, nms = 0;

	for (size_t i = 0; i < s->n_pci && nc < 64; i++) {
		const struct pci_device *d = &s->pci[i];
		if (!pci_is_display(d) || !d->drm_cards.n || !d->driver || strcmp(d->driver, "nvidia") == 0 ||
		    named_provider_for(p, pci_drm_driver(d)))
			continue;
		/* insertion sort by rank */
		size_t k = nc++;
		while (k > 0 && rank(s, cand[k - 1]) > rank(s, d)) {
			cand[k] = cand[k - 1];
			k--;
		}
		cand[k] = d;
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].name && strcmp(p->v[i].name, "modesetting") == 0)
			nms++;

	size_t ms = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct randr_provider *v = &p->v[i];
		const struct pci_device *d = NULL;
		free(v->pci_slot);
		v->pci_slot = NULL;
		if (!v->name)
			continue;
		if (strcmp(v->name, "modesetting") == 0) {
			if (nms == nc)
				d = cand[ms];
			ms++;
		} else {
			d = unique_driver(s, provider_driver(v->name));
		}
		if (d && d->slot)
			v->pci_slot = strdup(d->slot);
	}
}

const struct randr_provider *providers_find_role(const struct providers *p, const struct snapshot *s,
						 const char *role)
{
	const struct randr_provider *hit = NULL;
	for (size_t i = 0; i < p->n; i++) {
		const struct pci_device *d = p->v[i].pci_slot ? snapshot_find_slot(s, p->v[i].pci_slot) : NULL;
		if (!d || !d->role || strcmp(d->role, role) != 0)
			continue;
		if (hit)
			return NULL;
		hit = &p->v[i];
	}
	return hit;
}

const struct randr_provider *providers_primary(const struct providers *p, const struct snapshot *s)
{
	if (!p->n || !p->v[0].pci_slot || !p->v[0].name)
		return NULL;
	const struct randr_provider *v = &p->v[0];
	/* "NVIDIA-0" names an X screen, "NVIDIA-G0" a GPU screen */
	if (strncmp(v->name, "NVIDIA-", 7) == 0)
		return v->name[7] != 'G' ? v : NULL;
	const struct pci_device *d = snapshot_find_slot(s, v->pci_slot);
	if (!d)
		return NULL;
	if (d->driver && primary_by_config(s, pci_drm_driver(d)))
		return v;
	if (strcmp(v->name, "nouveau") == 0) {
		/* the nouveau DDX listed first drives X's screen, unless that screen's driver lists no
		 * provider at all (an emulated boot VGA device no provider is mapped to, as with qxl) */
		for (size_t i = 0; i < s->n_pci; i++) {
			const struct pci_device *b = &s->pci[i];
			bool mapped = false;
			if (b == d || b->boot_vga != 1)
				continue;
			for (size_t k = 0; k < p->n && !mapped; k++)
				mapped = p->v[k].pci_slot && b->slot && strcmp(p->v[k].pci_slot, b->slot) == 0;
			if (!mapped)
				return NULL;
		}
		return v;
	}
	for (size_t i = 0; i < s->n_pci; i++)
		if (s->pci[i].driver && &s->pci[i] != d && primary_by_config(s, pci_drm_driver(&s->pci[i])))
			return NULL;   /* X was told another device is the primary GPU */
	return d->boot_vga == 1 ? v : NULL;
}
