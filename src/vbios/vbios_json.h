/* A parsed option ROM as JSON (the `vbios inspect --json` contract, DESIGN.md). */
#pragma once
#include <jansson.h>

#include "vbios/vbios.h"

/* {"start", "length", "images": [{"offset", "length", "vendor", "device", "class"
 * (hex strings), "code_type" (number), "last", "checksum_ok" (true/false/null),
 * ..., "efi": null or {signature_ok, subsystem, machine, compression, ...}}],
 * "chain_ok", "chain_problem", "verdict": {"usable", "problems", "notes"}}. */
json_t *vbios_rom_json(const struct vbios_rom *rom);
