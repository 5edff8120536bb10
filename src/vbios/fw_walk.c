/* UEFI firmware volumes, FFS files and sections (PI spec vol. 3), walked to find
 * option ROMs. Layouts: EFI_FIRMWARE_VOLUME_HEADER (0x38 + block map),
 * EFI_FFS_FILE_HEADER (24 bytes, 32 for FFS3 large files), EFI_COMMON_SECTION_HEADER
 * (4 bytes, 8 with the extended size). */
#include "vbios/fw_walk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vbios/fw_lzma.h"
#include "vbios/fw_tiano.h"
#include "vbios/fw_walk_int.h"
#include "vbios/vbios.h"
#include "util/unaligned.h"

static const uint8_t GUID_LZMA[16] = { 0x98, 0x58, 0x4e, 0xee, 0x14, 0x39, 0x59, 0x42,
				       0x9d, 0x6e, 0xdc, 0x7b, 0xd7, 0x94, 0x03, 0xcf };
static const uint8_t GUID_LZMAF86[16] = { 0xbd, 0xe6, 0x2a, 0xd4, 0x52, 0x13, 0xfb, 0x4b,
					  0x90, 0x9a, 0xca, 0x72, 0xa6, 0xea, 0xe8, 0x89 };
static const uint8_t GUID_TIANO[16] = { 0xad, 0x80, 0x12, 0xa3, 0x1e, 0x48, 0xb6, 0x41,
					0x95, 0xe8, 0x12, 0x7f, 0x4c, 0x98, 0x47, 0x79 };
/* EFI_SYSTEM_NV_DATA_FV_GUID FFF12B8D-7696-4C8B-A985-2747075B4F50: a variable store, not files */
static const uint8_t GUID_NVDATA[16] = { 0x8d, 0x2b, 0xf1, 0xff, 0x96, 0x76, 0x8b, 0x4c,
					 0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b, 0x4f, 0x50 };
static const uint8_t GUID_BROTLI[16] = { 0x50, 0x20, 0x53, 0x3d, 0xda, 0x5c, 0xd0, 0x4f,
					 0x87, 0x9e, 0x0f, 0x7f, 0x63, 0x0d, 0x5a, 0xfb };


static bool fits(size_t len, size_t off, size_t n) { return off <= len && n <= len - off; }
static size_t align_up(size_t v, size_t a) { return v > SIZE_MAX - (a - 1) ? SIZE_MAX : (v + a - 1) & ~(a - 1); }

