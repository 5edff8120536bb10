/* The ROM handed to the NVIDIA hostdev, judged by vbios inspect's parser and verdict. */
#include "libvirt/romcheck.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/cleanup.h"
#include "vbios/vbios.h"

int rom_check_nvidia(const uint8_t *d, size_t len, struct rom_id *ret, char *why, size_t why_len)
{
	struct vbios_rom rom;
	struct err e = {0};
	*ret = (struct rom_id){0};
	if (vbios_parse(d, len, &rom, &e) < 0) {
		snprintf(why, why_len, "%s", e.msg[0] ? e.msg : "no PCI option ROM image in it");
		return -EINVAL;
	}
	const struct vbios_image *first = &rom.images[0];
	ret->vendor = first->vendor;
	ret->device = first->device;
	ret->class_code = first->class_code;
	int rc = 0;
	_cleanup_buf_ struct buf b = {0};
	if (rom.start != 0) {
		/* QEMU hands the file to the guest as it is: the image must start it. */
		snprintf(why, why_len, "no ROM image at offset 0 but one at offset 0x%zx: a full dump with a header; "
			 "cut the ROM out (optimus-guest vbios extract)", rom.start);
		rc = -EINVAL;
	} else if (!vbios_usable(&rom, &b)) {
		snprintf(why, why_len, "%s", b.s ? b.s : "not usable as the card's ROM");
		rc = -EINVAL;
	}
	vbios_rom_clear(&rom);
	return rc;
}
