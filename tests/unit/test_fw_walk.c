/* The firmware walker on in-memory volumes built here: ROMs raw and in LZMA
 * sections, nesting, budgets, truncation and corruption. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <lzma.h>
#include <sanitizer/asan_interface.h>
#include <stdlib.h>
#include <string.h>

#include "vbios/fw_lzma.h"
#include "vbios/fw_walk.h"

struct bytes {
	uint8_t *p;
	size_t n;
	size_t cap; /* bytes allocated at p; grown by doubling (a byte-at-a-time realloc
		     * made this suite take two minutes under ASan) */
};

/* Under ASan the bytes past n + 1 stay poisoned, so a walker reading beyond the
 * image is caught exactly as when the buffer was n + 1 bytes long. */
static void seal(struct bytes *b)
{
	if (b->cap > b->n + 1)
		ASAN_POISON_MEMORY_REGION(b->p + b->n + 1, b->cap - b->n - 1);
}
/* room for n more bytes (and one spare, as before) */
static void reserve(struct bytes *b, size_t n)
{
	if (b->n + n + 1 <= b->cap) {
		ASAN_UNPOISON_MEMORY_REGION(b->p + b->n, n + 1);
		return;
	}
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->n + n + 1)
		cap *= 2;
	if (b->p)
		ASAN_UNPOISON_MEMORY_REGION(b->p, b->cap);
	b->p = realloc(b->p, cap);
	assert_non_null(b->p);
	b->cap = cap;
}
static void put(struct bytes *b, const void *d, size_t n)
{
	if (!n)
		return;
	reserve(b, n);
	memcpy(b->p + b->n, d, n);
	b->n += n;
	seal(b);
}
static void fill(struct bytes *b, uint8_t v, size_t n)
{
	if (!n)
		return;
	reserve(b, n);
	memset(b->p + b->n, v, n);
	b->n += n;
	seal(b);
}
static void le(struct bytes *b, uint64_t v, int n)
{
	for (int i = 0; i < n; i++) {
		uint8_t c = (uint8_t)(v >> (8 * i));
		put(b, &c, 1);
	}
}
static void align(struct bytes *b, size_t a, uint8_t v)
{
	while (b->n % a)
		fill(b, v, 1);
}

/* A tiny NVIDIA ROM: one x86 image of 512 bytes, last, checksum right. */
static struct bytes tiny_rom(uint16_t vendor)
{
	struct bytes b = {0};
	fill(&b, 0x22, 512);
	b.p[0] = 0x55, b.p[1] = 0xaa, b.p[2] = 1, b.p[0x18] = 0x40, b.p[0x19] = 0;
	uint8_t *r = b.p + 0x40;
	memcpy(r, "PCIR", 4);
	r[4] = (uint8_t)vendor, r[5] = (uint8_t)(vendor >> 8), r[6] = 0x9b, r[7] = 0x13;
	r[10] = 0x18, r[11] = 0, r[12] = 3, r[13] = 0, r[14] = 2, r[15] = 3, r[16] = 1, r[17] = 0, r[20] = 0, r[21] = 0x80;
	uint8_t sum = 0;
	b.p[511] = 0;
	for (int i = 0; i < 512; i++)
		sum = (uint8_t)(sum + b.p[i]);
	b.p[511] = (uint8_t)-sum;
	return b;
}

static void section(struct bytes *out, uint8_t type, const struct bytes *body)
{
	align(out, 4, 0);
	le(out, (body->n + 4) | (uint32_t)type << 24, 4);
	put(out, body->p, body->n);
}

static const uint8_t LZMA_GUID[16] = { 0x98, 0x58, 0x4e, 0xee, 0x14, 0x39, 0x59, 0x42,
				       0x9d, 0x6e, 0xdc, 0x7b, 0xd7, 0x94, 0x03, 0xcf };

