/* Checks on the RandR providers of the running X server (when known). */
#include <stdio.h>
#include <string.h>

#include "plan/checks_int.h"
#include "model/classify.h"
#include "model/providers.h"
#include "model/snapshot.h"

#define CAP_SOURCE_OUTPUT 1u
#define CAP_SINK_OUTPUT 2u
#define CAP_SOURCE_OFFLOAD 4u
#define CAP_SINK_OFFLOAD 8u

static bool known(struct ctx *c)
{
	const struct providers *p = &c->s->providers;
	if (!p->source) {
		check_say(c, "RandR providers not known (no X server asked: run in the session, or give --providers FILE)");
		return false;
	}
	if (!p->supported) {
		check_say(c, "the X server (%s) does not speak RandR 1.4: no providers to check", p->source);
		return false;
	}
	return true;
}

static void caps_words(unsigned caps, char *out, size_t n)
{
	static const char *const w[] = { "Source Output", "Sink Output", "Source Offload", "Sink Offload" };
	size_t off = 0;
	out[0] = 0;
	for (unsigned i = 0; i < 4; i++)
		if (caps & (1u << i))
			off += (size_t)snprintf(out + off, n > off ? n - off : 0, "%s%s", off ? ", " : "", w[i]);
	if (!off)
		snprintf(out, n, "none");
}

/* NVIDIA-G<n>: the binary driver's GPU screen. It renders offloaded work through its own GLX and
 * Vulkan path (__NV_PRIME_RENDER_OFFLOAD) and lists cap 0x0, as in NVIDIA's README. */
static bool nvidia_gpu_screen(const struct randr_provider *v)
{
	return v->name && strncmp(v->name, "NVIDIA-G", 8) == 0;
}

static bool can_render_source(const struct randr_provider *v)
{
	return (v->caps & CAP_SOURCE_OFFLOAD) || nvidia_gpu_screen(v);
}

bool check_providers_offload(struct ctx *c)
{
	if (!known(c))
		return true;
	const struct providers *pv = &c->s->providers;
	const struct randr_provider *pri = (c->p->primary ? providers_find_role(pv, c->s, c->p->primary) : NULL);
	const struct randr_provider *ren = (c->p->renderer ? providers_find_role(pv, c->s, c->p->renderer) : NULL);
	const struct randr_provider *cur = providers_primary(pv, c->s);
	char w[96];
	if (ren && cur == ren && c->p->primary && c->p->renderer && strcmp(c->p->primary, c->p->renderer)) {
		check_say(c, "provider %u '%s' of the renderer (%s) is X's primary screen: X runs on the NVIDIA card, so this row's render offload onto %s does not work as X runs now",
		    ren->index, ren->name ? ren->name : "?", ren->pci_slot ? ren->pci_slot : "?", c->p->primary);
		check_fix(c, "'optimus-guest apply' makes the %s device X's primary GPU; then restart X (or the display manager) and list the providers again", c->p->primary);
		c->lower = true;  /* apply is the remedy, so it must not be refused for it */
		return false;
	}
	if (pri && !(pri->caps & CAP_SINK_OFFLOAD)) {
		caps_words(pri->caps, w, sizeof(w));
		check_say(c, "provider %u '%s' of the primary GPU (%s) offers %s, not Sink Offload: render offload needs Sink Offload on the primary",
		    pri->index, pri->name ? pri->name : "?", pri->pci_slot ? pri->pci_slot : "?", w);
		check_fix(c, "drive the primary with modesetting and glamor (AccelMethod glamor, Mesa installed); the written configuration uses modesetting");
		return false;
	}
	if (ren && !can_render_source(ren)) {
		caps_words(ren->caps, w, sizeof(w));
		check_say(c, "provider %u '%s' of the renderer (%s) offers %s, not Source Offload: it cannot render for another GPU",
		    ren->index, ren->name ? ren->name : "?", ren->pci_slot ? ren->pci_slot : "?", w);
		check_fix(c, "nouveau needs acceleration for PRIME (no NoAccel/ShadowFB options); the binary driver needs its GPU screen (AllowNVIDIAGPUScreens)");
		return false;
	}
	if (!ren && c->p->renderer) {
		/* the renderer's provider is not mapped: is there any provider that could render? */
		const struct randr_provider *src = NULL;
		for (size_t i = 0; i < pv->n && !src; i++)
			if (&pv->v[i] != pri && can_render_source(&pv->v[i]))
				src = &pv->v[i];
		if (!src) {
			check_say(c, "no provider of the %zu listed%s can act as the render source (none but the primary offers Source Offload, and no NVIDIA-G0 GPU screen is listed): nothing renders for %s",
			    pv->n, pv->n ? "" : " (none)", c->p->primary ? c->p->primary : "the primary");
			check_fix(c, "the renderer's X driver did not load: check /var/log/Xorg.0.log for the nouveau or nvidia module ('optimus-guest report' names the errors); the binary driver needs AllowNVIDIAGPUScreens");
			return false;
		}
		check_say(c, "providers fit render offload: provider %u '%s' can be the render source%s", src->index, src->name ? src->name : "?",
		    pri ? ", the primary offers Sink Offload" : " (the primary's provider is not mapped to a device)");
		return true;
	}
	check_say(c, "providers fit render offload%s%s", pri ? ": the primary offers Sink Offload" : " (the primary's provider is not mapped to a device)",
	    ren ? (nvidia_gpu_screen(ren) && !(ren->caps & CAP_SOURCE_OFFLOAD) ? ", the renderer is the NVIDIA driver's GPU screen"
									: ", the renderer Source Offload") : "");
	return true;
}

