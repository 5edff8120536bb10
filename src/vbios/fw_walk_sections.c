/* The section decoders of the firmware walker: a section stream, the sections that
 * need opening (compression: stored, EFI, LZMA; GUID-defined: LZMA, LZMA+x86, Tiano;
 * firmware-volume images) and the decompressed buffers they yield. Layouts:
 * EFI_COMMON_SECTION_HEADER (4 bytes, 8 with the extended size), PI spec vol. 3. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vbios/fw_lzma.h"
#include "vbios/fw_tiano.h"
#include "vbios/fw_walk_int.h"
#include "util/unaligned.h"

static const uint8_t GUID_LZMA[16] = { 0x98, 0x58, 0x4e, 0xee, 0x14, 0x39, 0x59, 0x42,
				       0x9d, 0x6e, 0xdc, 0x7b, 0xd7, 0x94, 0x03, 0xcf };
static const uint8_t GUID_LZMAF86[16] = { 0xbd, 0xe6, 0x2a, 0xd4, 0x52, 0x13, 0xfb, 0x4b,
					  0x90, 0x9a, 0xca, 0x72, 0xa6, 0xea, 0xe8, 0x89 };
static const uint8_t GUID_TIANO[16] = { 0xad, 0x80, 0x12, 0xa3, 0x1e, 0x48, 0xb6, 0x41,
					0x95, 0xe8, 0x12, 0x7f, 0x4c, 0x98, 0x47, 0x79 };
static const uint8_t GUID_BROTLI[16] = { 0x50, 0x20, 0x53, 0x3d, 0xda, 0x5c, 0xd0, 0x4f,
					 0x87, 0x9e, 0x0f, 0x7f, 0x63, 0x0d, 0x5a, 0xfb };

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
		fw_skipf(w, l, "%s at %s: %s", what, at, le.msg);
		return;
	}
	char name[96];
	snprintf(name, sizeof(name), "%s%s", what, form == FW_LZMA_INTEL_LEGACY ? " (Intel legacy LZMA)" : "");
	walk_decompressed(w, out, out_len, l, sec_off, name);
}

void fw_walk_sections(struct walk *w, const uint8_t *buf, size_t len, const struct loc *l)
{
	if (w->depth >= FW_MAX_DEPTH) {
		fw_skipf(w, l, "sections nested deeper than %d levels, not opened", FW_MAX_DEPTH);
		return;
	}
	w->depth++;
	size_t pos = 0;
	while (pos + 4 <= len && !w->oom) {
		const uint8_t *s = buf + pos;
		size_t size = unaligned_read_le24(s), hdr = 4;
		uint8_t type = s[3];
		char at[64];
		fw_where_at(l, pos, at, sizeof(at));
		if (size == SECTION_SIZE_EXTENDED) {
			if (!fits(len, pos, 8)) {
				fw_skipf(w, l, "section at %s: extended header cut short", at);
				break;
			}
			size = unaligned_read_le32(s + 4);
			hdr = 8;
		}
		if (size < hdr || size > len - pos) {
			fw_skipf(w, l, "section at %s: size 0x%zx outside its file (0x%zx bytes left); rest of the file not read",
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
				fw_skipf(w, l, "compression section at %s: header cut short", at);
			} else if (body[4] == EFI_NOT_COMPRESSED) {
				fw_listf(w, "section compression (stored) size 0x%zx", size);
				sub.off += 5;
				fw_walk_sections(w, body + 5, blen - 5, &sub);
			} else if (body[4] == EFI_STANDARD_COMPRESSION) {
				fw_listf(w, "section compression (EFI) size 0x%zx", size);
				efi_section(w, body + 5, blen - 5, 1, l, pos, at);
			} else if (body[4] == EFI_CUSTOMIZED_COMPRESSION) { /* LZMA, as UEFITool reads it */
				fw_listf(w, "section compression (customized: LZMA) size 0x%zx", size);
				lzma_section(w, body + 5, blen - 5, false, l, pos, at, "LZMA-compressed section");
			} else {
				fw_listf(w, "section compression (type %u) size 0x%zx", body[4], size);
				fw_skipf(w, l, "compression section at %s: unknown compression type %u, contents not searched", at,
				      body[4]);
			}
		} else if (type == EFI_SECTION_GUID_DEFINED) {
			if (blen < 20) {
				fw_skipf(w, l, "GUID-defined section at %s: header cut short", at);
				pos = align_up(pos + size, 4);
				continue;
			}
			char g[37];
			fw_guid_str(body, g);
			size_t doff = unaligned_read_le16(body + 16);
			uint16_t attr = unaligned_read_le16(body + 18);
			fw_listf(w, "section guid-defined %s size 0x%zx", g, size);
			if (doff < hdr + 20 || doff > size) {
				fw_skipf(w, l, "GUID-defined section at %s: data offset 0x%zx outside the section (0x%zx bytes)", at,
				      doff, size);
			} else if (memcmp(body, GUID_LZMA, 16) == 0 || memcmp(body, GUID_LZMAF86, 16) == 0) {
				bool x86 = memcmp(body, GUID_LZMAF86, 16) == 0;
				lzma_section(w, s + doff, size - doff, x86, l, pos, at, x86 ? "LZMA+x86 section" : "LZMA section");
			} else if (memcmp(body, GUID_TIANO, 16) == 0) {
				efi_section(w, s + doff, size - doff, 2, l, pos, at);
			} else if (memcmp(body, GUID_BROTLI, 16) == 0) {
				fw_skipf(w, l, "Brotli-compressed section (GUID %s) at %s: not supported, contents not searched", g, at);
			} else if (!(attr & SECTION_GUID_PROCESSING_REQUIRED) ||
				   strcmp(g, "FC1BCDB0-7D31-49AA-936A-A4600D9DD083") == 0) {
				sub.off = l->off + pos + doff;
				fw_walk_sections(w, s + doff, size - doff, &sub);
			} else {
				fw_skipf(w, l, "GUID-defined section %s at %s needs processing this tool does not know; "
					    "contents not searched", g, at);
			}
		} else if (type == EFI_SECTION_FIRMWARE_VOLUME_IMAGE) {
			fw_listf(w, "section volume-image size 0x%zx", size);
			fw_walk_volume(w, body, blen, &sub);
		} else {
			fw_listf(w, "section type 0x%02x size 0x%zx", type, size);
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
	fw_where_at(l, sec_off, at, sizeof(at));
	fw_path_join(path, sizeof(path), l->path, "%s at %s", what, at);
	struct loc sub = { .in_file = false, .off = 0, .origin = l->in_file ? l->off + sec_off : l->origin, .path = path };
	fw_scan_roms(w, out, out_len, &sub);
	fw_walk_sections(w, out, out_len, &sub);
	fw_scan_volumes(w, out, out_len, &sub);
	fw_forget_seen(w, out, out_len);
	free(out);
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
		fw_skipf(w, l, "EFI/Tiano-compressed section at %s: %s", at, le[0].msg);
		free(out[0]);
		free(out[1]);
		return;
	}
	free(out[1 - pick]);
	walk_decompressed(w, out[pick], out_len[pick], l, sec_off, order[pick] == 1 ? "EFI-compressed section" : "Tiano-compressed section");
}