static void lzma_section(struct bytes *out, const struct bytes *body, bool corrupt)
{
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 6);
	opt.dict_size = 1 << 16;
	lzma_stream s = LZMA_STREAM_INIT;
	assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
	size_t cap = body->n * 2 + 1024;
	uint8_t *z = malloc(cap);
	s.next_in = body->p, s.avail_in = body->n, s.next_out = z, s.avail_out = cap;
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	size_t zn = cap - s.avail_out;
	lzma_end(&s);
	for (int i = 0; i < 8; i++) /* EDK2 writes the real size where xz writes "unknown" */
		z[5 + i] = (uint8_t)((uint64_t)body->n >> (8 * i));
	if (corrupt)
		memset(z + 13, 0xff, zn > 40 ? 20 : zn - 13);
	struct bytes g = {0};
	put(&g, LZMA_GUID, 16);
	le(&g, 24, 2);
	le(&g, 1, 2);
	put(&g, z, zn);
	section(out, 0x02, &g);
	free(z);
	free(g.p);
}

static const uint8_t LZMAF86_GUID[16] = { 0xbd, 0xe6, 0x2a, 0xd4, 0x52, 0x13, 0xfb, 0x4b,
					  0x90, 0x9a, 0xca, 0x72, 0xa6, 0xea, 0xe8, 0x89 };

/* EDK2 LzmaF86: x86 BCJ filter, then LZMA1 with the 13-byte header. */
static void lzmaf86_section(struct bytes *out, const struct bytes *body)
{
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 6);
	opt.dict_size = 1 << 16;
	lzma_filter chain[] = {
		{ .id = LZMA_FILTER_X86, .options = NULL },
		{ .id = LZMA_FILTER_LZMA1, .options = &opt },
		{ .id = LZMA_VLI_UNKNOWN, .options = NULL },
	};
	lzma_stream s = LZMA_STREAM_INIT;
	assert_int_equal(lzma_raw_encoder(&s, chain), LZMA_OK);
	size_t cap = body->n * 2 + 1024;
	uint8_t *z = malloc(cap);
	s.next_in = body->p, s.avail_in = body->n, s.next_out = z, s.avail_out = cap;
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	size_t zn = cap - s.avail_out;
	lzma_end(&s);
	struct bytes g = {0};
	put(&g, LZMAF86_GUID, 16);
	le(&g, 24, 2);
	le(&g, 1, 2);
	uint8_t props = (uint8_t)((opt.pb * 5 + opt.lp) * 9 + opt.lc);
	put(&g, &props, 1);
	le(&g, opt.dict_size, 4);
	le(&g, body->n, 8);
	put(&g, z, zn);
	section(out, 0x02, &g);
	free(z);
	free(g.p);
}

static void ffs_file(struct bytes *out, uint8_t id, uint8_t type, const struct bytes *body, bool large)
{
	align(out, 8, 0xff);
	uint8_t guid[16];
	memset(guid, id, 16);
	put(out, guid, 16);
	le(out, 0xaa00, 2);
	put(out, &type, 1);
	uint8_t attr = large ? 1 : 0;
	put(out, &attr, 1);
	le(out, large ? 0 : body->n + 24, 3);
	fill(out, 0xf8, 1);
	if (large)
		le(out, body->n + 32, 8);
	put(out, body->p, body->n);
}

static struct bytes volume(const struct bytes *files, size_t size)
{
	struct bytes v = {0};
	fill(&v, 0, 16);
	static const uint8_t ffs2[16] = { 0x78, 0xe5, 0x8c, 0x8c, 0x3d, 0x8a, 0x1c, 0x4f,
					  0x99, 0x35, 0x89, 0x61, 0x85, 0xc3, 0x2d, 0xd3 };
	put(&v, ffs2, 16);
	le(&v, size, 8);
	put(&v, "_FVH", 4);
	le(&v, 0x0004feff, 4);
	le(&v, 0x48, 2);
	le(&v, 0, 2);   /* checksum, set below */
	le(&v, 0, 2);   /* ext header offset */
	le(&v, 0x0200, 2); /* reserved, revision 2 */
	le(&v, size / 0x1000, 4);
	le(&v, 0x1000, 4);
	le(&v, 0, 8);
	uint16_t sum = 0;
	for (size_t i = 0; i < 0x48; i += 2)
		sum = (uint16_t)(sum + (v.p[i] | v.p[i + 1] << 8));
	v.p[0x32] = (uint8_t)-sum, v.p[0x33] = (uint8_t)((uint16_t)-sum >> 8);
	put(&v, files->p, files->n);
	assert_true(v.n <= size);
	fill(&v, 0xff, size - v.n);
	return v;
}

