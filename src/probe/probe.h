/* probe: gather facts under a root into a snapshot. Never decides. */
#pragma once
#include "util/root.h"
#include "model/snapshot.h"
#include "util/err.h"

/* Marker in the first lines of every file optimus-guest writes. */

int probe_run(const struct root *r, struct snapshot **ret, struct err *e);

/* Stages, each filling its part of the snapshot. */
int probe_pci(const struct root *r, struct snapshot *s, struct err *e);
int probe_env(const struct root *r, struct snapshot *s, struct err *e);
int probe_xorg(const struct root *r, struct snapshot *s, struct err *e);

/* The lines of an Xorg config text that decide topology (TEXT is modified). Pure. */
int probe_xorg_parse(char *text, const char *rel, struct xorg_file *f);

/* What a PCI device's sysfs uevent says: the kernel's ids and class (as its vendor, device,
 * subsystem_* and class files give them) and the bound driver, in one read. */
struct pci_uevent {
	unsigned vendor, device, subsystem_vendor, subsystem_device, class;
	char driver[64];   /* "" when no driver is bound */
};
/* Parse a uevent TEXT; false (nothing trusted) unless PCI_CLASS, PCI_ID and PCI_SUBSYS_ID
 * are all there and well formed. Pure. */
bool probe_parse_uevent(const char *text, struct pci_uevent *u);

/* Parse "DDDD:BB:DD.F"; false when S is not a PCI address. */
bool probe_parse_slot(const char *s, unsigned *dom, unsigned *bus, unsigned *dev, unsigned *fn);
