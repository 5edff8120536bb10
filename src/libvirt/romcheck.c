#include "libvirt/romcheck.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static unsigned u16(const uint8_t *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

int rom_check_nvidia(const uint8_t *d, size_t len, struct rom_id *ret, char *why, size_t why_len)
{
	*ret = (struct rom_id){0};
	if (len < 0x1a) {
		snprintf(why, why_len, "%zu bytes is too short for a PCI option ROM", len);
		return -EINVAL;
	}
	if (d[0] != 0x55 || d[1] != 0xaa) {
		const uint8_t *p = NULL;
		for (size_t i = 512; !p && i + 1 < len; i += 512)
			if (d[i] == 0x55 && d[i + 1] == 0xaa)
				p = d + i;
		if (p)
			snprintf(why, why_len, "no ROM signature 55 AA at offset 0 but one at offset 0x%zx: a full dump with a header; cut the ROM out (optimus-guest vbios extract)",
				 (size_t)(p - d));
		else
			snprintf(why, why_len, "no ROM signature 55 AA at offset 0 (the file starts %02x %02x)", d[0], d[1]);
		return -EINVAL;
	}
	size_t pcir = u16(d + 0x18);
	if (pcir + 0x10 > len) {
		snprintf(why, why_len, "the PCIR offset 0x%zx points past the end of the file (%zu bytes)", pcir, len);
		return -EINVAL;
	}
	if (memcmp(d + pcir, "PCIR", 4) != 0 && memcmp(d + pcir, "NPDS", 4) != 0 && memcmp(d + pcir, "RGIS", 4) != 0) {
		snprintf(why, why_len, "no PCIR structure at offset 0x%zx", pcir);
		return -EINVAL;
	}
	ret->vendor = u16(d + pcir + 4);
	ret->device = u16(d + pcir + 6);
	ret->class_code = (unsigned)d[pcir + 0x0f] << 16 | (unsigned)d[pcir + 0x0e] << 8 | d[pcir + 0x0d];
	if (ret->vendor != 0x10de) {
		snprintf(why, why_len, "the ROM is for vendor %04x device %04x, not NVIDIA (10de)", ret->vendor, ret->device);
		return -EINVAL;
	}
	return 0;
}
