/* The option ROM parser on in-memory ROMs: good chains, every broken case, hostile bytes. */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vbios/vbios.h"

#define PCIR_X86 0x40
#define PCIR_EFI 0x1c

struct img_spec {
	uint8_t code_type;
	uint16_t vendor, device;
	uint32_t class_code;
	unsigned n512;       /* real size */
	int pcir_len;        /* PCIR length field; -1 = n512 */
	bool last;
	bool npde;           /* NPDE block with n512 and last */
	uint16_t sig;        /* 0 = 0xAA55 */
	const char *pcir_sig;
	uint16_t pcir_ptr;   /* 0 = default */
	bool bad_sum;
};

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

/* Append one image to BUF at *LEN; returns its offset. */
static size_t add_image(uint8_t *buf, size_t *len, const struct img_spec *s)
{
	size_t off = *len, size = (size_t)s->n512 * 512;
	uint8_t *p = buf + off;
	for (size_t i = 0; i < size; i++)
		p[i] = (uint8_t)(0x11 + i * 7 % 61);
	put16(p, s->sig ? s->sig : 0xAA55);
	uint16_t pcir = s->pcir_ptr ? s->pcir_ptr : s->code_type == 3 ? PCIR_EFI : PCIR_X86;
	if (s->code_type == 3) {
		put16(p + 2, s->n512);
		put32(p + 4, 0x0EF1);
		put16(p + 8, 11);
		put16(p + 10, 0x8664);
		put16(p + 12, 1);
		memset(p + 14, 0, 8);
		put16(p + 0x16, 0x40);
	} else {
		p[2] = (uint8_t)s->n512;
	}
	put16(p + 0x18, pcir);
	if ((size_t)pcir + 0x18 <= size) {
		uint8_t *r = p + pcir;
		memcpy(r, s->pcir_sig ? s->pcir_sig : "PCIR", 4);
		put16(r + 4, s->vendor);
		put16(r + 6, s->device);
		put16(r + 8, 0);
		put16(r + 10, 0x18);
		r[12] = 3;
		r[13] = (uint8_t)s->class_code;
		r[14] = (uint8_t)(s->class_code >> 8);
		r[15] = (uint8_t)(s->class_code >> 16);
		put16(r + 16, s->pcir_len >= 0 ? (unsigned)s->pcir_len : s->n512);
		put16(r + 18, 1);
		r[20] = s->code_type;
		r[21] = s->last ? 0x80 : 0;
		put16(r + 22, 0);
		if (s->npde) {
			uint8_t *n = p + ((pcir + 0x18 + 0x0f) & ~0x0f);
			memcpy(n, "NPDE", 4);
			put16(n + 4, 0x101);
			put16(n + 6, 0x10);
			put16(n + 8, s->n512);
			n[10] = s->last ? 0x80 : 0;
		}
	}
	if (s->code_type == 0) {
		uint8_t sum = 0;
		p[size - 1] = 0;
		for (size_t i = 0; i < size; i++)
			sum = (uint8_t)(sum + p[i]);
		p[size - 1] = (uint8_t)(-sum + (s->bad_sum ? 1 : 0));
	}
	*len += size;
	return off;
}

static uint8_t rom_buf[64 * 1024];

static size_t good_rom(uint8_t *buf)
{
	size_t len = 0;
	add_image(buf, &len, &(struct img_spec){ .code_type = 0, .vendor = 0x10de, .device = 0x139b,
						  .class_code = 0x030200, .n512 = 4, .pcir_len = -1 });
	add_image(buf, &len, &(struct img_spec){ .code_type = 3, .vendor = 0x10de, .device = 0x139b,
						  .class_code = 0x030200, .n512 = 2, .pcir_len = -1, .last = true });
	return len;
}

