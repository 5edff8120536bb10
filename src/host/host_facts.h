/* What host check looks at, read from the host's sysfs, /proc and /etc through --root.
 * Reading only: host_check() decides (host_check.h). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/host_mdevctl.h"
#include "host/host_pci.h"
#include "util/root.h"
#include "util/strv.h"

struct host_dev {
	char addr[16];        /* "0000:01:00.0" */
	struct host_pci id;
	char *driver;         /* NULL when none is bound */
	long group;           /* IOMMU group, -1 when none */
};

struct host_mdev_type {
	char *id;             /* "i915-GVTg_V5_4" (directory name) */
	char *description;    /* "low_gm_size: 128MB, high_gm_size: 512MB, ..." (one line) */
	long available;       /* available_instances, -1 when unreadable */
};

struct host_mdev {
	char *uuid;
	char *parent;         /* "0000:00:02.0" */
	char *type;           /* NULL when the mdev_type link is missing */
};

enum host_rom { HOST_ROM_ABSENT, HOST_ROM_UNREADABLE, HOST_ROM_READ };

struct host_facts {
	char *cmdline;               /* proc/cmdline, NULL when absent */
	size_t n_iommu_units;        /* sys/class/iommu entries (dmar0, ...) */
	size_t n_iommu_groups;       /* sys/kernel/iommu_groups entries */
	bool mod_i915, mod_kvmgt, mod_vfio_pci, mod_mdev;  /* sys/module/NAME */
	bool bus_mdev, drv_vfio_pci;  /* sys/bus/mdev, sys/bus/pci/drivers/vfio-pci: also there when built in */
	int enable_gvt;              /* sys/module/i915/parameters/enable_gvt: 1 Y, 0 N, -1 absent */
	struct host_dev *devs;       /* every PCI device, by address */
	size_t n_devs;
	long igpu, nvidia;           /* indexes in devs, -1 when none */
	struct host_mdev_type *types; /* the iGPU's mdev_supported_types */
	size_t n_types;
	struct host_mdev *mdevs;     /* sys/bus/mdev/devices */
	size_t n_mdevs;
	bool mdevctl_dir;            /* etc/mdevctl.d exists */
	struct mdevctl_def *defs;    /* etc/mdevctl.d/PARENT/UUID */
	size_t n_defs;
	struct strv def_errors;      /* definitions mdevctl could not read either */
	enum host_rom rom;           /* the NVIDIA card's sysfs rom */
	int rom_errno;               /* why unreadable */
	uint8_t *rom_data;
	size_t rom_len;
};

/* Read the host below R. -errno with E set when the tree is damaged (an attribute that
 * must parse does not); everything absent is recorded as absent. */
int host_read(const struct root *r, struct host_facts *ret, struct err *e);
void host_facts_clear(struct host_facts *f);
