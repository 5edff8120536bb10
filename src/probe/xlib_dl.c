#include "probe/xlib_dl.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

static int missing(struct xlib *x, struct err *e, const char *what, const char *lib)
{
	const char *why = dlerror();
	err_set(e, "cannot load %s from %s (%s): the X client libraries are needed to talk to an X server; "
		   "install libx11-6 and libxrandr2 (Debian), or pass --providers FILE with recorded "
		   "'xrandr --listproviders' output", what, lib, why ? why : "not found");
	xlib_unload(x);
	return -ENOENT;
}

int xlib_load(struct xlib *x, struct err *e)
{
	memset(x, 0, sizeof(*x));
	x->x11 = dlopen(XLIB_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!x->x11)
		return missing(x, e, "the library", XLIB_SONAME);
	x->xrandr = dlopen(XRANDR_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!x->xrandr)
		return missing(x, e, "the library", XRANDR_SONAME);
	/* dlsym gives a void *; the entry's type is the header's declaration of the function */
#define XLIB_SYM(handle, soname, f) \
	if (!(*(void **)&x->f = dlsym(x->handle, #f))) \
		return missing(x, e, #f, soname);
#define XLIB_SYM_X11(f) XLIB_SYM(x11, XLIB_SONAME, f)
#define XLIB_SYM_XRANDR(f) XLIB_SYM(xrandr, XRANDR_SONAME, f)
	XLIB_FUNCS(XLIB_SYM_X11)
	XRANDR_FUNCS(XLIB_SYM_XRANDR)
#undef XLIB_SYM
#undef XLIB_SYM_X11
#undef XLIB_SYM_XRANDR
	return 0;
}

void xlib_unload(struct xlib *x)
{
	if (x->xrandr)
		dlclose(x->xrandr);
	if (x->x11)
		dlclose(x->x11);
	memset(x, 0, sizeof(*x));
}