static void test_good_chain(void **state)
{
	(void)state;
	size_t len = good_rom(rom_buf);
	struct vbios_rom rom;
	struct err e = {0};
	assert_int_equal(vbios_parse(rom_buf, len, &rom, &e), 0);
	assert_int_equal(rom.n_images, 2);
	assert_true(rom.chain_ok);
	assert_int_equal(rom.start, 0);
	assert_int_equal(rom.length, len);
	const struct vbios_image *a = &rom.images[0], *b = &rom.images[1];
	assert_int_equal(a->vendor, 0x10de);
	assert_int_equal(a->device, 0x139b);
	assert_int_equal(a->class_code, 0x030200);
	assert_int_equal(a->code_type, 0);
	assert_int_equal(a->pcir_offset, PCIR_X86);
	assert_int_equal(a->length, 0x800);
	assert_int_equal(a->checksum_ok, 1);
	assert_false(a->last);
	assert_int_equal(b->offset, 0x800);
	assert_int_equal(b->code_type, 3);
	assert_true(b->last);
	assert_true(b->efi && b->efi_signature_ok);
	assert_int_equal(b->efi_subsystem, 11);
	assert_int_equal(b->efi_machine, 0x8664);
	assert_int_equal(b->efi_compression, 1);
	assert_int_equal(b->checksum_ok, -1);
	struct strv problems = {0}, notes = {0};
	assert_true(vbios_verdict(&rom, &problems, &notes));
	assert_int_equal(problems.n, 0);
	assert_int_equal(notes.n, 0);
	strv_clear(&problems);
	strv_clear(&notes);
	vbios_rom_clear(&rom);
}

static bool verdict_mentions(const struct vbios_rom *rom, bool want_ok, const char *needle)
{
	struct strv problems = {0}, notes = {0};
	bool ok = vbios_verdict(rom, &problems, &notes);
	bool found = false;
	for (size_t i = 0; i < problems.n; i++)
		found |= strstr(problems.v[i], needle) != NULL;
	for (size_t i = 0; i < notes.n; i++)
		found |= strstr(notes.v[i], needle) != NULL;
	strv_clear(&problems);
	strv_clear(&notes);
	return ok == want_ok && found;
}

static void test_bad_checksum(void **state)
{
	(void)state;
	size_t len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .device = 0x139b, .class_code = 0x030200,
						      .n512 = 2, .pcir_len = -1, .last = true, .bad_sum = true });
	struct vbios_rom rom;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.images[0].checksum_ok, 0);
	assert_true(rom.chain_ok);
	assert_true(verdict_mentions(&rom, false, "checksum bad"));
	assert_true(verdict_mentions(&rom, false, "no EFI image: fine for a card without outputs"));
}

static void test_every_truncation(void **state)
{
	(void)state;
	size_t len = good_rom(rom_buf);
	for (size_t cut = 0; cut < len; cut++) {
		/* a fresh heap copy of exactly CUT bytes, so ASan sees any read past it */
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, rom_buf, cut);
		struct vbios_rom rom;
		struct err e = {0};
		int r = vbios_parse(copy, cut, &rom, &e);
		if (r == 0) {
			assert_false(rom.chain_ok);
			assert_true(rom.chain_problem[0] != 0);
			assert_false(vbios_verdict(&rom, NULL, NULL));
			assert_true(rom.start + rom.length <= cut);
		} else {
			assert_int_equal(r, -EINVAL);
			assert_true(e.msg[0] != 0);
		}
		free(copy);
	}
}

static void test_pcir_out_of_bounds(void **state)
{
	(void)state;
	size_t len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x030200, .n512 = 2,
						      .pcir_len = -1, .last = true, .pcir_ptr = 0xfff0 });
	struct vbios_rom rom;
	struct err e = {0};
	assert_int_equal(vbios_parse(rom_buf, len, &rom, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "PCIR pointer 0xfff0 points outside the data (0x400 bytes)"));
	/* in the second image: the first parses, the chain is reported broken */
	len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x030200, .n512 = 2, .pcir_len = -1 });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 3, .vendor = 0x10de, .class_code = 0x030200, .n512 = 1,
						      .pcir_len = -1, .last = true, .pcir_ptr = 0x3f0 });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, &e), 0);
	assert_int_equal(rom.n_images, 1);
	assert_false(rom.chain_ok);
	assert_non_null(strstr(rom.chain_problem, "image at 0x400: PCIR pointer 0x3f0 points outside"));
}

