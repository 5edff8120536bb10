/* The host's PCI devices, read through --root (sysfs): ids, driver, IOMMU group. */
#pragma once
#include <stdbool.h>

#include "util/root.h"
#include "util/err.h"

struct host_pci {
	unsigned vendor, device, sub_vendor, sub_device, class_code;
};

/* sys/bus/pci/devices/DDDD:BB:DD.F: -ENOENT (silent) when the device is absent. */
int host_pci_read(const struct root *r, const char *addr, struct host_pci *ret, struct err *e);
bool host_pci_is_nvidia_display(const struct host_pci *h);
/* First NVIDIA display device on the host ("0000:01:00.0" into BUF); false when none. */
bool host_find_nvidia(const struct root *r, char buf[static 16]);
/* sys/bus/mdev/devices/UUID exists. */
bool host_mdev_exists(const struct root *r, const char *uuid);
/* The driver bound to the device (the driver link's last component); 0 with *RET NULL when none. */
int host_pci_driver(const struct root *r, const char *addr, char **ret);
/* The device's IOMMU group (the iommu_group link's last component); -1 when it has none. */
long host_pci_iommu_group(const struct root *r, const char *addr);