/* capsule-ish blob: 0x100 bytes of zeros, a volume with a freeform file holding an
 * LZMA section that holds the ROM at +8 in a raw section. */
static struct bytes sample(bool corrupt, struct bytes *rom_out)
{
	struct bytes rom = tiny_rom(0x10de), raw = {0}, inner = {0}, sec = {0}, files = {0}, out = {0};
	fill(&raw, 0, 8);
	put(&raw, rom.p, rom.n);
	section(&inner, 0x19, &raw);
	lzma_section(&sec, &inner, corrupt);
	ffs_file(&files, 0x33, 0x02, &sec, false);
	struct bytes v = volume(&files, 0x2000);
	fill(&out, 0, 0x100);
	put(&out, v.p, v.n);
	free(raw.p), free(inner.p), free(sec.p), free(files.p), free(v.p);
	*rom_out = rom;
	return out;
}

static void test_lzma_rom(void **state)
{
	(void)state;
	struct bytes rom, img = sample(false, &rom);
	struct fw_walk_opts o = { .vendor = 0x10de, .list = true };
	struct fw_result r;
	assert_int_equal(fw_walk(img.p, img.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_roms, 1);
	assert_true(r.roms[0].compressed);
	assert_int_equal(r.roms[0].len, 512);
	assert_memory_equal(r.roms[0].data, rom.p, 512);
	assert_int_equal(r.roms[0].file_offset, 0x100 + 0x48 + 24); /* the LZMA section */
	assert_int_equal(r.roms[0].inner_offset, 4 + 8);
	assert_int_equal(r.n_volumes, 1);
	assert_int_equal(r.n_files, 1);
	assert_int_equal(r.n_sections, 2);
	assert_int_equal(r.n_decompressed, 1);
	assert_int_equal(r.skipped.n, 0);
	assert_non_null(strstr(r.listing.s, "volume 8C8CE578-8A3D-4F1C-9935-896185C32DD3 size 0x2000 at 0x100"));
	assert_non_null(strstr(r.listing.s, "file 33333333-3333-3333-3333-333333333333 type 0x02 (freeform) size"));
	assert_non_null(strstr(r.roms[0].where, "LZMA section at 0x160, at +0xc in the decompressed data"));
	fw_result_clear(&r);
	/* budget too small: the section is skipped, nothing found */
	o.max_output = 100;
	assert_int_equal(fw_walk(img.p, img.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_roms, 0);
	assert_int_equal(r.skipped.n, 1);
	assert_non_null(strstr(r.skipped.v[0], "decompression budget"));
	fw_result_clear(&r);
	free(img.p), free(rom.p);
}

static void test_corrupt_lzma(void **state)
{
	(void)state;
	struct bytes rom, img = sample(true, &rom);
	struct fw_walk_opts o = { .vendor = 0x10de };
	struct fw_result r;
	assert_int_equal(fw_walk(img.p, img.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_roms, 0);
	assert_int_equal(r.skipped.n, 1);
	assert_non_null(strstr(r.skipped.v[0], "LZMA data does not decode"));
	fw_result_clear(&r);
	free(img.p), free(rom.p);
}

/* EFI_COMPRESSION_SECTION of type 2 (EFI_CUSTOMIZED_COMPRESSION, LZMA) holding BODY,
 * in FORM 0 EDK2 (size in the header), 1 .lzma with an unknown size, 2 Intel's
 * legacy form (a 32-bit size before the header), 3 corrupt. */
static void custom_section(struct bytes *out, const struct bytes *body, int form)
{
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 6);
	opt.dict_size = 1 << 16;
	lzma_stream s = LZMA_STREAM_INIT;
	assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
	size_t cap = body->n * 2 + 1024;
	uint8_t *z = malloc(cap);
	s.next_in = body->p, s.avail_in = body->n, s.next_out = z, s.avail_out = cap;
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	size_t zn = cap - s.avail_out;
	lzma_end(&s);
	for (int i = 0; i < 8 && form != 1; i++)
		z[5 + i] = (uint8_t)((uint64_t)body->n >> (8 * i));
	if (form == 3)
		memset(z + 13, 0xff, zn > 40 ? 20 : zn - 13);
	struct bytes g = {0};
	le(&g, body->n, 4);
	le(&g, 2, 1);
	if (form == 2)
		le(&g, zn, 4);
	put(&g, z, zn);
	section(out, 0x01, &g);
	free(z);
	free(g.p);
}

static struct bytes custom_sample(int form, struct bytes *rom_out)
{
	struct bytes rom = tiny_rom(0x10de), raw = {0}, inner = {0}, sec = {0}, files = {0}, out = {0};
	fill(&raw, 0, 8);
	put(&raw, rom.p, rom.n);
	section(&inner, 0x19, &raw);
	custom_section(&sec, &inner, form);
	ffs_file(&files, 0x33, 0x02, &sec, false);
	struct bytes v = volume(&files, 0x2000);
	put(&out, v.p, v.n);
	free(raw.p), free(inner.p), free(sec.p), free(files.p), free(v.p);
	*rom_out = rom;
	return out;
}

static void test_customized_compression(void **state)
{
	(void)state;
	static const char *const names[] = { "LZMA-compressed section at", "LZMA-compressed section at",
					     "LZMA-compressed section (Intel legacy LZMA) at" };
	for (int form = 0; form < 4; form++) {
		struct bytes rom, img = custom_sample(form, &rom);
		struct fw_walk_opts o = { .vendor = 0x10de, .list = true };
		struct fw_result r;
		assert_int_equal(fw_walk(img.p, img.n, &o, &r, NULL), 0);
		if (form == 3) {
			assert_int_equal(r.n_roms, 0);
			assert_int_equal(r.skipped.n, 1);
			assert_non_null(strstr(r.skipped.v[0], "LZMA data does not decode"));
		} else {
			if (r.n_roms != 1)
				fprintf(stderr, "form %d: %s\n", form, r.skipped.n ? r.skipped.v[0] : "-");
			assert_int_equal(r.n_roms, 1);
			assert_memory_equal(r.roms[0].data, rom.p, 512);
			assert_non_null(strstr(r.roms[0].where, names[form]));
			assert_int_equal(r.skipped.n, 0);
			assert_non_null(strstr(r.listing.s, "section compression (customized: LZMA)"));
		}
		fw_result_clear(&r);
		/* every truncation of the volume: no crash, nothing read outside */
		for (size_t n = 0; n < img.n; n += 7) {
			uint8_t *cut = malloc(n ? n : 1);
			memcpy(cut, img.p, n);
			assert_int_equal(fw_walk(cut, n, &o, &r, NULL), 0);
			fw_result_clear(&r);
			free(cut);
		}
		free(img.p), free(rom.p);
	}
}

static void test_lzma_unknown_size(void **state)
{
	(void)state;
	struct bytes body = {0};
	fill(&body, 0x41, 100000);
	lzma_options_lzma opt;
	lzma_lzma_preset(&opt, 1);
	lzma_stream s = LZMA_STREAM_INIT;
	assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
	uint8_t z[4096];
	s.next_in = body.p, s.avail_in = body.n, s.next_out = z, s.avail_out = sizeof(z);
	assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	size_t zn = sizeof(z) - s.avail_out;
	lzma_end(&s);
	uint8_t *out = NULL;
	size_t n = 0;
	struct err e = {0};
	assert_int_equal(fw_lzma_decode_any(z, zn, false, 1 << 20, &out, &n, NULL, &e), 0);
	assert_int_equal(n, body.n);
	assert_memory_equal(out, body.p, n);
	free(out);
	/* more than the budget: refused, not grown without end */
	assert_int_equal(fw_lzma_decode_any(z, zn, false, 5000, &out, &n, NULL, &e), -EFBIG);
	assert_non_null(strstr(e.msg, "decompression budget"));
	/* cut before its end marker */
	assert_int_equal(fw_lzma_decode_any(z, zn / 2, false, 1 << 20, &out, &n, NULL, &e), -EINVAL);
	assert_null(out);
	free(body.p);
}

static void test_every_truncation(void **state)
{
	(void)state;
	struct bytes rom, img = sample(false, &rom);
	struct fw_walk_opts o = { .vendor = 0x10de, .list = true };
	for (size_t cut = 0; cut <= img.n; cut += (cut < 0x400 ? 1 : 61)) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, img.p, cut);
		struct fw_result r;
		assert_int_equal(fw_walk(copy, cut, &o, &r, NULL), 0);
		assert_true(r.n_roms <= 1);
		fw_result_clear(&r);
		free(copy);
	}
	free(img.p), free(rom.p);
}