static void test_loop_and_runaway(void **state)
{
	(void)state;
	size_t len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x030200, .n512 = 2, .pcir_len = 0 });
	struct vbios_rom rom;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_false(rom.chain_ok);
	assert_non_null(strstr(rom.chain_problem, "loops on itself"));
	/* 20 images, none last: stops at VBIOS_MAX_IMAGES */
	len = 0;
	for (int i = 0; i < 20; i++)
		add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x030200, .n512 = 1, .pcir_len = -1 });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.n_images, VBIOS_MAX_IMAGES);
	assert_non_null(strstr(rom.chain_problem, "more than 16 images"));
	/* not last, but the next offset holds no signature */
	len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x030200, .n512 = 1, .pcir_len = -1 });
	memset(rom_buf + len, 0, 512);
	len += 512;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_non_null(strstr(rom.chain_problem, "no ROM signature (found 00 00"));
	/* a huge PCIR length runs past the end */
	len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x030200, .n512 = 1,
						      .pcir_len = 0xffff, .last = true });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_true(rom.images[0].truncated);
	assert_false(rom.chain_ok);
	assert_int_equal(rom.length, len);
}

static void test_offset_not_zero(void **state)
{
	(void)state;
	memset(rom_buf, 0xff, 0x600);
	size_t len = 0x600;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .device = 0x139b, .class_code = 0x030200,
						      .n512 = 2, .pcir_len = -1, .last = true });
	memset(rom_buf + len, 0, 100);
	len += 100;
	struct vbios_rom rom;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.start, 0x600);
	assert_int_equal(rom.length, 0x400);
	assert_true(rom.chain_ok);
	assert_int_equal(rom.images[0].checksum_ok, 1);
	assert_true(verdict_mentions(&rom, false, "starts at 0x600"));
	/* nothing at all */
	memset(rom_buf, 0, 4096);
	struct err e = {0};
	assert_int_equal(vbios_parse(rom_buf, 4096, &rom, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "no 55 aa signature"));
	assert_int_equal(vbios_parse(rom_buf, 1, &rom, &e), -EINVAL);
	assert_int_equal(vbios_parse(NULL, 0, &rom, &e), -EINVAL);
}

static void test_nvidia_npde_type70(void **state)
{
	(void)state;
	size_t len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .device = 0x139b, .class_code = 0x030200,
						      .n512 = 6, .pcir_len = 4, .npde = true });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 3, .vendor = 0x10de, .device = 0x139b,
						      .class_code = 0x030200, .n512 = 2, .pcir_len = -1, .pcir_sig = "NPDS" });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 0x70, .vendor = 0x10de, .device = 0x139b,
						      .class_code = 0x030200, .n512 = 1, .pcir_len = -1, .sig = 0xBB77 });
	struct vbios_rom rom;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.n_images, 3);
	assert_true(rom.images[0].npde);
	assert_int_equal(rom.images[0].length, 0xc00);
	assert_int_equal(rom.images[0].pcir_length_bytes, 0x800);
	assert_int_equal(rom.images[0].checksum_ok, 1);
	assert_string_equal(rom.images[1].pcir_sig, "NPDS");
	assert_int_equal(rom.images[2].signature, 0xBB77);
	assert_false(rom.images[2].last); /* type 0x70 with nothing after it ends the chain without the bit */
	assert_true(rom.chain_ok);
	assert_int_equal(rom.nouveau_images, 3);
	assert_true(vbios_verdict(&rom, NULL, NULL));
}

/* NVIDIA's MXM layout: x86, NPDS e0, type 0x70 not marked last, then EFI, last. */
static void test_efi_after_type70(void **state)
{
	(void)state;
	size_t len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .device = 0x13b0, .class_code = 0x030000,
						      .n512 = 4, .pcir_len = 7, .npde = true });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 0xe0, .vendor = 0x10de, .device = 0x13bf,
						      .n512 = 2, .pcir_len = -1, .pcir_sig = "NPDS", .sig = 0x4E56, .npde = true });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 0x70, .vendor = 0x10de, .n512 = 1, .pcir_len = -1,
						      .pcir_sig = "NPDS", .sig = 0x4E56 });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 3, .vendor = 0x10de, .device = 0x13b0,
						      .class_code = 0x030000, .n512 = 2, .pcir_len = -1, .last = true, .npde = true });
	struct vbios_rom rom;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.n_images, 4);
	assert_true(rom.chain_ok);
	assert_int_equal(rom.length, len);
	assert_int_equal(rom.nouveau_images, 3);
	assert_true(rom.images[1].internal && rom.images[2].internal && !rom.images[3].internal);
	assert_int_equal(rom.pcir_images, 2); /* x86 (7 x 512) then EFI, as rom-parser and Linux read it */
	assert_int_equal(rom.pcir_length, len);
	assert_true(verdict_mentions(&rom, true, "nouveau stops at image 2"));
	assert_false(verdict_mentions(&rom, true, "no EFI image"));
	assert_false(verdict_mentions(&rom, true, "is for 10de:13bf")); /* NVIDIA's own images: no id note */
	assert_false(verdict_mentions(&rom, true, "is for 10de:0000"));
	/* the chain cut inside the EFI image: cut short, not usable */
	assert_int_equal(vbios_parse(rom_buf, len - 100, &rom, NULL), 0);
	assert_false(rom.chain_ok);
	assert_true(verdict_mentions(&rom, false, "the ROM is cut short"));
}

