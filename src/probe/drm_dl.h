/* libdrm, loaded with dlopen only when the running system's DRM devices are asked (root '/',
 * no --snapshot): reading a recorded tree, replaying a snapshot or any command that never asks
 * maps none of it. The headers still give the types: each entry has the type of the function
 * it stands for. */
#pragma once
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "util/err.h"

#define DRM_SONAME "libdrm.so.2"

#define DRM_FUNCS(X) \
	X(drmGetDevices2) X(drmFreeDevices) X(drmGetVersion) X(drmFreeVersion) X(drmModeGetResources) \
	X(drmModeFreeResources) X(drmModeGetConnectorCurrent) X(drmModeFreeConnector) \
	X(drmModeGetConnectorTypeName)

struct drm_lib {
	void *handle;   /* dlopen handle, NULL when not loaded */
#define DRM_FIELD(f) __typeof__(f) *f;
	DRM_FUNCS(DRM_FIELD)
#undef DRM_FIELD
};

/* Load the library and every function above. -ENOENT with E saying what is missing and what
 * to install; nothing stays loaded then. */
int drm_lib_load(struct drm_lib *l, struct err *e);
void drm_lib_unload(struct drm_lib *l);