/* Providers of a driver that is not bound: NVIDIA-0/NVIDIA-G0 while nouveau drives the card, or
 * a nouveau provider while the binary driver does. The listing and the guest disagree. */
bool check_providers_driver(struct ctx *c)
{
	if (!known(c))
		return true;
	const struct providers *pv = &c->s->providers;
	for (size_t i = 0; i < pv->n; i++) {
		const struct randr_provider *v = &pv->v[i];
		const char *drv = !v->name ? NULL : !strncmp(v->name, "NVIDIA-", 7) ? "nvidia" : !strcmp(v->name, "nouveau") ? "nouveau" : NULL;
		if (!drv)
			continue;
		bool bound = false;
		const struct pci_device *card = NULL;
		for (size_t k = 0; k < c->s->n_pci; k++) {
			const struct pci_device *d = &c->s->pci[k];
			if (d->driver && !strcmp(d->driver, drv))
				bound = true;
			if (d->vendor == 0x10de && pci_is_display(d))
				card = d;
		}
		if (bound)
			continue;
		char why[96];
		if (card && card->driver && *card->driver)
			snprintf(why, sizeof(why), "NVIDIA %s is bound to %s", card->slot, card->driver);
		else
			snprintf(why, sizeof(why), "no device is bound to the %s kernel driver", drv);
		check_say(c, "provider %u '%s' is the %s X driver's, but %s: the listing and this guest disagree (a listing from another boot or another guest, or the driver changed since X started)",
		    v->index, v->name, drv, why);
		check_fix(c, "list the providers again in this guest's running X session (xrandr --listproviders, or run optimus-guest inside the session); if X still lists them, restart X after changing drivers");
		return false;
	}
	check_say(c, "the providers listed belong to the bound drivers");
	return true;
}

bool check_providers_primary(struct ctx *c)
{
	if (!known(c))
		return true;
	const struct randr_provider *cur = providers_primary(&c->s->providers, c->s);
	if (!cur) {
		check_say(c, "X's primary screen has no provider of its own (its driver offers none, like qxl or dummy)");
		return true;
	}
	const struct pci_device *d = cur->pci_slot ? snapshot_find_slot(c->s, cur->pci_slot) : NULL;
	const struct pci_device *want = c->p->primary ? snapshot_find_role(c->s, c->p->primary) : NULL;
	char w[96];
	caps_words(cur->caps, w, sizeof(w));
	if (!d || !want || d == want) {
		check_say(c, "X's primary provider is '%s'%s%s", cur->name ? cur->name : "?", d ? " on " : "", d ? d->slot : "");
		return true;
	}
	if (d->role && !strcmp(d->role, ROLE_QXL) && !(cur->caps & CAP_SINK_OFFLOAD))
		check_say(c, "X runs with QXL %s as its primary (provider '%s', %s): the broken qxl-primary topology. The QXL-backed modesetting instance offers only the Sink Output RandR capability. Render offload needs the primary to offer Sink Offload while the renderer offers Source Offload.",
		    d->slot, cur->name ? cur->name : "?", w);
	else
		check_say(c, "X runs with %s %s as its primary, not %s %s: linking the renderer as offload source to a non-primary GVT aborts X with \"AttachOutputGPU: Assertion 'new->current_master == pScreen' failed.\" (the broken nouveau-offload-gvt-secondary topology)",
		    d->role && *d->role ? d->role : "unknown", d->slot, want->role, want->slot);
	check_fix(c, "'optimus-guest apply' makes %s the primary GPU; restart X (or the display manager) afterwards", want->slot);
	return false;
}