/* x86 and EFI with PCIR's last bit on the EFI image, NPDE announcing NVIDIA's images. */
static void test_sysfs_cut(void **state)
{
	(void)state;
	size_t len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .device = 0x0fc6, .class_code = 0x030200,
						      .n512 = 4, .pcir_len = -1, .npde = true });
	size_t efi = add_image(rom_buf, &len, &(struct img_spec){ .code_type = 3, .vendor = 0x10de, .device = 0x0fc6,
								   .class_code = 0x030200, .n512 = 2, .pcir_len = -1,
								   .last = true, .npde = true });
	rom_buf[efi + 0x40 + 10] = 0; /* NPDE: not last */
	size_t cut = len;
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 0xe0, .vendor = 0x10de, .device = 0x0ff0, .n512 = 2,
						      .pcir_len = -1, .pcir_sig = "NPDS", .sig = 0x4E56, .npde = true });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 0x70, .vendor = 0x10de, .n512 = 1, .pcir_len = -1,
						      .pcir_sig = "NPDS", .sig = 0x4E56, .last = true });
	struct vbios_rom rom;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.n_images, 4);
	assert_false(rom.sysfs_cut);
	assert_int_equal(rom.pcir_length, cut);
	assert_int_equal(rom.pcir_images, 2);
	/* what Linux's sysfs rom gives: described, usable, not truncated */
	assert_int_equal(vbios_parse(rom_buf, cut, &rom, NULL), 0);
	assert_true(rom.chain_ok);
	assert_true(rom.sysfs_cut);
	assert_int_equal(rom.sysfs_cut_after, 1);
	assert_true(vbios_verdict(&rom, NULL, NULL));
	assert_true(verdict_mentions(&rom, true, "what Linux's sysfs rom file gives"));
	assert_true(verdict_mentions(&rom, true, "binary driver expects the whole ROM"));
	/* one byte more or less is not that */
	assert_int_equal(vbios_parse(rom_buf, cut - 1, &rom, NULL), 0);
	assert_false(rom.chain_ok);
	assert_int_equal(vbios_parse(rom_buf, cut + 1, &rom, NULL), 0);
	assert_false(rom.sysfs_cut);
	assert_false(rom.chain_ok);
}

/* Checksums over NPDE's and PCIR's lengths: modified (note) against damaged (problem). */
static void test_checksum_modified_or_damaged(void **state)
{
	(void)state;
	size_t len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .device = 0x13b6, .class_code = 0x030200,
						      .n512 = 4, .pcir_len = 6, .npde = true });
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 0x70, .vendor = 0x10de, .n512 = 2, .pcir_len = -1,
						      .pcir_sig = "NPDS", .sig = 0x4E56, .last = true });
	uint8_t sum = 0;
	for (size_t i = 0; i < len - 1; i++)
		sum = (uint8_t)(sum + rom_buf[i]);
	rom_buf[len - 1] = (uint8_t)-sum; /* the PCIR length (all of it) sums to 0 */
	struct vbios_rom rom;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.images[0].checksum_ok, 1);
	assert_int_equal(rom.images[0].checksum_pcir_ok, 1);
	rom_buf[4 * 512 - 2]++; /* edited inside the x86 image, fixed for the PCI length only */
	rom_buf[len - 1]--;
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_int_equal(rom.images[0].checksum_ok, 0);
	assert_int_equal(rom.images[0].checksum_pcir_ok, 1);
	assert_true(vbios_verdict(&rom, NULL, NULL));
	assert_true(verdict_mentions(&rom, true, "the file was modified"));
	rom_buf[100]++; /* and now damaged */
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_false(vbios_verdict(&rom, NULL, NULL));
	assert_true(verdict_mentions(&rom, false, "the file is damaged"));
}

