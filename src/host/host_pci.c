#include "host/host_pci.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

int host_pci_read(const struct root *r, const char *addr, struct host_pci *ret, struct err *e)
{
	static const char *const names[] = { "vendor", "device", "subsystem_vendor", "subsystem_device", "class" };
	unsigned *slots[] = { &ret->vendor, &ret->device, &ret->sub_vendor, &ret->sub_device, &ret->class_code };
	char dir[64], path[96];
	snprintf(dir, sizeof(dir), "sys/bus/pci/devices/%s", addr);
	if (!root_is_dir(r, dir))
		return -ENOENT;
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		int rc = root_read_hex(r, path, slots[i], e);
		if (rc < 0) {
			if (rc == -ENOENT)
				err_set(e, "'%s' under root '%s' is missing; the host's sysfs looks incomplete", path, r->path);
			return rc == -ENOENT ? -EIO : rc;
		}
	}
	return 0;
}

bool host_pci_is_nvidia_display(const struct host_pci *h)
{
	return h->vendor == 0x10de && (h->class_code >> 16) == 0x03;
}

bool host_find_nvidia(const struct root *r, char buf[static 16])
{
	char **names = NULL;
	size_t n = 0;
	struct err e = {0};
	bool found = false;
	if (root_list(r, "sys/bus/pci/devices", &names, &n, &e) < 0)
		return false;
	for (size_t i = 0; i < n && !found; i++) {
		struct host_pci h;
		if (strlen(names[i]) < 16 && host_pci_read(r, names[i], &h, &e) == 0 && host_pci_is_nvidia_display(&h)) {
			snprintf(buf, 16, "%s", names[i]);
			found = true;
		}
	}
	root_list_free(names, n);
	return found;
}

bool host_mdev_exists(const struct root *r, const char *uuid)
{
	char path[128];
	if (!uuid || strchr(uuid, '/') || strlen(uuid) > 64)
		return false;
	snprintf(path, sizeof(path), "sys/bus/mdev/devices/%s", uuid);
	return root_exists(r, path);
}

/* Last component of a symlink under the device's directory; 0 with *RET NULL when absent. */
static int link_base(const struct root *r, const char *addr, const char *name, char **ret)
{
	char path[128];
	_cleanup_free_ char *target = NULL;
	*ret = NULL;
	if (strchr(addr, '/') || strlen(addr) > 32)
		return -EINVAL;
	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/%s", addr, name);
	int rc = root_readlink(r, path, &target);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	const char *base = strrchr(target, '/');
	*ret = strdup(base ? base + 1 : target);
	return *ret ? 0 : -ENOMEM;
}

int host_pci_driver(const struct root *r, const char *addr, char **ret)
{
	return link_base(r, addr, "driver", ret);
}

long host_pci_iommu_group(const struct root *r, const char *addr)
{
	_cleanup_free_ char *g = NULL;
	if (link_base(r, addr, "iommu_group", &g) < 0 || !g)
		return -1;
	char *end;
	long n = strtol(g, &end, 10);
	return *g && !*end && n >= 0 && n < 1000000 ? n : -1;
}
