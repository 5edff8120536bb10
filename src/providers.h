/* RandR providers: the text 'xrandr --listproviders' prints, the live server
 * (libXrandr), and which PCI device each provider drives. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "snapshot.h"
#include "util/err.h"
#include "util/strv.h"

/* RR_Capability_* bits (X11/extensions/randr.h). */
#define PROV_CAP_SOURCE_OUTPUT 0x1u
#define PROV_CAP_SINK_OUTPUT 0x2u
#define PROV_CAP_SOURCE_OFFLOAD 0x4u
#define PROV_CAP_SINK_OFFLOAD 0x8u

/* "Source Output", ... for one bit; NULL for an unknown bit. */
const char *provider_cap_word(unsigned bit);
/* "Source Output, Sink Offload" (or "none") into buf. */
const char *provider_caps_text(unsigned caps, char *buf, size_t size);

/* Parse the output of 'xrandr --listproviders' (optionally preceded by what
 * 'xrandr --version' prints). SOURCE names the input in messages and becomes
 * out->source. On error, e says "SOURCE:LINE: what" and out is left empty. */
int providers_parse_text(const char *text, size_t len, const char *source, struct providers *out, struct err *e);

void providers_clear(struct providers *p);

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

/* Test hooks for the live query: called between its steps (e.g. to stop the server). */
struct randr_hooks {
	void (*after_version)(void *ctx);
	void *ctx;
};

/* Ask the X server on DISPLAY (NULL: $DISPLAY) for its RandR version and
 * providers. Never exits the process: a server that cannot be reached or goes
 * away is an error in e. */
int probe_randr(const char *display, const struct randr_hooks *hooks, struct providers *out, struct err *e);