static void test_looks_like_firmware(void **state)
{
	(void)state;
	uint8_t v[0x100] = {0};
	memcpy(v + 0x28, "_FVH", 4);
	put16(v + 0x30, 0x48);
	uint16_t sum = 0;
	for (size_t i = 0; i < 0x48; i += 2)
		sum = (uint16_t)(sum + (v[i] | v[i + 1] << 8));
	put16(v + 0x32, (uint16_t)-sum);
	assert_true(vbios_looks_like_firmware(v, sizeof(v)));
	for (size_t n = 0; n < 0x48; n++) /* cut short: no volume, nothing read past the end */
		assert_false(vbios_looks_like_firmware(v, n));
	v[0x40] ^= 1; /* header checksum wrong: a string in some code, not a volume */
	assert_false(vbios_looks_like_firmware(v, sizeof(v)));
	assert_false(vbios_looks_like_firmware(NULL, 0));
}

static void test_verdicts(void **state)
{
	(void)state;
	size_t len = 0;
	struct vbios_rom rom;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x1002, .device = 0x6900, .class_code = 0x030000,
						      .n512 = 1, .pcir_len = -1, .last = true });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_true(verdict_mentions(&rom, false, "not NVIDIA"));
	len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x020000, .n512 = 1,
						      .pcir_len = -1, .last = true });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_true(verdict_mentions(&rom, false, "not a display controller"));
	len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .code_type = 3, .vendor = 0x10de, .class_code = 0x030200,
						      .n512 = 1, .pcir_len = -1, .last = true });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_true(verdict_mentions(&rom, false, "no x86"));
	len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x10de, .class_code = 0x030000, .n512 = 1,
						      .pcir_len = -1, .last = true });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_true(verdict_mentions(&rom, true, "a card with outputs"));
	assert_false(vbios_verdict(NULL, NULL, NULL));
	struct buf why = {0};
	len = 0;
	add_image(rom_buf, &len, &(struct img_spec){ .vendor = 0x1002, .class_code = 0x020000, .n512 = 1,
						      .pcir_len = -1, .last = true });
	assert_int_equal(vbios_parse(rom_buf, len, &rom, NULL), 0);
	assert_false(vbios_usable(&rom, &why));
	assert_non_null(strstr(why.s, "not NVIDIA"));
	assert_non_null(strstr(why.s, "; class 020000 is not a display controller"));
	buf_free(&why);
	assert_string_equal(vbios_code_type_name(3), "EFI");
	assert_string_equal(vbios_efi_machine_name(0xaa64), "ARM64");
	assert_null(vbios_efi_subsystem_name(99));
}

static void test_random_bytes(void **state)
{
	(void)state;
	uint32_t x = 12345;
	for (int round = 0; round < 300; round++) {
		size_t len = 1 + (size_t)(round * 37 % 3000);
		uint8_t *b = malloc(len);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245 + 12345;
			b[i] = (uint8_t)(x >> 16);
		}
		/* sprinkle plausible headers so the deeper paths run */
		for (size_t i = 0; i + 0x40 < len; i += 0x200) {
			b[i] = 0x55;
			b[i + 1] = 0xaa;
			b[i + 0x18] = 0x1c;
			b[i + 0x19] = 0;
			memcpy(b + i + 0x1c, "PCIR", 4);
		}
		struct vbios_rom rom;
		if (vbios_parse(b, len, &rom, NULL) == 0) {
			assert_true(rom.n_images >= 1 && rom.n_images <= VBIOS_MAX_IMAGES);
			assert_true(rom.start + rom.length <= len);
			vbios_verdict(&rom, NULL, NULL);
		}
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_chain),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_pcir_out_of_bounds),
		cmocka_unit_test(test_loop_and_runaway),
		cmocka_unit_test(test_offset_not_zero),
		cmocka_unit_test(test_nvidia_npde_type70),
		cmocka_unit_test(test_efi_after_type70),
		cmocka_unit_test(test_sysfs_cut),
		cmocka_unit_test(test_checksum_modified_or_damaged),
		cmocka_unit_test(test_looks_like_firmware),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
