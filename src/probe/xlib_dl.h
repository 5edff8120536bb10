/* The X client libraries (libX11, libXrandr), loaded with dlopen only when a command talks to
 * an X server, so the boot service and every command without a display never map them (nor
 * the xcb chain they pull in). The headers still give the types: each entry has the type of
 * the function it stands for. */
#pragma once
#include <X11/Xlib.h>
#include <X11/extensions/Xrandr.h>

#include "util/err.h"

#define XLIB_SONAME "libX11.so.6"
#define XRANDR_SONAME "libXrandr.so.2"

#define XLIB_FUNCS(X) \
	X(XOpenDisplay) X(XCloseDisplay) X(XSync) X(XSetErrorHandler) X(XSetIOErrorHandler) \
	X(XSetIOErrorExitHandler)
#define XRANDR_FUNCS(X) \
	X(XRRQueryExtension) X(XRRQueryVersion) X(XRRGetScreenResourcesCurrent) X(XRRFreeScreenResources) \
	X(XRRGetProviderResources) X(XRRFreeProviderResources) X(XRRGetProviderInfo) X(XRRFreeProviderInfo) \
	X(XRRSetProviderOutputSource) X(XRRSetProviderOffloadSink)

struct xlib {
	void *x11, *xrandr;   /* dlopen handles, NULL when not loaded */
#define XLIB_FIELD(f) __typeof__(f) *f;
	XLIB_FUNCS(XLIB_FIELD)
	XRANDR_FUNCS(XLIB_FIELD)
#undef XLIB_FIELD
};

/* Load both libraries and every function above. -ENOENT with E saying which library or
 * symbol is missing and what to install; nothing stays loaded then. */
int xlib_load(struct xlib *x, struct err *e);
void xlib_unload(struct xlib *x);
