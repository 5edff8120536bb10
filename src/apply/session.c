/* Provider links for the session start. */
#include "apply/session.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

static const struct randr_provider *by_id(const struct providers *p, unsigned id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].id == id)
			return &p->v[i];
	return NULL;
}

static int need_cap(const struct randr_provider *v, const char *role, unsigned cap, const char *why, struct err *e)
{
	char have[96];
	if (v->caps & cap)
		return 0;
	err_set(e, "provider %s (0x%x, the %s device) lacks %s (it offers: %s), which %s; "
		   "'optimus-guest plan' explains which topology this guest supports",
		v->name ? v->name : "?", v->id, role, provider_cap_word(cap), provider_caps_text(v->caps, have, sizeof(have)), why);
	return -EINVAL;
}

int session_resolve(const struct decision *d, const struct providers *p, const struct snapshot *s,
		    struct link_action **ret, size_t *ret_n, struct err *e)
{
	*ret = NULL;
	*ret_n = 0;
	if (!d->n_links)
		return 0;
	if (!p->source) {
		err_set(e, "RandR providers unknown: run inside the X session (DISPLAY set) or pass --display NAME");
		return -ENXIO;
	}
	if (!p->supported) {
		err_set(e, "the X server does not speak RandR 1.4 (it reports %s), so providers cannot be linked; "
			   "X.Org server >= 1.13 is needed", p->randr_version ? p->randr_version : "no RandR");
		return -ENOTSUP;
	}
	struct link_action *a = calloc(d->n_links, sizeof(*a));
	if (!a)
		return -ENOMEM;
	int rc = 0;
	for (size_t i = 0; i < d->n_links && rc == 0; i++) {
		const struct session_link *l = &d->links[i];
		const struct randr_provider *pv = providers_find_role(p, s, l->provider);
		const struct randr_provider *tv = providers_find_role(p, s, l->target);
		if (!pv || !tv) {
			const char *role = !pv ? l->provider : l->target;
			const struct pci_device *dev = snapshot_find_role(s, role);
			err_set(e, "no RandR provider drives the %s device%s%s (providers: %zu); is its Xorg driver loaded? "
				   "'xrandr --listproviders' and the Xorg log tell", role, dev ? " " : "", dev ? dev->slot : "", p->n);
			rc = -ENOENT;
			break;
		}
		a[i].kind = l->kind;
		a[i].provider_role = l->provider;
		a[i].target_role = l->target;
		a[i].provider_id = pv->id;
		a[i].target_id = tv->id;
		snprintf(a[i].provider_name, sizeof(a[i].provider_name), "%s", pv->name ? pv->name : "?");
		snprintf(a[i].target_name, sizeof(a[i].target_name), "%s", tv->name ? tv->name : "?");
		if (strcmp(l->kind, "output-source") == 0) {
			if ((rc = need_cap(pv, l->provider, PROV_CAP_SINK_OUTPUT, "showing another GPU's images needs", e)) < 0 ||
			    (rc = need_cap(tv, l->target, PROV_CAP_SOURCE_OUTPUT, "rendering for another GPU's outputs needs", e)) < 0)
				break;
			a[i].already = pv->output_source == tv->id;
		} else if (strcmp(l->kind, "offload-sink") == 0) {
			if ((rc = need_cap(pv, l->provider, PROV_CAP_SOURCE_OFFLOAD, "render offload needs on the renderer", e)) < 0 ||
			    (rc = need_cap(tv, l->target, PROV_CAP_SINK_OFFLOAD, "render offload needs on the primary", e)) < 0)
				break;
			a[i].already = pv->offload_sink == tv->id;
		} else {
			err_set(e, "unknown link kind '%s' in the profile (known: output-source, offload-sink)", l->kind);
			rc = -EINVAL;
		}
	}
	if (rc < 0) {
		free(a);
		return rc;
	}
	*ret = a;
	*ret_n = d->n_links;
	return 0;
}

int session_apply(struct randr_conn *c, const struct snapshot *s, struct link_action *a, size_t n, size_t *changed,
		  struct err *e)
{
	*changed = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i].already)
			continue;
		if (strcmp(a[i].kind, "output-source") == 0)
			XRRSetProviderOutputSource(c->dpy, a[i].provider_id, a[i].target_id);
		else
			XRRSetProviderOffloadSink(c->dpy, a[i].provider_id, a[i].target_id);
		(*changed)++;
	}
	if (!*changed)
		return 0;
	XSync(c->dpy, False);
	if (c->gone)
		return randr_gone(c, e, "setting the provider links");
	/* protocol errors go to Xlib's process-wide handler; read back instead */
	struct providers now = {0};
	int rc = randr_read_providers(c, NULL, &now, e);
	if (rc < 0) {
		providers_clear(&now);
		return rc;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct randr_provider *v = by_id(&now, a[i].provider_id);
		bool out = strcmp(a[i].kind, "output-source") == 0;
		if (v && (out ? v->output_source : v->offload_sink) == a[i].target_id)
			continue;
		err_set(e, "the X server did not make %s (0x%x) the %s of %s (0x%x); it refuses when the %s provider is X's "
			   "primary screen rather than a GPU screen: check the Xorg configuration ('optimus-guest plan')",
			a[i].target_name, a[i].target_id, out ? "output source" : "offload sink", a[i].provider_name,
			a[i].provider_id, a[i].provider_role);
		rc = -EIO;
	}
	(void)s;
	providers_clear(&now);
	return rc;
}

int session_xrandr_auto(const char *display, struct err *e)
{
	char *argv[] = { "xrandr", "--display", (char *)display, "--auto", NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, "xrandr", NULL, NULL, argv, environ);
	if (rc != 0) {
		err_set(e, "cannot run 'xrandr --auto': %s; run it yourself to light up the new outputs", strerror(rc));
		return -rc;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			err_set(e, "waiting for xrandr: %s", strerror(errno));
			return -errno;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		err_set(e, "'xrandr --display %s --auto' failed (status %d); run it yourself to see why", display, st);
		return -EIO;
	}
	return 0;
}
