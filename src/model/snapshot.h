/* The snapshot: everything probe learnt about a guest, as plain data.
 * Raw values only (ids, class, driver names); words come at presentation.
 * Every field is written to JSON and read back (snapshot_json.c). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/strv.h"

#define SNAPSHOT_VERSION 1

struct connector {
	char *name;    /* "Virtual-1", "DP-1" (the part after "cardN-") */
	char *status;  /* "connected", "disconnected", "unknown" */
};

struct pci_device {
	char *slot;    /* "0000:01:00.0" */
	unsigned domain, bus, dev, func;
	unsigned vendor, device, subsystem_vendor, subsystem_device;
	unsigned class;     /* 24-bit, 0x030200 */
	unsigned revision;
	char *driver;       /* bound kernel driver, NULL when none */
	int boot_vga;       /* -1: no boot_vga attribute (not a VGA-class device) */
	bool rom;           /* a `rom` attribute exists */
	char *parent;       /* slot of the upstream bridge, NULL on a root bus */
	char *sysfs_path;   /* resolved device directory, relative to the root */
	struct strv drm_cards;    /* "card0" */
	struct strv drm_renders;  /* "renderD128" */
	struct connector *connectors;
	size_t n_connectors;
	char *role;               /* see classify.h */
	struct strv evidence;     /* why that role */
};

struct xorg_line {
	unsigned line;
	char *text;   /* trimmed line as written */
};

struct xorg_file {
	char *path;   /* relative to the root: "etc/X11/xorg.conf.d/10-x.conf" */
	bool ours;    /* starts with optimus-guest's header */
	struct xorg_line *lines;  /* the lines that matter: Section, Identifier, Driver, BusID, ... */
	size_t n_lines;
};

struct acpi_table {
	char *name;          /* file name under sys/firmware/acpi/tables: "SSDT2" */
	char *signature;     /* "SSDT" */
	char *oem_id;        /* "BOCHS " trimmed */
	char *oem_table_id;  /* trimmed */
};

struct randr_provider {
	unsigned index;
	unsigned id;          /* XID */
	unsigned caps;        /* RR_Capability_* bits */
	unsigned crtcs, outputs, associated;
	char *name;
	char *pci_slot;       /* mapped PCI device, NULL when unknown */
	unsigned offload_sink;   /* XID, 0 = none */
	unsigned output_source;  /* XID, 0 = none */
};

struct providers {
	char *source;         /* NULL: not known; "live" or the file given */
	char *randr_version;  /* "1.6", NULL when unknown */
	bool supported;       /* the server speaks RandR >= 1.4 */
	struct randr_provider *v;
	size_t n;
};

struct drm_device {
	char *pci_slot;       /* NULL for non-PCI devices */
	char *primary;        /* "/dev/dri/card0" or NULL */
	char *render;         /* "/dev/dri/renderD128" or NULL */
	char *driver;         /* drmGetVersion name */
	char *driver_version; /* "1.6.0" */
	char *error;          /* why a node could not be opened, NULL if fine */
	struct connector *connectors;
	size_t n_connectors;
};

struct drm_live {
	bool probed;          /* false: libdrm not asked (recorded root, or no devices) */
	struct drm_device *v;
	size_t n;
};

struct environment {
	bool hypervisor_flag;      /* "hypervisor" in /proc/cpuinfo flags */
	char *dmi_sys_vendor;
	char *dmi_product_name;
	char *dmi_product_version;
	char *dmi_bios_vendor;
	char *machine;             /* "q35", "i440fx", "unknown" */
	char *firmware;            /* "uefi", "bios" */
	struct strv setup_data_types;  /* decimal strings from boot_params/setup_data/N/type */
	bool efi_pci_rom;          /* a SETUP_PCI (3) entry is present */
	struct strv pci_roms;      /* each SETUP_PCI entry's ROM: "vvvv:dddd@ssss:bb:dd.f" from the
				    * head of its data, "unknown" when that cannot be read */
	struct strv modules;       /* sys/module entries of interest */
	struct strv xorg_drivers;  /* installed DDX names: "modesetting", "nouveau" */
	struct acpi_table *acpi_tables;
	size_t n_acpi_tables;
	char *cmdline;
	char *kernel_release;
	char *session_type;        /* XDG_SESSION_TYPE when probing the running system */
	char *xorg_version;        /* from the newest Xorg log, NULL when unknown */
};

struct snapshot {
	int version;
	struct pci_device *pci;   /* display devices, host bridge, and their bridges */
	size_t n_pci;
	struct environment env;
	struct xorg_file *xorg;
	size_t n_xorg;
	struct providers providers;
	struct drm_live drm;
	struct strv skipped;      /* files found but not read: "etc/X11/xorg.conf.d/x.conf: a FIFO, not a regular file" */
};

/* The comment that opens every file apply writes. */
#define OG_HEADER_MARK "Written by optimus-guest"

struct snapshot *snapshot_new(void);
struct snapshot *snapshot_free(struct snapshot *s);
static inline void snapshot_freep(struct snapshot **s) { snapshot_free(*s); }

/* Lookups. */
const struct pci_device *snapshot_find_slot(const struct snapshot *s, const char *slot);
const struct pci_device *snapshot_find_role(const struct snapshot *s, const char *role);
size_t snapshot_count_role(const struct snapshot *s, const char *role);
bool pci_is_display(const struct pci_device *d);

void pci_device_clear(struct pci_device *d);
void connectors_free(struct connector *c, size_t n);
void xorg_file_clear(struct xorg_file *f);
void providers_clear(struct providers *p);
void drm_live_clear(struct drm_live *d);
