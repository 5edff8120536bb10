/* ACPI name paths: validation, canonical spelling, and QEMU q35 naming. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define ACPI_PATH_MAX_SEGS 255

struct acpi_path {
	bool root;              /* starts with '\' */
	unsigned parents;       /* number of leading '^' */
	unsigned n;             /* segments */
	char seg[ACPI_PATH_MAX_SEGS][5]; /* each exactly 4 chars, '_'-padded, NUL-terminated */
};

/* Parse an ASL name path of len bytes ("\_SB.PCI0.S08.S00", "^FOO", "S00",
 * "\_SB_.PCI0.S08_" as Linux prints firmware_node/path). Segments are 1-4
 * characters [A-Z_][A-Z0-9_]*. Returns 0 or -EINVAL with e saying what and where. */
int acpi_path_parse(const char *text, size_t len, struct acpi_path *p, struct err *e);
/* Canonical ASL spelling (trailing '_' padding dropped): "\_SB.PCI0.S08".
 * Returns the length, or -ENOSPC. */
int acpi_path_format(const struct acpi_path *p, char *out, size_t cap);

struct pci_bdf {
	unsigned bus, dev, fn;
};
/* "BB:DD.F", "DDDD:BB:DD.F" (domain 0 only) or, with bus_optional, "DD.F"
 * (bus 0). Hex numbers, dev < 32, fn < 8. */
int pci_bdf_parse(const char *s, bool bus_optional, struct pci_bdf *ret, struct err *e);
/* QEMU's node name for a device: "S%02X" of devfn (dev << 3 | fn). */
void qemu_acpi_node(const struct pci_bdf *d, char out[5]);
/* _ADR of a PCI device: dev << 16 | fn. */
unsigned pci_adr(const struct pci_bdf *d);
/* Path of the GPU on QEMU q35: \_SB.PCI0.S<root port>.S<gpu> when the GPU is
 * behind a root port (gpu->bus != 0, root_port required), \_SB.PCI0.S<gpu>
 * on the root bus. */
int qemu_q35_path(const struct pci_bdf *gpu, const struct pci_bdf *root_port, char *out, size_t cap,
		  struct err *e);
