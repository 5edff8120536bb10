/* RandR providers from the running X server, through libXrandr.
 *
 * Xlib's default error handlers print and exit the process. The protocol and
 * IO error handlers are process-wide in Xlib (there is no per-display slot);
 * ours are stateless and quiet. The per-display IO exit handler
 * (XSetIOErrorExitHandler, libX11 >= 1.8) replaces exit(1) with a flag in the
 * caller's stack frame, so a server that goes away mid-query is an error we
 * report, and the Display can still be closed. */
#include "model/providers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe_randr.h"

static int quiet_error(Display *dpy, XErrorEvent *ev)
{
	(void)dpy;
	(void)ev;
	return 0;
}

static int quiet_io_error(Display *dpy)
{
	(void)dpy;
	return 0;
}

static void io_exit(Display *dpy, void *data)
{
	(void)dpy;
	((struct randr_conn *)data)->gone = true;
}

int randr_open(struct randr_conn *c, const char *display, struct err *e)
{
	const char *name = display && *display ? display : getenv("DISPLAY");
	memset(c, 0, sizeof(*c));
	if (!name || !*name) {
		err_set(e, "no X display: DISPLAY is not set; pass --display NAME (e.g. --display :0) or --providers FILE");
		return -ENXIO;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	XSetErrorHandler(quiet_error);
	XSetIOErrorHandler(quiet_io_error);
	c->dpy = XOpenDisplay(name);
	if (!c->dpy) {
		err_set(e, "cannot open X display '%s': no X server answers there, or this user may not connect "
			   "(check DISPLAY and XAUTHORITY); pass --providers FILE to use recorded 'xrandr --listproviders' output",
			name);
		return -ECONNREFUSED;
	}
	XSetIOErrorExitHandler(c->dpy, io_exit, c);
	return 0;
}

void randr_close(struct randr_conn *c)
{
	if (c->dpy)
		XCloseDisplay(c->dpy);
	c->dpy = NULL;
}

int randr_gone(struct randr_conn *c, struct err *e, const char *during)
{
	err_set(e, "the X server on '%s' went away while %s; nothing was changed on it, run again once X is up",
		c->name, during);
	return -ECONNRESET;
}

static unsigned assoc_link(const XRRProviderInfo *pi, unsigned cap)
{
	for (int i = 0; i < pi->nassociatedproviders; i++) {
		unsigned ac = pi->associated_capability[i];
		/* xserver's ProcRRGetProviderInfo byte-swaps the SourceOutput entry
		 * unconditionally, so an unswapped client reads 0x01000000 */
		if (ac == cap || (cap == RR_Capability_SourceOutput && ac == 0x01000000u))
			return (unsigned)pi->associated_providers[i];
	}
	return 0;
}

int randr_read_providers(struct randr_conn *c, const struct randr_hooks *hooks, struct providers *out, struct err *e)
{
	Display *dpy = c->dpy;
	int evb, erb, maj = 0, min = 0, rc = 0;
	memset(out, 0, sizeof(*out));
	if (!(out->source = strdup("live")))
		return -ENOMEM;
	if (!XRRQueryExtension(dpy, &evb, &erb)) {
		if (c->gone)
			return randr_gone(c, e, "asking for the RandR extension");
		return 0;   /* no RandR at all: supported = false, version unknown */
	}
	if (!XRRQueryVersion(dpy, &maj, &min) || c->gone)
		return randr_gone(c, e, "asking for the RandR version");
	if (asprintf(&out->randr_version, "%d.%d", maj, min) < 0) {
		out->randr_version = NULL;
		return -ENOMEM;
	}
	if (hooks && hooks->after_version)
		hooks->after_version(hooks->ctx);
	if (maj < 1 || (maj == 1 && min < 4))
		return 0;
	out->supported = true;

	Window root = DefaultRootWindow(dpy);
	XRRScreenResources *res = XRRGetScreenResourcesCurrent(dpy, root);
	if (!res || c->gone) {
		if (res)
			XRRFreeScreenResources(res);
		return randr_gone(c, e, "reading the screen resources");
	}
	XRRProviderResources *pr = XRRGetProviderResources(dpy, root);
	if (!pr || c->gone) {
		if (pr)
			XRRFreeProviderResources(pr);
		XRRFreeScreenResources(res);
		return randr_gone(c, e, "listing the providers");
	}
	if (pr->nproviders > 0 && !(out->v = calloc((size_t)pr->nproviders, sizeof(*out->v))))
		rc = -ENOMEM;
	for (int i = 0; rc == 0 && i < pr->nproviders; i++) {
		XRRProviderInfo *pi = XRRGetProviderInfo(dpy, res, pr->providers[i]);
		if (!pi || c->gone) {
			if (pi)
				XRRFreeProviderInfo(pi);
			rc = randr_gone(c, e, "reading a provider");
			break;
		}
		struct randr_provider *v = &out->v[out->n++];
		v->index = (unsigned)i;
		v->id = (unsigned)pr->providers[i];
		v->caps = pi->capabilities;
		v->crtcs = (unsigned)pi->ncrtcs;
		v->outputs = (unsigned)pi->noutputs;
		v->associated = (unsigned)pi->nassociatedproviders;
		v->offload_sink = assoc_link(pi, RR_Capability_SinkOffload);
		v->output_source = assoc_link(pi, RR_Capability_SourceOutput);
		/* libXrandr NUL-terminates name but leaves nameLen unset (heap garbage) */
		v->name = strdup(pi->name ? pi->name : "");
		if (!v->name)
			rc = -ENOMEM;
		XRRFreeProviderInfo(pi);
	}
	XRRFreeProviderResources(pr);
	XRRFreeScreenResources(res);
	if (rc == -ENOMEM)
		err_set(e, "out of memory reading RandR providers");
	return rc;
}

int probe_randr(const char *display, const struct randr_hooks *hooks, struct providers *out, struct err *e)
{
	struct randr_conn c;
	int rc = randr_open(&c, display, e);
	if (rc < 0)
		return rc;
	rc = randr_read_providers(&c, hooks, out, e);
	randr_close(&c);
	if (rc < 0)
		providers_clear(out);
	return rc;
}
