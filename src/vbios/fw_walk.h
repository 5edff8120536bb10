/* Firmware walker: finds PCI option ROMs in a firmware image or BIOS update held
 * in memory (normally an mmap of the file). Pure: no I/O, no printing.
 *
 * Every byte buffer (the input, and each decompressed section) is scanned once for
 * ROM images (signature + valid PCIR, see vbios.h), so ROMs stored raw are found
 * wherever they sit. The UEFI structure is walked to reach what is compressed:
 * firmware volumes (found by their "_FVH" signature), FFS files (FFS2 and FFS3
 * large files), sections: compression sections (stored, or EFI 1.1/Tiano
 * compressed), GUID-defined sections (LZMA EE4E5898-..., LZMA+x86 D42AE6BD-...,
 * Tiano A31280AD-...; CRC32 and other sections that need no processing),
 * firmware-volume-image sections. Sections that cannot be opened (Brotli,
 * unknown GUIDs, corrupt data) are listed in `skipped` with the reason.
 *
 * Memory: besides the caller's buffer, the walker allocates the decompressed
 * sections, in all at most max_output bytes over the whole walk (default 256 MiB),
 * one LZMA decoder at a time (at most 64 MiB), and a copy of each ROM found. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/strv.h"

#define FW_DEFAULT_MAX_OUTPUT ((size_t)256 << 20)
#define FW_MAX_DEPTH 12
#define FW_MAX_VOLUMES 4096
#define FW_MAX_NAMED_ROMS 256 /* ROMs whose place names the file that holds them; the rest: the buffer */

struct fw_rom {
	uint8_t *data;      /* copy of the whole ROM: all images, in order */
	size_t len;
	uint16_t vendor, device; /* of the first image */
	bool compressed;    /* found inside decompressed data */
	size_t file_offset; /* raw: offset of the ROM in the input; compressed: of the outermost compressed section */
	size_t inner_offset; /* compressed: offset inside the innermost decompressed buffer */
	char *where;        /* human path: "volume GUID, file GUID, LZMA section at 0x..., volume GUID,
			     * file GUID, at +0x.. in the decompressed data": the innermost file that holds it */
};

struct fw_walk_opts {
	uint16_t vendor;    /* keep ROMs whose first image has this vendor; 0 = any */
	bool list;          /* describe every volume, file and section in `listing` */
	size_t max_output;  /* decompression budget for the whole walk; 0 = FW_DEFAULT_MAX_OUTPUT */
};

struct fw_result {
	struct fw_rom *roms;
	size_t n_roms;
	struct strv skipped;   /* "where: why" for structure that could not be opened or was broken */
	struct strv fragments; /* "where: what": 55AA/PCIR with the wanted vendor that cannot be a device's
				* option ROM (device 0000, class 000000, NVIDIA-internal first image); not in roms */
	struct buf listing;    /* with opts.list: "volume GUID size 0x..", "file GUID type 0x.. size 0x..", ... */
	size_t n_volumes, n_files, n_sections, n_decompressed;
	size_t decompressed_bytes;
};

/* Walk BUF. Returns 0 (also when nothing was found), -ENOMEM on allocation failure. */
int fw_walk(const uint8_t *buf, size_t len, const struct fw_walk_opts *opts, struct fw_result *ret, struct err *e);
void fw_result_clear(struct fw_result *r);

/* "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX" from the 16 bytes of an EFI_GUID. */
void fw_guid_str(const uint8_t *g, char out[37]);
