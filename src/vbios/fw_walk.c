/* UEFI firmware volumes and FFS files (PI spec vol. 3), walked to find option ROMs;
 * the sections inside files are fw_walk_sections.c's. Layouts:
 * EFI_FIRMWARE_VOLUME_HEADER (0x38 + block map), EFI_FFS_FILE_HEADER (24 bytes, 32 for
 * FFS3 large files). */
#include "vbios/fw_walk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vbios/fw_walk_int.h"
#include "vbios/vbios.h"
#include "util/unaligned.h"

/* EFI_SYSTEM_NV_DATA_FV_GUID FFF12B8D-7696-4C8B-A985-2747075B4F50: a variable store, not files */
static const uint8_t GUID_NVDATA[16] = { 0x8d, 0x2b, 0xf1, 0xff, 0x96, 0x76, 0x8b, 0x4c,
					 0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b, 0x4f, 0x50 };

void fw_guid_str(const uint8_t *g, char out[37])
{
	snprintf(out, 37, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", unaligned_read_le32(g), unaligned_read_le16(g + 4), unaligned_read_le16(g + 6),
		 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

void fw_path_join(char *out, size_t n, const char *parent, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(out, n, "%s%s", parent, *parent ? ", " : "");
	if (k < 0 || (size_t)k >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(out + k, n - (size_t)k, fmt, ap);
	va_end(ap);
}

void fw_listf(struct walk *w, const char *fmt, ...)
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

void fw_skipf(struct walk *w, const struct loc *l, const char *fmt, ...)
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

void fw_where_at(const struct loc *l, size_t off, char *out, size_t n)
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
	const uint8_t **src = realloc(w->rom_src, (w->r->n_roms + 1) * sizeof(*src));
	if (!src) {
		w->oom = 1;
		return;
	}
	w->rom_src = src;
	src[w->r->n_roms] = buf + rom->start;
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
	fw_where_at(l, rom->start, at, sizeof(at));
	size_t n = strlen(l->path) + strlen(at) + 16;
	f->where = malloc(n);
	if (!f->data || !f->where) {
		free(f->data);
		free(f->where);
		w->oom = 1;
		return;
	}
	fw_path_join(f->where, n, l->path, "at %s", at);
	memcpy(f->data, buf + rom->start, rom->length);
	w->r->n_roms++;
}

/* Every ROM image chain whose first image is plausible; skips over what it takes. */
void fw_scan_roms(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
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
			fw_where_at(l, i, at, sizeof(at));
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

static size_t volume_header_ok(const uint8_t *buf, size_t len);

/* The body of file G (N bytes at LO) holds ROMs a scan of its buffer found: their
 * place names that file. Files are walked outside in, so the innermost one names it. */
static void name_roms_in_file(struct walk *w, const uint8_t *lo, size_t n, const struct loc *l, const char *g)
{
	for (size_t i = 0; i < w->r->n_roms && i < FW_MAX_NAMED_ROMS && !w->oom; i++) {
		struct fw_rom *f = &w->r->roms[i];
		uintptr_t d = (uintptr_t)w->rom_src[i] - (uintptr_t)lo;
		if (!w->rom_src[i] || d > n || f->len > n - d)
			continue;
		char at[64], file[512];
		if (f->compressed)
			snprintf(at, sizeof(at), "+0x%zx in the decompressed data", f->inner_offset);
		else
			snprintf(at, sizeof(at), "0x%zx", f->file_offset);
		fw_path_join(file, sizeof(file), l->path, "file %s", g);
		size_t m = strlen(file) + strlen(at) + 8;
		char *where = malloc(m);
		if (!where) {
			w->oom = 1;
			return;
		}
		fw_path_join(where, m, file, "at %s", at);
		free(f->where);
		f->where = where;
	}
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
		fw_where_at(l, pos, at, sizeof(at));
		size_t size = unaligned_read_le24(f + FFS_SIZE), hdr = 24;
		uint8_t type = f[FFS_TYPE], attr = f[FFS_ATTRIBUTES];
		if ((attr & FFS_ATTRIB_LARGE_FILE) && size == 0) { /* FFS3 extended size */
			if (fvlen - pos < 32) {
				fw_skipf(w, l, "file at %s: large-file header cut short", at);
				break;
			}
			uint64_t big = unaligned_read_le64(f + FFS_EXTENDED_SIZE);
			size = big > SIZE_MAX ? SIZE_MAX : (size_t)big;
			hdr = 32;
		}
		if (size < hdr || size > fvlen - pos) {
			fw_skipf(w, l, "file at %s in volume %s: size 0x%zx outside the volume (0x%zx bytes left); "
				    "rest of the volume not read", at, vguid, size, fvlen - pos);
			break;
		}
		char g[37];
		fw_guid_str(f, g);
		w->r->n_files++;
		fw_listf(w, "file %s type 0x%02x (%s) size 0x%zx", g, type, file_type_name(type), size);
		if (type != EFI_FV_FILETYPE_FFS_PAD)
			name_roms_in_file(w, f + hdr, size - hdr, l, g);
		if (type == EFI_FV_FILETYPE_RAW && volume_header_ok(f + hdr, size - hdr)) {
			/* a raw file holding a volume, as UEFITool reads it */
			char path[512];
			fw_path_join(path, sizeof(path), l->path, "file %s", g);
			struct loc sub = { .in_file = l->in_file, .off = l->off + pos + hdr, .origin = l->origin, .path = path };
			w->depth++;
			fw_walk_volume(w, f + hdr, size - hdr, &sub);
			w->depth--;
		} else if (type != EFI_FV_FILETYPE_RAW && type != EFI_FV_FILETYPE_FFS_PAD && type < EFI_FV_FILETYPE_OEM_MIN) {
			char path[512];
			fw_path_join(path, sizeof(path), l->path, "file %s", g);
			struct loc sub = { .in_file = l->in_file, .off = l->off + pos + hdr, .origin = l->origin, .path = path };
			fw_walk_sections(w, f + hdr, size - hdr, &sub);
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

void fw_walk_volume(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
{
	char at[64];
	fw_where_at(l, 0, at, sizeof(at));
	size_t vlen = volume_header_ok(buf, len);
	if (!vlen) {
		fw_skipf(w, l, "volume image at %s: no valid firmware volume header", at);
		return;
	}
	if (w->depth >= FW_MAX_DEPTH) {
		fw_skipf(w, l, "volume at %s nested deeper than %d levels, not opened here", at, FW_MAX_DEPTH);
		return;
	}
	if (w->r->n_volumes >= FW_MAX_VOLUMES) {
		if (!w->too_many)
			fw_skipf(w, l, "more than %d firmware volumes: volume at %s and the rest not opened", FW_MAX_VOLUMES, at);
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
	fw_listf(w, "volume %s size 0x%llx at %s", g, (unsigned long long)declared, at);
	if (declared > len)
		fw_skipf(w, l, "volume %s at %s: declares 0x%llx bytes, only 0x%zx present; read what is there", g, at,
		      (unsigned long long)declared, len);
	if (memcmp(buf + FV_FILE_SYSTEM_GUID, GUID_NVDATA, 16) == 0) {
		/* $VSS / NVRAM: variables, nothing to search and nothing broken */
		w->depth++;
		fw_listf(w, "variable store (NVRAM), no files");
		w->depth--;
		return;
	}
	char path[512];
	fw_path_join(path, sizeof(path), l->path, "volume %s", g);
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
void fw_scan_volumes(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
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
		fw_walk_volume(w, buf + start, len - start, &at);
	}
}

/* A buffer is about to be freed: forget the volumes seen in it. */
void fw_forget_seen(struct walk *w, const uint8_t *buf, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < w->n_seen; i++)
		if ((uintptr_t)w->seen[i] - (uintptr_t)buf >= len)
			w->seen[k++] = w->seen[i];
	w->n_seen = k;
	for (size_t i = 0; i < w->r->n_roms; i++)
		if ((uintptr_t)w->rom_src[i] - (uintptr_t)buf < len)
			w->rom_src[i] = NULL;
}

int fw_walk(const uint8_t *buf, size_t len, const struct fw_walk_opts *opts, struct fw_result *r, struct err *e)
{
	*r = (struct fw_result){0};
	struct walk w = { .o = opts, .r = r, .budget = opts->max_output ? opts->max_output : FW_DEFAULT_MAX_OUTPUT };
	struct loc top = { .in_file = true, .off = 0, .path = "" };
	fw_scan_roms(&w, buf, len, &top);
	fw_scan_volumes(&w, buf, len, &top);
	free(w.seen);
	free(w.rom_src);
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
