/* RandR providers as data: capability words, and which PCI device each provider drives. Pure. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "model/snapshot.h"

/* RR_Capability_* bits (X11/extensions/randr.h). */
#define PROV_CAP_SOURCE_OUTPUT 0x1u
#define PROV_CAP_SINK_OUTPUT 0x2u
#define PROV_CAP_SOURCE_OFFLOAD 0x4u
#define PROV_CAP_SINK_OFFLOAD 0x8u

/* "Source Output", ... for one bit; NULL for an unknown bit. */
const char *provider_cap_word(unsigned bit);
/* "Source Output, Sink Offload" (or "none") into buf. */
const char *provider_caps_text(unsigned caps, char *buf, size_t size);

/* Fill pci_slot of every provider from the snapshot's devices (rule in
 * providers_map.c); leaves NULL where the match is ambiguous. */
void providers_map_pci(struct providers *p, const struct snapshot *s);

/* Provider of the device with ROLE ("gvt"), NULL when none or ambiguous. */
const struct randr_provider *providers_find_role(const struct providers *p, const struct snapshot *s,
						 const char *role);

/* The provider of X's protocol screen (screen 0), or NULL. xserver lists it
 * first (ProcRRGetProviders), but only when that screen's driver creates a
 * provider: with a DDX that has none (qxl, dummy) every listed provider is a
 * GPU screen. Index 0 is taken as the primary when it is "NVIDIA-<n>" (not
 * "NVIDIA-G<n>"), or its device is the one an OutputClass makes PrimaryGPU,
 * or (no such OutputClass) the boot VGA device; otherwise NULL. Pure. */
const struct randr_provider *providers_primary(const struct providers *p, const struct snapshot *s);
