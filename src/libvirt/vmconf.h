/* What a VM definition says about the devices the matrix cares about. Filled from a libvirt
 * domain (domain_xml.c) or a QEMU command line (qemu_args.c); checked by checks.c. Plain
 * data, no I/O. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/strv.h"

enum vm_input { VM_LIBVIRT, VM_QEMU };

/* How the subsystem ids reach QEMU. */
enum vm_sub_via { SUB_NONE, SUB_OVERRIDE, SUB_SET, SUB_PROPERTY, SUB_GLOBAL };

struct vm_pci_hostdev {
	unsigned domain, bus, slot, function;  /* host address */
	char *alias;           /* <alias name=...>, QEMU id=; NULL when none */
	char *auto_alias;      /* libvirt's own name when no alias is given: "hostdevN" */
	char *rom_file;        /* <rom file>, romfile=; NULL when none */
	int rom_bar;           /* -1 unset, 0 off, 1 on */
	int guest_bus;         /* -1: no guest address given */
	int guest_slot, guest_fn;  /* the card's guest address, -1 unknown */
	int port_slot, port_fn;    /* the address of the root port it sits behind (on bus 0), -1 unknown */
	char *bus_model;       /* what the device sits on: "pcie-root-port", "pcie-root", "pci-root", ... */
	long long sub_vendor, sub_device;  /* -1 unset */
	enum vm_sub_via sub_via;
	bool set_form;         /* the (old) -set device.ALIAS.x-pci-sub-* form refers to it */
	bool json_device;      /* QEMU input: the -device was given as JSON (-set cannot reach it) */
	bool rom_disabled;     /* <rom enabled='no'/> */
	int line;              /* line in the input, 0 unknown */
	void *node;            /* the <hostdev> element (libvirt input) */
	bool in_cmdline;       /* libvirt input: passed as -device vfio-pci in <qemu:commandline> */
	void *arg_node;        /* then the <qemu:arg> holding that -device's value */
	size_t arg_index;      /* QEMU input: index of the -device value among the arguments */
	char *bus_id;          /* QEMU input: bus= of the -device; NULL when none */
};

/* One '-set device.ALIAS.PROP=VALUE' argument. */
struct vm_set {
	char *alias, *prop, *value;
	void *opt_node, *val_node; /* libvirt input: the two <qemu:arg> elements */
};

struct vm_mdev {
	char *uuid;
	int display;   /* -1 unset (off), 0 off, 1 on */
	int ramfb;
	int line;
};

struct vmconf {
	enum vm_input input;
	char *name;
	char *machine;          /* "pc-q35-7.2", "q35"; NULL unknown (QEMU's default: i440fx) */
	bool firmware_efi;
	char *firmware;         /* what the firmware was seen as, for messages */
	char *kernel;           /* direct kernel boot */
	struct vm_pci_hostdev *pci;
	size_t n_pci;
	struct vm_mdev *mdev;
	size_t n_mdev;
	struct strv graphics;   /* "spice", "vnc", "egl-headless", ... */
	struct strv video;      /* "qxl", "virtio", "vga", "none", ... */
	struct strv acpi_tables;/* files of -acpitable file=a[:b] (data= too) */
	struct strv stray_aliases; /* override/-set aliases no PCI hostdev carries */
	struct vm_set *sets;    /* every -set device.* argument, in order */
	size_t n_sets;
	bool firmware_given;    /* firmware named explicitly (loader, -bios, pflash), not assumed */
	struct strv unexpanded; /* QEMU scripts: shell variables that could not be expanded ("$IMG") */
	char *global_sub_vendor;  /* -global vfio-pci.x-pci-sub-vendor-id=VALUE: every vfio-pci device */
	char *global_sub_device;
	void *global_nodes[4];    /* libvirt input: the <qemu:arg> pairs of those two -global arguments */
	char *file;             /* the input as the user named it, for commands in fix texts */
};

void vmconf_clear(struct vmconf *vm);
/* Take a -global argument ("vfio-pci.PROP=VALUE" or "driver=vfio-pci,property=PROP,value=VALUE")
 * when it sets the subsystem ids of vfio-pci devices; others are ignored. -ENOMEM. */
int vmconf_add_global(struct vmconf *vm, const char *arg, void *opt_node, void *val_node);
/* After reading: a device whose ids no per-device form sets gets the -global ones. */
void vmconf_apply_globals(struct vmconf *vm);
/* Append a zeroed hostdev / mdev (fields set to "unset"); NULL on ENOMEM. */
struct vm_pci_hostdev *vmconf_add_pci(struct vmconf *vm);
struct vm_mdev *vmconf_add_mdev(struct vmconf *vm);
/* Append a -set argument (copies the strings); -ENOMEM. */
int vmconf_add_set(struct vmconf *vm, const char *alias, const char *prop, const char *value,
		   void *opt_node, void *val_node);
/* "0000:01:00.0" into BUF. */
const char *vm_pci_addr(const struct vm_pci_hostdev *h, char buf[static 16]);
/* Parse "0000:01:00.0", "01:00.0" or "1:0.0"; 0 or -EINVAL. */
int vm_parse_pci_addr(const char *s, unsigned *dom, unsigned *bus, unsigned *slot, unsigned *fn);
/* Unsigned number as libvirt and QEMU take it (decimal, 0x hex); -EINVAL when not one. */
int vm_parse_ull(const char *s, unsigned long long max, unsigned long long *ret);
