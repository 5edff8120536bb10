/* Minimal test that a file is an NVIDIA PCI option ROM (55 AA, a PCIR structure, vendor 10de).
 * The full parser and verdict belong to `vbios inspect`; this is the check libvirt needs. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct rom_id {
	unsigned vendor, device, class_code;
};

/* 0 when DATA starts an NVIDIA ROM image (ids in RET); -EINVAL with the reason in WHY. */
int rom_check_nvidia(const uint8_t *data, size_t len, struct rom_id *ret, char *why, size_t why_len);