/* The place of a ROM names the innermost file that holds it, as UEFITool's tree
 * does (an Insyde BIOS keeps each VBIOS in a file of its own inside the LZMA'd DXE
 * volume): a ROM in a volume in a raw section of an LZMA section, and a ROM in a
 * file of the input's own volume. */
static void test_rom_names_its_file(void **state)
{
	(void)state;
	struct bytes rom = tiny_rom(0x10de), raw = {0}, f44 = {0}, inner = {0}, ivol_raw = {0}, sec = {0}, f33 = {0};
	fill(&raw, 0, 4);
	put(&raw, rom.p, rom.n);
	section(&f44, 0x19, &raw);
	struct bytes files44 = {0};
	ffs_file(&files44, 0x44, 0x02, &f44, false);
	struct bytes ivol = volume(&files44, 0x1000);
	fill(&ivol_raw, 0, 4); /* the volume at +8 in the decompressed data: after its raw section's header */
	put(&ivol_raw, ivol.p, ivol.n);
	section(&inner, 0x19, &ivol_raw);
	lzma_section(&sec, &inner, false);
	ffs_file(&f33, 0x33, 0x02, &sec, false);
	struct bytes top_raw = {0}, top_sec = {0};
	put(&top_raw, rom.p, rom.n);
	section(&top_sec, 0x19, &top_raw);
	ffs_file(&f33, 0x55, 0x02, &top_sec, false);
	struct bytes img = volume(&f33, 0x4000);
	struct fw_walk_opts o = { .vendor = 0x10de };
	struct fw_result r;
	assert_int_equal(fw_walk(img.p, img.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_roms, 2);
	size_t in = r.roms[0].compressed ? 0 : 1, top = 1 - in;
	assert_true(r.roms[in].compressed);
	assert_non_null(strstr(r.roms[in].where, "file 33333333-3333-3333-3333-333333333333, LZMA section at 0x"));
	assert_non_null(strstr(r.roms[in].where, ", volume 8C8CE578-8A3D-4F1C-9935-896185C32DD3, "
						 "file 44444444-4444-4444-4444-444444444444, at +0x"));
	assert_non_null(strstr(r.roms[in].where, " in the decompressed data"));
	assert_false(r.roms[top].compressed);
	char want[128];
	snprintf(want, sizeof(want), "volume 8C8CE578-8A3D-4F1C-9935-896185C32DD3, file 55555555-5555-5555-5555-555555555555, at 0x%zx",
		 r.roms[top].file_offset);
	assert_string_equal(r.roms[top].where, want);
	fw_result_clear(&r);
	free(rom.p), free(raw.p), free(f44.p), free(files44.p), free(ivol.p), free(ivol_raw.p), free(inner.p);
	free(sec.p), free(f33.p), free(top_raw.p), free(top_sec.p), free(img.p);
}

static void test_raw_and_vendor_filter(void **state)
{
	(void)state;
	struct bytes nv = tiny_rom(0x10de), amd = tiny_rom(0x1002), blob = {0};
	fill(&blob, 0x5a, 777);
	put(&blob, amd.p, amd.n);
	fill(&blob, 0, 3);
	put(&blob, nv.p, nv.n);
	struct fw_result r;
	struct fw_walk_opts o = { .vendor = 0x10de };
	assert_int_equal(fw_walk(blob.p, blob.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_roms, 1);
	assert_false(r.roms[0].compressed);
	assert_int_equal(r.roms[0].file_offset, 777 + 512 + 3);
	assert_string_equal(r.roms[0].where, "at 0x50c");
	fw_result_clear(&r);
	o.vendor = 0;
	assert_int_equal(fw_walk(blob.p, blob.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_roms, 2);
	assert_int_equal(r.roms[0].vendor, 0x1002);
	fw_result_clear(&r);
	free(nv.p), free(amd.p), free(blob.p);
}

static void test_nesting_and_large_files(void **state)
{
	(void)state;
	/* volume in a volume-image section in a file, 20 deep: the structure walk
	 * stops at FW_MAX_DEPTH, the scan for volumes opens the deeper ones */
	struct bytes rom = tiny_rom(0x10de), raw = {0}, cur = {0};
	section(&raw, 0x19, &rom);
	ffs_file(&cur, 0x01, 0x02, &raw, true); /* FFS3 large-file header */
	size_t size = 0x1000;
	for (int i = 0; i < 20; i++) {
		struct bytes v = volume(&cur, size), sec = {0}, f = {0};
		section(&sec, 0x17, &v);
		ffs_file(&f, (uint8_t)(0x40 + i), 0x0b, &sec, false);
		free(v.p), free(sec.p), free(cur.p);
		cur = f;
		size += 0x1000;
	}
	struct bytes top = volume(&cur, size);
	struct fw_walk_opts o = { .vendor = 0x10de };
	struct fw_result r;
	assert_int_equal(fw_walk(top.p, top.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_roms, 1); /* the raw scan finds it whatever the depth */
	assert_int_equal(r.n_volumes, 21);
	assert_true(r.skipped.n >= 1);
	assert_non_null(strstr(r.skipped.v[0], "deeper than"));
	fw_result_clear(&r);
	/* shallow: the FFS3 file is walked */
	struct bytes files = {0};
	ffs_file(&files, 0x01, 0x02, &raw, true);
	struct bytes v = volume(&files, 0x1000);
	assert_int_equal(fw_walk(v.p, v.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_files, 1);
	assert_int_equal(r.n_sections, 1);
	assert_int_equal(r.skipped.n, 0);
	fw_result_clear(&r);
	free(files.p), free(v.p), free(top.p), free(cur.p), free(raw.p), free(rom.p);
}

static void test_lzmaf86(void **state)
{
	(void)state;
	/* a ROM full of x86 calls, which the BCJ filter rewrites: only a right
	 * x86 decoding gives it back */
	struct bytes rom = tiny_rom(0x10de), raw = {0}, sec = {0}, files = {0};
	for (size_t i = 0x60; i + 5 < 500; i += 5) {
		rom.p[i] = 0xe8;
		rom.p[i + 1] = (uint8_t)i, rom.p[i + 2] = 0x01, rom.p[i + 3] = 0, rom.p[i + 4] = 0;
	}
	uint8_t sum = 0;
	rom.p[511] = 0;
	for (int i = 0; i < 512; i++)
		sum = (uint8_t)(sum + rom.p[i]);
	rom.p[511] = (uint8_t)-sum;
	fill(&raw, 0, 8);
	put(&raw, rom.p, rom.n);
	struct bytes inner = {0};
	section(&inner, 0x19, &raw);
	lzmaf86_section(&sec, &inner);
	ffs_file(&files, 0x55, 0x07, &sec, false);
	struct bytes v = volume(&files, 0x2000);
	struct fw_walk_opts o = { .vendor = 0x10de };
	struct fw_result r;
	assert_int_equal(fw_walk(v.p, v.n, &o, &r, NULL), 0);
	assert_int_equal(r.skipped.n, 0);
	assert_int_equal(r.n_roms, 1);
	assert_int_equal(r.roms[0].len, 512);
	assert_memory_equal(r.roms[0].data, rom.p, 512);
	assert_non_null(strstr(r.roms[0].where, "LZMA+x86 section"));
	fw_result_clear(&r);
	/* the same stream read without the x86 step does not give the ROM back */
	uint8_t *out = NULL;
	size_t n = 0;
	const uint8_t *data = sec.p + 4 + 20;
	assert_int_equal(fw_lzma_decode(data, sec.n - 24, 1 << 20, &out, &n, NULL), 0);
	assert_int_equal(n, inner.n);
	assert_true(memcmp(out + 12, rom.p, 512) != 0);
	free(out);
	free(rom.p), free(raw.p), free(inner.p), free(sec.p), free(files.p), free(v.p);
}

static void test_many_volumes(void **state)
{
	(void)state;
	/* 5000 empty volumes back to back: stops at FW_MAX_VOLUMES, says so once */
	struct bytes none = {0}, all = {0};
	struct bytes v = volume(&none, 0x1000);
	for (int i = 0; i < 5000; i++)
		put(&all, v.p, 0x48 + 8);
	struct fw_walk_opts o = { .vendor = 0x10de };
	struct fw_result r;
	assert_int_equal(fw_walk(all.p, all.n, &o, &r, NULL), 0);
	assert_int_equal(r.n_volumes, FW_MAX_VOLUMES);
	size_t too_many = 0;
	for (size_t i = 0; i < r.skipped.n; i++)
		too_many += strstr(r.skipped.v[i], "more than 4096 firmware volumes") != NULL;
	assert_int_equal(too_many, 1);
	fw_result_clear(&r);
	free(v.p), free(all.p);
}

static void test_hostile(void **state)
{
	(void)state;
	struct bytes rom, img = sample(false, &rom);
	struct fw_walk_opts o = { .vendor = 0x10de, .list = true, .max_output = 1 << 20 };
	uint32_t x = 99;
	for (int round = 0; round < 400; round++) {
		uint8_t *copy = malloc(img.n);
		memcpy(copy, img.p, img.n);
		for (int k = 0; k < 1 + round % 8; k++) {
			x = x * 1103515245 + 12345;
			size_t at = 0x100 + (x >> 8) % 0x200; /* headers, file and section sizes */
			x = x * 1103515245 + 12345;
			copy[at] = (uint8_t)(x >> 16);
		}
		struct fw_result r;
		assert_int_equal(fw_walk(copy, img.n, &o, &r, NULL), 0);
		fw_result_clear(&r);
		free(copy);
	}
	/* huge declared sizes */
	uint8_t *copy = malloc(img.n);
	memcpy(copy, img.p, img.n);
	memset(copy + 0x100 + 0x20, 0xff, 8); /* FvLength */
	struct fw_result r;
	assert_int_equal(fw_walk(copy, img.n, &o, &r, NULL), 0);
	fw_result_clear(&r);
	memcpy(copy, img.p, img.n);
	memset(copy + 0x100 + 0x48 + 0x14, 0xff, 3); /* file size */
	assert_int_equal(fw_walk(copy, img.n, &o, &r, NULL), 0);
	assert_true(r.skipped.n >= 1);
	assert_non_null(strstr(r.skipped.v[0], "outside the volume"));
	fw_result_clear(&r);
	free(copy);
	assert_int_equal(fw_walk(NULL, 0, &o, &r, NULL), 0);
	fw_result_clear(&r);
	/* a header whose length runs past the end of the data (found by the fuzzer) */
	struct bytes none = {0}, v = volume(&none, 0x1000);
	v.p[0x30] = 0x00, v.p[0x31] = 0x10;
	uint8_t *end = malloc(0x60);
	memcpy(end, v.p, 0x60);
	assert_int_equal(fw_walk(end, 0x60, &o, &r, NULL), 0);
	assert_int_equal(r.n_volumes, 0);
	fw_result_clear(&r);
	free(end), free(v.p);
	free(img.p), free(rom.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lzma_rom),
		cmocka_unit_test(test_corrupt_lzma),
		cmocka_unit_test(test_customized_compression),
		cmocka_unit_test(test_lzma_unknown_size),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_raw_and_vendor_filter),
		cmocka_unit_test(test_nesting_and_large_files),
		cmocka_unit_test(test_lzmaf86),
		cmocka_unit_test(test_many_volumes),
		cmocka_unit_test(test_rom_names_its_file),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
