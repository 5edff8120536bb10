/* The firmware walker's names for the PI spec's (vol. 3) numbers, so fw_walk.c and
 * fw_walk_sections.c read like the spec; and the walk's state the two files share. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vbios/fw_walk.h"

#define SECTION_GUID_PROCESSING_REQUIRED 0x01

/* PI spec vol. 3 names. EFI_FIRMWARE_VOLUME_HEADER field offsets: */
#define FV_FILE_SYSTEM_GUID 0x10
#define FV_LENGTH 0x20
#define FV_SIGNATURE 0x28          /* "_FVH" */
#define FV_ATTRIBUTES 0x2c
#define FV_HEADER_LENGTH 0x30
#define FV_EXT_HEADER_OFFSET 0x34
#define FV_REVISION 0x37
#define FV_HEADER_MIN 0x48         /* the header with a one-entry block map and its terminator */
#define FV_EXT_HEADER_MIN 0x14     /* EFI_FIRMWARE_VOLUME_EXT_HEADER: FvName, ExtHeaderSize */
#define FV_EXT_HEADER_SIZE 0x10
#define EFI_FVB2_ERASE_POLARITY 0x800
/* EFI_FFS_FILE_HEADER(2) */
#define FFS_TYPE 0x12
#define FFS_ATTRIBUTES 0x13
#define FFS_SIZE 0x14
#define FFS_EXTENDED_SIZE 0x18
#define FFS_ATTRIB_LARGE_FILE 0x01
#define EFI_FV_FILETYPE_RAW 0x01
#define EFI_FV_FILETYPE_OEM_MIN 0xc0
#define EFI_FV_FILETYPE_OEM_MAX 0xdf
#define EFI_FV_FILETYPE_DEBUG_MIN 0xe0
#define EFI_FV_FILETYPE_DEBUG_MAX 0xef
#define EFI_FV_FILETYPE_FFS_PAD 0xf0
/* EFI_COMMON_SECTION_HEADER(2): a 24-bit size of all ones means a 32-bit size follows */
#define SECTION_SIZE_EXTENDED 0xffffff
#define EFI_SECTION_COMPRESSION 0x01
#define EFI_SECTION_GUID_DEFINED 0x02
#define EFI_SECTION_FIRMWARE_VOLUME_IMAGE 0x17
#define EFI_SECTION_LAST 0x1c      /* EFI_SECTION_MM_DEPEX, the highest type defined */
#define EFI_NOT_COMPRESSED 0
#define EFI_STANDARD_COMPRESSION 1
#define EFI_CUSTOMIZED_COMPRESSION 2

/* ---- the walk, shared by fw_walk.c (volumes, files, ROMs) and fw_walk_sections.c ---- */

static inline bool fits(size_t len, size_t off, size_t n) { return off <= len && n <= len - off; }
static inline size_t align_up(size_t v, size_t a) { return v > SIZE_MAX - (a - 1) ? SIZE_MAX : (v + a - 1) & ~(a - 1); }

/* Where a buffer came from: in the input at BASE, or decompressed from the
 * compressed section the input holds at BASE. */
struct loc {
	bool in_file;
	size_t off;     /* offset of the data's first byte in its buffer (input or decompressed) */
	size_t origin;  /* decompressed: offset in the input of the outermost compressed section */
	const char *path;  /* "" at the top */
};

struct walk {
	const struct fw_walk_opts *o;
	struct fw_result *r;
	size_t budget;
	int depth;
	int oom;
	const uint8_t **seen; /* starts of the volumes walked, in buffers still alive */
	size_t n_seen;
	const uint8_t **rom_src; /* per ROM in r->roms: its first byte, while its buffer lives (else NULL) */
	bool too_many;
};

/* fw_walk.c */
/* OUT = PARENT ", " <formatted> (or just the formatted part at the top), cut to N bytes. */
void fw_path_join(char *out, size_t n, const char *parent, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A line of the listing (opts.list), indented by the depth. */
void fw_listf(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "where: why" into the result's skipped list. */
void fw_skipf(struct walk *w, const struct loc *l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Offsets printed for people: input offsets when we know them. */
void fw_where_at(const struct loc *l, size_t off, char *out, size_t n);
void fw_scan_roms(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l);
void fw_walk_volume(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l);
void fw_scan_volumes(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l);
void fw_forget_seen(struct walk *w, const uint8_t *buf, size_t len);

/* fw_walk_sections.c */
/* A section stream (a file's body, a decompressed buffer), one level deeper. */
void fw_walk_sections(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l);
