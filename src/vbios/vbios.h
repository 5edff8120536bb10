/* PCI option ROM (VBIOS) parser: a pure function of a memory buffer.
 *
 * A ROM is a chain of images. Each image starts with a signature (0x55AA; nouveau
 * also accepts NVIDIA's 0xBB77 and 0x4E56), holds at +0x18 a pointer to its PCI
 * Data Structure ("PCIR"; NVIDIA also "NPDS"/"RGIS") with vendor, device, class,
 * length in 512-byte units, code type and the last-image bit. NVIDIA images whose
 * code type is not 0x70 may carry an "NPDE" block after the PCIR structure that
 * overrides length and last bit (as nouveau's nvbios_imagen does); a type 0x70
 * image always ends the chain for nouveau. Every length, offset and pointer is
 * checked against the buffer; nothing is read outside [buf, buf + len).
 *
 * Usage:
 *	struct vbios_rom rom;
 *	if (vbios_parse(buf, len, &rom, &e) < 0) ...;   // e says why, with offsets
 *	bool ok = vbios_verdict(&rom, &problems, &notes);   // or vbios_usable(&rom, &why)
 *	vbios_rom_clear(&rom);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/strv.h"

#define VBIOS_MAX_IMAGES 16
#define VBIOS_VENDOR_NVIDIA 0x10de

enum {
	VBIOS_CODE_X86 = 0,
	VBIOS_CODE_OPENFIRMWARE = 1,
	VBIOS_CODE_HPPA = 2,
	VBIOS_CODE_EFI = 3,
	VBIOS_CODE_NVIDIA_70 = 0x70, /* NVIDIA firmware image, last for nouveau */
};

struct vbios_image {
	size_t offset;          /* from the start of the buffer */
	size_t length;          /* bytes to the next image (NPDE override applied) */
	size_t pcir_length_bytes; /* PCIR image length x 512, before any NPDE override */
	uint16_t signature;     /* 0xAA55, 0xBB77 or 0x4E56 (as a little-endian u16) */
	uint16_t pcir_offset;   /* from the image start */
	char pcir_sig[5];       /* "PCIR", "NPDS" or "RGIS" */
	uint16_t vendor, device;
	uint32_t class_code;    /* 0xBBSSPP: base class, subclass, prog-if */
	uint8_t pcir_revision;  /* 0 = PCI 2.2, 3 = PCI 3.0 */
	uint16_t pcir_struct_length;
	uint16_t code_revision;
	uint8_t code_type;
	uint8_t indicator;      /* raw byte; bit 7 = last image */
	bool last;              /* after NPDE / type 0x70 rules */
	bool npde;              /* an NPDE block overrode length/last */
	bool truncated;         /* the image runs past the end of the buffer */
	int checksum_ok;        /* x86 images: 1 bytes sum to 0, 0 not; -1 not applicable */
	/* EFI image header (code type 3 only) */
	bool efi;
	bool efi_signature_ok;  /* 0x0EF1 */
	uint32_t efi_signature;
	uint16_t efi_init_size; /* 512-byte units */
	uint16_t efi_subsystem; /* 10 application, 11 boot-service driver, 12 runtime driver */
	uint16_t efi_machine;   /* 0x8664 X64, 0x014C IA32, 0xAA64 ARM64, 0x0EBC EBC, ... */
	uint16_t efi_compression; /* 0 none, 1 EFI compressed */
	uint16_t efi_image_offset;
	/* added for real ROMs; zero-initialised by older callers' code paths */
	bool pcir_last;         /* PCIR indicator bit 7 */
	size_t npde_length;     /* NPDE image length in bytes (0: no NPDE) */
	bool npde_last;         /* NPDE last-image bit */
	int checksum_pcir_ok;   /* x86 images: sum over pcir_length_bytes (1, 0; -1 n/a or same range) */
	bool internal;          /* an NVIDIA-internal image (NPDS/RGIS, code type 0xe0/0x70, class 0) */
};

struct vbios_rom {
	size_t start;           /* offset of the first image (0 unless data precedes it) */
	size_t length;          /* bytes from start to the end of the last image (within the buffer) */
	size_t n_images;
	struct vbios_image images[VBIOS_MAX_IMAGES];
	bool chain_ok;          /* chain ended on a last-image bit, inside the buffer */
	char chain_problem[256]; /* why not, with offsets ("" when chain_ok) */
	size_t nouveau_images;  /* images nouveau walks: through the first type 0x70 (else all) */
	size_t pcir_length;     /* bytes from start that the PCIR chain alone covers (what Linux's sysfs rom reads) */
	size_t pcir_images;     /* images in that chain */
	bool sysfs_cut;         /* the data ends where PCIR's last bit says, NPDE announces more images */
	size_t sysfs_cut_after; /* index of the image after which NPDE announces more */
};

/* Parse the ROM in BUF. When BUF does not start with an image signature, the first
 * offset holding a signature and a valid PCIR structure is taken (rom->start).
 * Returns 0 when at least the first image parsed (chain faults after it are kept
 * in rom->chain_problem), -EINVAL with E set when no image could be parsed. */
int vbios_parse(const uint8_t *buf, size_t len, struct vbios_rom *ret, struct err *e);
/* Same, with the first image exactly at OFFSET (no scanning). */
int vbios_parse_at(const uint8_t *buf, size_t len, size_t offset, struct vbios_rom *ret, struct err *e);
/* Cheap test: an image signature at OFFSET whose PCIR structure lies inside BUF. */
bool vbios_image_plausible(const uint8_t *buf, size_t len, size_t offset);
void vbios_rom_clear(struct vbios_rom *rom);

/* Usable as the ROM of the passed-through NVIDIA device for nouveau in the guest:
 * NVIDIA vendor, display class (0x03xxxx), chain well formed, x86 checksums good.
 * PROBLEMS gets one sentence per reason it is not; NOTES things worth knowing that
 * do not make it unusable (no EFI image, card with outputs). Either may be NULL. */
bool vbios_verdict(const struct vbios_rom *rom, struct strv *problems, struct strv *notes);

/* Short form for callers that want one line: true when usable; otherwise WHY
 * (may be NULL) gets the problems joined by "; ". */
bool vbios_usable(const struct vbios_rom *rom, struct buf *why);

/* BUF holds UEFI firmware volumes (an "_FVH" volume header with a valid header
 * checksum): a firmware image or BIOS update, not an option ROM. */
bool vbios_looks_like_firmware(const uint8_t *buf, size_t len);

/* Names for printing: "x86 PC-AT", "Open Firmware", "EFI", "NVIDIA 0x70", "unknown". */
const char *vbios_code_type_name(uint8_t code_type);
const char *vbios_efi_subsystem_name(uint16_t subsystem); /* "Boot", "Runtime", "Application", NULL */
const char *vbios_efi_machine_name(uint16_t machine);     /* "X64", "IA-32", ..., NULL */
