#include "probe/drm_dl.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

static int missing(struct drm_lib *l, struct err *e, const char *what)
{
	const char *why = dlerror();
	err_set(e, "cannot load %s from %s (%s); install libdrm2 (Debian)", what, DRM_SONAME, why ? why : "not found");
	drm_lib_unload(l);
	return -ENOENT;
}

int drm_lib_load(struct drm_lib *l, struct err *e)
{
	memset(l, 0, sizeof(*l));
	l->handle = dlopen(DRM_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!l->handle)
		return missing(l, e, "the library");
	/* dlsym gives a void *; the entry's type is the header's declaration of the function */
#define DRM_SYM(f) \
	if (!(*(void **)&l->f = dlsym(l->handle, #f))) \
		return missing(l, e, #f);
	DRM_FUNCS(DRM_SYM)
#undef DRM_SYM
	return 0;
}

void drm_lib_unload(struct drm_lib *l)
{
	if (l->handle)
		dlclose(l->handle);
	memset(l, 0, sizeof(*l));
}
