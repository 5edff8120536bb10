/* Checks on the RandR providers of the running X server (when known). */
#include <stdio.h>
#include <string.h>

#include "plan/checks_int.h"
#include "model/classify.h"
#include "model/providers.h"

#define CAP_SOURCE_OUTPUT 1u
#define CAP_SINK_OUTPUT 2u
#define CAP_SOURCE_OFFLOAD 4u
#define CAP_SINK_OFFLOAD 8u

static bool known(struct ctx *c)
{
	const struct providers *p = &c->s->providers;
	if (!p->source) {
		say(c, "RandR providers not known (no X server asked: run in the session, or give --providers FILE)");
		return false;
	}
	if (!p->supported) {
		say(c, "the X server (%s) does not speak RandR 1.4: no providers to check", p->source);
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

bool check_providers_offload(struct ctx *c)
{
	if (!known(c))
		return true;
	const struct randr_provider *pri = (c->p->primary ? providers_find_role(&c->s->providers, c->s, c->p->primary) : NULL);
	const struct randr_provider *ren = (c->p->renderer ? providers_find_role(&c->s->providers, c->s, c->p->renderer) : NULL);
	char w[96];
	if (pri && !(pri->caps & CAP_SINK_OFFLOAD)) {
		caps_words(pri->caps, w, sizeof(w));
		say(c, "provider %u '%s' of the primary GPU (%s) offers %s, not Sink Offload: render offload needs Sink Offload on the primary",
		    pri->index, pri->name ? pri->name : "?", pri->pci_slot ? pri->pci_slot : "?", w);
		fix(c, "drive the primary with modesetting and glamor (AccelMethod glamor, Mesa installed); the written configuration uses modesetting");
		return false;
	}
	if (ren && !(ren->caps & CAP_SOURCE_OFFLOAD)) {
		caps_words(ren->caps, w, sizeof(w));
		say(c, "provider %u '%s' of the renderer (%s) offers %s, not Source Offload: it cannot render for another GPU",
		    ren->index, ren->name ? ren->name : "?", ren->pci_slot ? ren->pci_slot : "?", w);
		fix(c, "nouveau needs acceleration for PRIME (no NoAccel/ShadowFB options); the binary driver needs its GPU screen (AllowNVIDIAGPUScreens)");
		return false;
	}
	say(c, "providers fit render offload%s%s%s", pri ? ": the primary offers Sink Offload" : " (the primary's provider is not mapped to a device)",
	    ren ? ", the renderer Source Offload" : "", "");
	return true;
}

bool check_providers_primary(struct ctx *c)
{
	if (!known(c))
		return true;
	const struct randr_provider *cur = providers_primary(&c->s->providers, c->s);
	if (!cur) {
		say(c, "X's primary screen has no provider of its own (its driver offers none, like qxl or dummy)");
		return true;
	}
	const struct pci_device *d = cur->pci_slot ? snapshot_find_slot(c->s, cur->pci_slot) : NULL;
	const struct pci_device *want = c->p->primary ? snapshot_find_role(c->s, c->p->primary) : NULL;
	char w[96];
	caps_words(cur->caps, w, sizeof(w));
	if (!d || !want || d == want) {
		say(c, "X's primary provider is '%s'%s%s", cur->name ? cur->name : "?", d ? " on " : "", d ? d->slot : "");
		return true;
	}
	if (d->role && !strcmp(d->role, ROLE_QXL) && !(cur->caps & CAP_SINK_OFFLOAD))
		say(c, "X runs with QXL %s as its primary (provider '%s', %s): the broken qxl-primary topology. The QXL-backed modesetting instance offers only the Sink Output RandR capability. Render offload needs the primary to offer Sink Offload while the renderer offers Source Offload.",
		    d->slot, cur->name ? cur->name : "?", w);
	else
		say(c, "X runs with %s %s as its primary, not %s %s: linking the renderer as offload source to a non-primary GVT aborts X with \"AttachOutputGPU: Assertion 'new->current_master == pScreen' failed.\" (the broken nouveau-offload-gvt-secondary topology)",
		    d->role && *d->role ? d->role : "unknown", d->slot, want->role, want->slot);
	fix(c, "'optimus-guest apply' makes %s the primary GPU; restart X (or the display manager) afterwards", want->slot);
	return false;
}
