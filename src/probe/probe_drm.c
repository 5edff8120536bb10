/* DRM devices as libdrm sees them on the running system. */
#include "probe/probe_drm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include "util/cleanup.h"

#define MAX_DRM_DEVICES 64


static const char *conn_status(int c)
{
	switch (c) {
	case DRM_MODE_CONNECTED: return "connected";
	case DRM_MODE_DISCONNECTED: return "disconnected";
	default: return "unknown";
	}
}

/* Connectors through the primary node. drmModeGetConnectorCurrent, not
 * drmModeGetConnector: the latter forces a hardware probe (slow, and it can
 * change state); the cached status is also what sysfs 'status' shows. */
static int read_connectors(int fd, struct drm_device *d)
{
	drmModeResPtr res = drmModeGetResources(fd);
	if (!res)
		return errno ? -errno : -EIO;
	int rc = 0;
	if (res->count_connectors > 0) {
		d->connectors = calloc((size_t)res->count_connectors, sizeof(*d->connectors));
		if (!d->connectors)
			rc = -ENOMEM;
	}
	for (int i = 0; rc == 0 && i < res->count_connectors; i++) {
		drmModeConnectorPtr c = drmModeGetConnectorCurrent(fd, res->connectors[i]);
		if (!c)
			continue;
		const char *type = drmModeGetConnectorTypeName(c->connector_type);
		struct connector *x = &d->connectors[d->n_connectors];
		if (asprintf(&x->name, "%s-%u", type ? type : "Unknown", c->connector_type_id) < 0) {
			x->name = NULL;
			rc = -ENOMEM;
		} else if (!(x->status = strdup(conn_status((int)c->connection)))) {
			rc = -ENOMEM;
		}
		d->n_connectors++;
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	return rc;
}

static int set_error(struct drm_device *d, const char *node, int errsv)
{
	const char *hint = errsv == EACCES || errsv == EPERM
		? " (run as root or add the user to the 'video' group); using sysfs" : "; using sysfs";
	return asprintf(&d->error, "cannot open %s: %s%s", node, strerror(errsv), hint) < 0 ? -ENOMEM : 0;
}

static int one_device(drmDevicePtr dev, struct drm_device *d)
{
	if (dev->bustype == DRM_BUS_PCI && dev->businfo.pci &&
	    asprintf(&d->pci_slot, "%04x:%02x:%02x.%x", dev->businfo.pci->domain, dev->businfo.pci->bus,
		     dev->businfo.pci->dev, dev->businfo.pci->func) < 0)
		return d->pci_slot = NULL, -ENOMEM;
	if (dev->available_nodes & (1 << DRM_NODE_PRIMARY) && !(d->primary = strdup(dev->nodes[DRM_NODE_PRIMARY])))
		return -ENOMEM;
	if (dev->available_nodes & (1 << DRM_NODE_RENDER) && !(d->render = strdup(dev->nodes[DRM_NODE_RENDER])))
		return -ENOMEM;

	const char *node = d->primary ? d->primary : d->render;
	if (!node)
		return 0;
	_cleanup_close_ int fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int errsv = errno;
		int rc = set_error(d, node, errsv);
		if (rc < 0 || !d->primary || !d->render)
			return rc;
		/* the render node usually is open to more users: at least the driver name */
		fd = open(d->render, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return 0;
	}
	drmVersionPtr v = drmGetVersion(fd);
	if (v) {
		d->driver = strndup(v->name ? v->name : "", v->name ? (size_t)v->name_len : 0);
		if (asprintf(&d->driver_version, "%d.%d.%d", v->version_major, v->version_minor, v->version_patchlevel) < 0)
			d->driver_version = NULL;
		drmFreeVersion(v);
		if (!d->driver || !d->driver_version)
			return -ENOMEM;
	}
	if (d->primary && !d->error) {
		int rc = read_connectors(fd, d);
		if (rc == -ENOMEM)
			return rc;
		/* a render-only driver (no KMS) has no resources: not an error */
	}
	return 0;
}

int probe_drm(struct drm_live *out, struct err *e)
{
	drmDevicePtr devs[MAX_DRM_DEVICES];
	memset(out, 0, sizeof(*out));
	/* no /dev/dri: no devices to ask about */
	if (access("/dev/dri", F_OK) < 0)
		return 0;
	int rc = 0;
	int n = drmGetDevices2(0, devs, MAX_DRM_DEVICES);
	if (n <= 0)
		return 0;   /* no devices: nothing to add to sysfs */
	out->v = calloc((size_t)n, sizeof(*out->v));
	if (!out->v) {
		drmFreeDevices(devs, n);
		err_set(e, "libdrm: out of memory");
		return -ENOMEM;
	}
	out->probed = true;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = one_device(devs[i], &out->v[out->n]);
		out->n++;
	}
	drmFreeDevices(devs, n);
	if (rc < 0) {
		err_set(e, "libdrm: %s", strerror(-rc));
		drm_live_clear(out);
	}
	return rc;
}
