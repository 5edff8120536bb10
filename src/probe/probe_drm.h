/* What libdrm says about each DRM device, and how that compares with sysfs. */
#pragma once
#include "model/snapshot.h"
#include "util/err.h"
#include "util/strv.h"


/* Ask libdrm (drmGetDevices2, drmGetVersion, connectors on the primary node).
 * A node that cannot be opened is recorded in drm_device.error and skipped.
 * No devices (no /dev/dri): probed stays false. */
int probe_drm(struct drm_live *out, struct err *e);

/* "virtio_gpu" (drmGetVersion) vs "virtio-pci" (bound PCI driver): the same device? */
bool drm_driver_matches(const char *drm_name, const char *pci_driver);

/* Compare libdrm's view with sysfs (drivers, nodes, connector names and status).
 * Pure. Appends one message per disagreement to FINDINGS; returns their count. */
size_t drm_crosscheck(const struct snapshot *s, struct strv *findings);