void fw_guid_str(const uint8_t *g, char out[37])
{
	snprintf(out, 37, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", unaligned_read_le32(g), unaligned_read_le16(g + 4), unaligned_read_le16(g + 6),
		 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* OUT = PARENT ", " <formatted> (or just the formatted part at the top), cut to N bytes. */
static void path_join(char *out, size_t n, const char *parent, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void path_join(char *out, size_t n, const char *parent, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(out, n, "%s%s", parent, *parent ? ", " : "");
	if (k < 0 || (size_t)k >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(out + k, n - (size_t)k, fmt, ap);
	va_end(ap);
}

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
	bool too_many;
};

static void listf(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void listf(struct walk *w, const char *fmt, ...)
{
	if (!w->o->list)
		return;
	va_list ap;
	va_start(ap, fmt);
	for (int i = 0; i < w->depth; i++)
		buf_puts(&w->r->listing, "  ");
	buf_vprintf(&w->r->listing, fmt, ap);
	buf_puts(&w->r->listing, "\n");
	va_end(ap);
}

static void skipf(struct walk *w, const struct loc *l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void skipf(struct walk *w, const struct loc *l, const char *fmt, ...)
{
	char s[768];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(s, sizeof(s), "%s%s", l->path, *l->path ? ": " : "");
	vsnprintf(s + n, sizeof(s) - (size_t)n, fmt, ap);
	va_end(ap);
	if (strv_push(&w->r->skipped, s) < 0)
		w->oom = 1;
}

/* Offsets printed for people: input offsets when we know them. */
static void where_at(const struct loc *l, size_t off, char *out, size_t n)
{
	if (l->in_file)
		snprintf(out, n, "0x%zx", l->off + off);
	else
		snprintf(out, n, "+0x%zx in the decompressed data", l->off + off);
}

static void add_rom(struct walk *w, const uint8_t *buf, const struct vbios_rom *rom, const struct loc *l)
{
	struct fw_rom *v = realloc(w->r->roms, (w->r->n_roms + 1) * sizeof(*v));
	if (!v) {
		w->oom = 1;
		return;
	}
	w->r->roms = v;
	struct fw_rom *f = &v[w->r->n_roms];
	*f = (struct fw_rom){
		.len = rom->length,
		.vendor = rom->images[0].vendor,
		.device = rom->images[0].device,
		.compressed = !l->in_file,
		.file_offset = l->in_file ? l->off + rom->start : l->origin,
		.inner_offset = l->in_file ? 0 : l->off + rom->start,
	};
	f->data = malloc(rom->length ? rom->length : 1);
	char at[64];
	where_at(l, rom->start, at, sizeof(at));
	size_t n = strlen(l->path) + strlen(at) + 16;
	f->where = malloc(n);
	if (!f->data || !f->where) {
		free(f->data);
		free(f->where);
		w->oom = 1;
		return;
	}
	path_join(f->where, n, l->path, "at %s", at);
	memcpy(f->data, buf + rom->start, rom->length);
	w->r->n_roms++;
}

/* Every ROM image chain whose first image is plausible; skips over what it takes. */
static void scan_roms(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
{
	for (size_t i = 0; i + 0x1a <= len && !w->oom; i++) {
		if (buf[i] != 0x55 && buf[i] != 0x77 && buf[i] != 0x56)
			continue;
		if (!vbios_image_plausible(buf, len, i))
			continue;
		struct vbios_rom rom;
		if (vbios_parse_at(buf, len, i, &rom, NULL) < 0)
			continue;
		const struct vbios_image *first = &rom.images[0];
		if (w->o->vendor && first->vendor != w->o->vendor) {
			/* another vendor's ROM: skipped over below */
		} else if (first->internal || first->device == 0 || first->class_code == 0) {
			char at[64], s[768];
			where_at(l, i, at, sizeof(at));
			snprintf(s, sizeof(s), "%s%sat %s: %04x:%04x class %06x, %s image (%s, code type 0x%02x), 0x%zx bytes: "
				 "an internal part of a VBIOS, not a device's option ROM; not written", l->path,
				 *l->path ? ", " : "", at, first->vendor, first->device, first->class_code,
				 vbios_code_type_name(first->code_type), first->pcir_sig, first->code_type, rom.length);
			if (strv_push(&w->r->fragments, s) < 0)
				w->oom = 1;
		} else {
			add_rom(w, buf, &rom, l);
		}
		if (rom.length > 1)
			i += rom.length - 1;
	}
}

static void walk_volume(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l);
static size_t volume_header_ok(const uint8_t *buf, size_t len);
static void scan_volumes(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l);
static void forget_seen(struct walk *w, const uint8_t *buf, size_t len);

static void walk_decompressed(struct walk *w, uint8_t *out, size_t out_len, const struct loc *l, size_t sec_off,
			      const char *what);

static void efi_section(struct walk *w, const uint8_t *data, size_t len, int preferred, const struct loc *l,
			size_t sec_off, const char *at);

static void lzma_section(struct walk *w, const uint8_t *data, size_t len, bool x86, const struct loc *l, size_t sec_off,
			 const char *at, const char *what)
{
	uint8_t *out = NULL;
	size_t out_len = 0;
	struct err le = {0};
	int form = FW_LZMA_PLAIN;
	int r = fw_lzma_decode_any(data, len, x86, w->budget, &out, &out_len, &form, &le);
	if (r == -ENOMEM && !le.msg[0])
		w->oom = 1;
	if (r < 0) {
		skipf(w, l, "%s at %s: %s", what, at, le.msg);
		return;
	}
	char name[96];
	snprintf(name, sizeof(name), "%s%s", what, form == FW_LZMA_INTEL_LEGACY ? " (Intel legacy LZMA)" : "");
	walk_decompressed(w, out, out_len, l, sec_off, name);
}

static void walk_sections(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
{
	if (w->depth >= FW_MAX_DEPTH) {
		skipf(w, l, "sections nested deeper than %d levels, not opened", FW_MAX_DEPTH);
		return;
	}
	w->depth++;
	size_t pos = 0;
	while (pos + 4 <= len && !w->oom) {
		const uint8_t *s = buf + pos;
		size_t size = unaligned_read_le24(s), hdr = 4;
		uint8_t type = s[3];
		char at[64];
		where_at(l, pos, at, sizeof(at));
		if (size == SECTION_SIZE_EXTENDED) {
			if (!fits(len, pos, 8)) {
				skipf(w, l, "section at %s: extended header cut short", at);
				break;
			}
			size = unaligned_read_le32(s + 4);
			hdr = 8;
		}
		if (size < hdr || size > len - pos) {
			skipf(w, l, "section at %s: size 0x%zx outside its file (0x%zx bytes left); rest of the file not read",
			      at, size, len - pos);
			break;
		}
		w->r->n_sections++;
		const uint8_t *body = s + hdr;
		size_t blen = size - hdr;
		struct loc sub = *l;
		sub.off = l->off + pos + hdr;
		if (type == EFI_SECTION_COMPRESSION) {
			if (blen < 5) {
				skipf(w, l, "compression section at %s: header cut short", at);
			} else if (body[4] == EFI_NOT_COMPRESSED) {
				listf(w, "section compression (stored) size 0x%zx", size);
				sub.off += 5;
				walk_sections(w, body + 5, blen - 5, &sub);
			} else if (body[4] == EFI_STANDARD_COMPRESSION) {
				listf(w, "section compression (EFI) size 0x%zx", size);
				efi_section(w, body + 5, blen - 5, 1, l, pos, at);
			} else if (body[4] == EFI_CUSTOMIZED_COMPRESSION) { /* LZMA, as UEFITool reads it */
				listf(w, "section compression (customized: LZMA) size 0x%zx", size);
				lzma_section(w, body + 5, blen - 5, false, l, pos, at, "LZMA-compressed section");
			} else {
				listf(w, "section compression (type %u) size 0x%zx", body[4], size);
				skipf(w, l, "compression section at %s: unknown compression type %u, contents not searched", at,
				      body[4]);
			}
		} else if (type == EFI_SECTION_GUID_DEFINED) {
			if (blen < 20) {
				skipf(w, l, "GUID-defined section at %s: header cut short", at);
				pos = align_up(pos + size, 4);
				continue;
			}
			char g[37];
			fw_guid_str(body, g);
			size_t doff = unaligned_read_le16(body + 16);
			uint16_t attr = unaligned_read_le16(body + 18);
			listf(w, "section guid-defined %s size 0x%zx", g, size);
			if (doff < hdr + 20 || doff > size) {
				skipf(w, l, "GUID-defined section at %s: data offset 0x%zx outside the section (0x%zx bytes)", at,
				      doff, size);
			} else if (memcmp(body, GUID_LZMA, 16) == 0 || memcmp(body, GUID_LZMAF86, 16) == 0) {
				bool x86 = memcmp(body, GUID_LZMAF86, 16) == 0;
				lzma_section(w, s + doff, size - doff, x86, l, pos, at, x86 ? "LZMA+x86 section" : "LZMA section");
			} else if (memcmp(body, GUID_TIANO, 16) == 0) {
				efi_section(w, s + doff, size - doff, 2, l, pos, at);
			} else if (memcmp(body, GUID_BROTLI, 16) == 0) {
				skipf(w, l, "Brotli-compressed section (GUID %s) at %s: not supported, contents not searched", g, at);
			} else if (!(attr & SECTION_GUID_PROCESSING_REQUIRED) ||
				   strcmp(g, "FC1BCDB0-7D31-49AA-936A-A4600D9DD083") == 0) {
				sub.off = l->off + pos + doff;
				walk_sections(w, s + doff, size - doff, &sub);
			} else {
				skipf(w, l, "GUID-defined section %s at %s needs processing this tool does not know; "
					    "contents not searched", g, at);
			}
		} else if (type == EFI_SECTION_FIRMWARE_VOLUME_IMAGE) {
			listf(w, "section volume-image size 0x%zx", size);
			walk_volume(w, body, blen, &sub);
		} else {
			listf(w, "section type 0x%02x size 0x%zx", type, size);
		}
		pos = align_up(pos + size, 4);
	}
	w->depth--;
}

static void walk_decompressed(struct walk *w, uint8_t *out, size_t out_len, const struct loc *l, size_t sec_off,
			      const char *what)
{
	w->budget -= out_len < w->budget ? out_len : w->budget;
	w->r->n_decompressed++;
	w->r->decompressed_bytes += out_len;
	char path[512];
	char at[64];
	where_at(l, sec_off, at, sizeof(at));
	path_join(path, sizeof(path), l->path, "%s at %s", what, at);
	struct loc sub = { .in_file = false, .off = 0, .origin = l->in_file ? l->off + sec_off : l->origin, .path = path };
	scan_roms(w, out, out_len, &sub);
	walk_sections(w, out, out_len, &sub);
	scan_volumes(w, out, out_len, &sub);
	forget_seen(w, out, out_len);
	free(out);
}

static const char *file_type_name(uint8_t t)
{
	static const char *const names[] = { "all", "raw", "freeform", "sec-core", "pei-core", "dxe-core", "peim",
					     "driver", "combined-peim-driver", "application", "mm", "fv-image",
					     "combined-mm-dxe", "mm-core", "mm-standalone", "mm-core-standalone" };
	if (t < sizeof(names) / sizeof(names[0]))
		return names[t];
	if (t == EFI_FV_FILETYPE_FFS_PAD)
		return "pad";
	return t >= EFI_FV_FILETYPE_OEM_MIN && t <= EFI_FV_FILETYPE_OEM_MAX ? "oem"
	       : t >= EFI_FV_FILETYPE_DEBUG_MIN && t <= EFI_FV_FILETYPE_DEBUG_MAX ? "debug" : "unknown";
}

static void walk_files(struct walk *w, const uint8_t *fv, size_t fvlen, size_t start, bool erase1, const struct loc *l,
		       const char *vguid)
{
	uint8_t erase = erase1 ? 0xff : 0x00;
	size_t pos = align_up(start, 8);
	while (pos < fvlen && fvlen - pos >= 24 && !w->oom) {
		const uint8_t *f = fv + pos;
		bool empty = true;
		for (int i = 0; i < 24 && empty; i++)
			empty = f[i] == erase;
		if (empty)
			break; /* free space to the end of the volume */
		char at[64];
		where_at(l, pos, at, sizeof(at));
		size_t size = unaligned_read_le24(f + FFS_SIZE), hdr = 24;
		uint8_t type = f[FFS_TYPE], attr = f[FFS_ATTRIBUTES];
		if ((attr & FFS_ATTRIB_LARGE_FILE) && size == 0) { /* FFS3 extended size */
			if (fvlen - pos < 32) {
				skipf(w, l, "file at %s: large-file header cut short", at);
				break;
			}
			uint64_t big = unaligned_read_le64(f + FFS_EXTENDED_SIZE);
			size = big > SIZE_MAX ? SIZE_MAX : (size_t)big;
			hdr = 32;
		}
		if (size < hdr || size > fvlen - pos) {
			skipf(w, l, "file at %s in volume %s: size 0x%zx outside the volume (0x%zx bytes left); "
				    "rest of the volume not read", at, vguid, size, fvlen - pos);
			break;
		}
		char g[37];
		fw_guid_str(f, g);
		w->r->n_files++;
		listf(w, "file %s type 0x%02x (%s) size 0x%zx", g, type, file_type_name(type), size);
		if (type == EFI_FV_FILETYPE_RAW && volume_header_ok(f + hdr, size - hdr)) {
			/* a raw file holding a volume, as UEFITool reads it */
			char path[512];
			path_join(path, sizeof(path), l->path, "file %s", g);
			struct loc sub = { .in_file = l->in_file, .off = l->off + pos + hdr, .origin = l->origin, .path = path };
			w->depth++;
			walk_volume(w, f + hdr, size - hdr, &sub);
			w->depth--;
		} else if (type != EFI_FV_FILETYPE_RAW && type != EFI_FV_FILETYPE_FFS_PAD && type < EFI_FV_FILETYPE_OEM_MIN) {
			char path[512];
			path_join(path, sizeof(path), l->path, "file %s", g);
			struct loc sub = { .in_file = l->in_file, .off = l->off + pos + hdr, .origin = l->origin, .path = path };
			walk_sections(w, f + hdr, size - hdr, &sub);
		}
		pos = align_up(pos + size, 8);
	}
}

/* A volume header at the start of BUF: its length (clamped to LEN) or 0. */
static size_t volume_header_ok(const uint8_t *buf, size_t len)
{
	if (len < FV_HEADER_MIN || memcmp(buf + FV_SIGNATURE, "_FVH", 4) != 0)
		return 0;
	uint64_t fvlen = unaligned_read_le64(buf + FV_LENGTH);
	size_t hlen = unaligned_read_le16(buf + FV_HEADER_LENGTH);
	uint8_t rev = buf[FV_REVISION];
	if (hlen < FV_HEADER_MIN || hlen > fvlen || hlen > len || (rev != 1 && rev != 2))
		return 0;
	return fvlen > len ? len : (size_t)fvlen;
}

static void walk_volume(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
{
	char at[64];
	where_at(l, 0, at, sizeof(at));
	size_t vlen = volume_header_ok(buf, len);
	if (!vlen) {
		skipf(w, l, "volume image at %s: no valid firmware volume header", at);
		return;
	}
	if (w->depth >= FW_MAX_DEPTH) {
		skipf(w, l, "volume at %s nested deeper than %d levels, not opened here", at, FW_MAX_DEPTH);
		return;
	}
	if (w->r->n_volumes >= FW_MAX_VOLUMES) {
		if (!w->too_many)
			skipf(w, l, "more than %d firmware volumes: volume at %s and the rest not opened", FW_MAX_VOLUMES, at);
		w->too_many = true;
		return;
	}
	uint64_t declared = unaligned_read_le64(buf + FV_LENGTH);
	size_t hlen = unaligned_read_le16(buf + FV_HEADER_LENGTH);
	uint32_t attrs = unaligned_read_le32(buf + FV_ATTRIBUTES);
	uint16_t ext = unaligned_read_le16(buf + FV_EXT_HEADER_OFFSET);
	const uint8_t *gp = buf + FV_FILE_SYSTEM_GUID;
	size_t start = hlen;
	if (ext && fits(vlen, ext, FV_EXT_HEADER_MIN)) {
		gp = buf + ext; /* EFI_FIRMWARE_VOLUME_EXT_HEADER.FvName */
		uint32_t esize = unaligned_read_le32(buf + ext + FV_EXT_HEADER_SIZE);
		if (esize >= FV_EXT_HEADER_MIN && fits(vlen, ext, esize) && ext + esize > start)
			start = ext + esize;
	}
	char g[37];
	fw_guid_str(gp, g);
	const uint8_t **seen = realloc(w->seen, (w->n_seen + 1) * sizeof(*seen));
	if (!seen) {
		w->oom = 1;
		return;
	}
	w->seen = seen;
	w->seen[w->n_seen++] = buf;
	w->r->n_volumes++;
	listf(w, "volume %s size 0x%llx at %s", g, (unsigned long long)declared, at);
	if (declared > len)
		skipf(w, l, "volume %s at %s: declares 0x%llx bytes, only 0x%zx present; read what is there", g, at,
		      (unsigned long long)declared, len);
	if (memcmp(buf + FV_FILE_SYSTEM_GUID, GUID_NVDATA, 16) == 0) {
		/* $VSS / NVRAM: variables, nothing to search and nothing broken */
		w->depth++;
		listf(w, "variable store (NVRAM), no files");
		w->depth--;
		return;
	}
	char path[512];
	path_join(path, sizeof(path), l->path, "volume %s", g);
	struct loc sub = { .in_file = l->in_file, .off = l->off, .origin = l->origin, .path = path };
	w->depth++;
	walk_files(w, buf, vlen, start, attrs & EFI_FVB2_ERASE_POLARITY, &sub, g);
	w->depth--;
}

/* Sum of the header's u16 words is 0: required of volumes found by scanning,
 * where "_FVH" could also be a constant in some code. */
static bool volume_checksum_ok(const uint8_t *buf, size_t len)
{
	size_t hlen = unaligned_read_le16(buf + FV_HEADER_LENGTH);
	if (hlen > len)
		return false;
	uint16_t sum = 0;
	for (size_t i = 0; i + 1 < hlen; i += 2)
		sum = (uint16_t)(sum + unaligned_read_le16(buf + i));
	return sum == 0;
}

/* Volumes anywhere in BUF that the structure walk has not reached (the input's
 * top level, volumes in raw files or raw sections). */
static void scan_volumes(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
{
	size_t pos = 0;
	while (!w->oom && len >= FV_HEADER_MIN && pos <= len - FV_HEADER_MIN) {
		const uint8_t *hit = memmem(buf + pos + FV_SIGNATURE, len - pos - FV_SIGNATURE, "_FVH", 4);
		if (!hit)
			break;
		size_t start = (size_t)(hit - buf) - FV_SIGNATURE;
		pos = start + 1;
		if (!volume_header_ok(buf + start, len - start) || !volume_checksum_ok(buf + start, len - start))
			continue;
		bool seen = false;
		for (size_t i = 0; i < w->n_seen && !seen; i++)
			seen = w->seen[i] == buf + start;
		if (seen)
			continue;
		struct loc at = *l;
		at.off = l->off + start;
		walk_volume(w, buf + start, len - start, &at);
	}
}

/* A buffer is about to be freed: forget the volumes seen in it. */
static void forget_seen(struct walk *w, const uint8_t *buf, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < w->n_seen; i++)
		if ((uintptr_t)w->seen[i] - (uintptr_t)buf >= len)
			w->seen[k++] = w->seen[i];
	w->n_seen = k;
}

int fw_walk(const uint8_t *buf, size_t len, const struct fw_walk_opts *opts, struct fw_result *r, struct err *e)
{
	*r = (struct fw_result){0};
	struct walk w = { .o = opts, .r = r, .budget = opts->max_output ? opts->max_output : FW_DEFAULT_MAX_OUTPUT };
	struct loc top = { .in_file = true, .off = 0, .path = "" };
	scan_roms(&w, buf, len, &top);
	scan_volumes(&w, buf, len, &top);
	free(w.seen);
	if (w.oom) {
		err_set(e, "out of memory while walking the firmware");
		return -ENOMEM;
	}
	return 0;
}

void fw_result_clear(struct fw_result *r)
{
	for (size_t i = 0; i < r->n_roms; i++) {
		free(r->roms[i].data);
		free(r->roms[i].where);
	}
	free(r->roms);
	strv_clear(&r->skipped);
	strv_clear(&r->fragments);
	buf_free(&r->listing);
	*r = (struct fw_result){0};
}

/* A section stream that starts sensibly: its first section fits in it. */
static bool looks_like_sections(const uint8_t *p, size_t n)
{
	if (n < 4)
		return n == 0;
	size_t size = unaligned_read_le24(p);
	if (size == SECTION_SIZE_EXTENDED)
		size = n >= 8 ? unaligned_read_le32(p + 4) : 0;
	return size >= 4 && size <= n && p[3] >= EFI_SECTION_COMPRESSION && p[3] <= EFI_SECTION_LAST;
}

/* EFI/Tiano data: try the PREFERRED variant, then the other; when both decode,
 * keep the one whose output is a section stream. */
static void efi_section(struct walk *w, const uint8_t *data, size_t len, int preferred, const struct loc *l,
			size_t sec_off, const char *at)
{
	uint8_t *out[2] = { NULL, NULL };
	size_t out_len[2] = { 0, 0 };
	struct err le[2] = { {{0}}, {{0}} };
	int order[2] = { preferred, 3 - preferred };
	int rc[2] = { -1, -1 };
	for (int k = 0; k < 2; k++) {
		/* both results may be alive at once: together they stay within the budget */
		size_t budget = w->budget - (k && rc[0] == 0 ? out_len[0] : 0);
		rc[k] = fw_efi_decompress(data, len, order[k], budget, &out[k], &out_len[k], &le[k]);
		if (rc[k] == -ENOMEM && !le[k].msg[0])
			w->oom = 1;
		if (rc[k] == 0 && looks_like_sections(out[k], out_len[k]))
			break;
	}
	int pick = -1;
	for (int k = 0; k < 2 && pick < 0; k++)
		if (rc[k] == 0 && out[k] && looks_like_sections(out[k], out_len[k]))
			pick = k;
	for (int k = 0; k < 2 && pick < 0; k++)
		if (rc[k] == 0 && out[k])
			pick = k;
	if (pick < 0) {
		skipf(w, l, "EFI/Tiano-compressed section at %s: %s", at, le[0].msg);
		free(out[0]);
		free(out[1]);
		return;
	}
	free(out[1 - pick]);
	walk_decompressed(w, out[pick], out_len[pick], l, sec_off, order[pick] == 1 ? "EFI-compressed section" : "Tiano-compressed section");
}
