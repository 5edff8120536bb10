/* PCI option ROM parser; layout in REFERENCE.md section 5 and vbios.h. */
#include "vbios/vbios.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* Bytes [off, off + n) lie inside a buffer of LEN bytes (no overflow). */
static bool fits(size_t len, size_t off, size_t n) { return off <= len && n <= len - off; }

static bool image_signature(uint16_t s) { return s == 0xAA55 || s == 0xBB77 || s == 0x4E56; }

static bool pcir_signature(const uint8_t *p)
{
	return memcmp(p, "PCIR", 4) == 0 || memcmp(p, "NPDS", 4) == 0 || memcmp(p, "RGIS", 4) == 0;
}

static void printable4(const uint8_t *p, char out[17])
{
	size_t o = 0;
	for (int i = 0; i < 4; i++)
		o += (size_t)(isprint(p[i]) ? snprintf(out + o, 17 - o, "%c", p[i]) : snprintf(out + o, 17 - o, "\\x%02x", p[i]));
}

bool vbios_image_plausible(const uint8_t *buf, size_t len, size_t off)
{
	if (!fits(len, off, 0x1a) || !image_signature(rd16(buf + off)))
		return false;
	uint16_t ptr = rd16(buf + off + 0x18);
	return ptr && fits(len, off + ptr, 0x18) && pcir_signature(buf + off + ptr);
}

/* One image at OFF; BASE is the ROM start (NPDE blocks are 16-aligned from it). */
static int parse_image(const uint8_t *buf, size_t len, size_t base, size_t off, struct vbios_image *im, struct err *e)
{
	*im = (struct vbios_image){ .offset = off, .checksum_ok = -1 };
	if (!fits(len, off, 2)) {
		err_set(e, "image at 0x%zx: the data ends at 0x%zx", off, len);
		return -EINVAL;
	}
	im->signature = rd16(buf + off);
	if (!image_signature(im->signature)) {
		err_set(e, "image at 0x%zx: no ROM signature (found %02x %02x, wanted 55 aa)", off, buf[off], buf[off + 1]);
		return -EINVAL;
	}
	if (!fits(len, off, 0x1a)) {
		err_set(e, "image at 0x%zx: header cut short, the data ends at 0x%zx", off, len);
		return -EINVAL;
	}
	im->pcir_offset = rd16(buf + off + 0x18);
	size_t pcir = off + im->pcir_offset;
	if (im->pcir_offset == 0 || !fits(len, pcir, 0x18)) {
		err_set(e, "image at 0x%zx: PCIR pointer 0x%x points outside the data (0x%zx bytes)", off,
			im->pcir_offset, len);
		return -EINVAL;
	}
	if (!pcir_signature(buf + pcir)) {
		char s[17];
		printable4(buf + pcir, s);
		err_set(e, "image at 0x%zx: invalid PCIR signature '%s' at 0x%zx", off, s, pcir);
		return -EINVAL;
	}
	memcpy(im->pcir_sig, buf + pcir, 4);
	const uint8_t *p = buf + pcir;
	im->vendor = rd16(p + 0x04);
	im->device = rd16(p + 0x06);
	im->pcir_struct_length = rd16(p + 0x0a);
	im->pcir_revision = p[0x0c];
	im->class_code = (uint32_t)p[0x0f] << 16 | (uint32_t)p[0x0e] << 8 | p[0x0d];
	im->pcir_length_bytes = (size_t)rd16(p + 0x10) * 512;
	im->code_revision = rd16(p + 0x12);
	im->code_type = p[0x14];
	im->indicator = p[0x15];
	im->length = im->pcir_length_bytes;
	im->last = im->indicator & 0x80;

	if (im->code_type == VBIOS_CODE_NVIDIA_70) {
		im->last = true;
	} else {
		size_t rel = pcir - base + im->pcir_struct_length;
		size_t npde = base + ((rel + 0x0f) & ~(size_t)0x0f);
		if (fits(len, npde, 0x0b) && memcmp(buf + npde, "NPDE", 4) == 0) {
			im->npde = true;
			im->length = (size_t)rd16(buf + npde + 0x08) * 512;
			im->last = buf[npde + 0x0a] & 0x80;
		}
	}
	im->truncated = !fits(len, off, im->length);
	if (im->code_type == VBIOS_CODE_X86) {
		if (im->length == 0) {
			im->checksum_ok = -1; /* nothing to sum: the chain check reports it */
		} else if (im->truncated) {
			im->checksum_ok = 0;
		} else {
			uint8_t sum = 0;
			for (size_t i = 0; i < im->length; i++)
				sum = (uint8_t)(sum + buf[off + i]);
			im->checksum_ok = sum == 0;
		}
	}
	if (im->code_type == VBIOS_CODE_EFI) {
		im->efi = true;
		im->efi_init_size = rd16(buf + off + 0x02);
		im->efi_signature = rd32(buf + off + 0x04);
		im->efi_signature_ok = im->efi_signature == 0x0EF1;
		im->efi_subsystem = rd16(buf + off + 0x08);
		im->efi_machine = rd16(buf + off + 0x0a);
		im->efi_compression = rd16(buf + off + 0x0c);
		im->efi_image_offset = rd16(buf + off + 0x16);
	}
	return 0;
}

static void set_problem(struct vbios_rom *rom, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_problem(struct vbios_rom *rom, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rom->chain_problem, sizeof(rom->chain_problem), fmt, ap);
	va_end(ap);
}

int vbios_parse_at(const uint8_t *buf, size_t len, size_t offset, struct vbios_rom *rom, struct err *e)
{
	*rom = (struct vbios_rom){ .start = offset };
	size_t off = offset;
	struct err sub = {0};
	int r = parse_image(buf, len, offset, off, &rom->images[0], e);
	if (r < 0)
		return r;
	rom->n_images = 1;
	for (;;) {
		const struct vbios_image *im = &rom->images[rom->n_images - 1];
		size_t i = rom->n_images - 1;
		if (im->truncated) {
			set_problem(rom, "image %zu at 0x%zx: its length 0x%zx runs past the end of the data (0x%zx bytes): the ROM is cut short",
				 i, im->offset, im->length, len);
			break;
		}
		if (im->last) {
			rom->chain_ok = true;
			break;
		}
		if (im->length == 0) {
			set_problem(rom, "image %zu at 0x%zx: length 0 and not the last image: the chain loops on itself", i, im->offset);
			break;
		}
		off = im->offset + im->length;
		if (off >= len) {
			set_problem(rom, "image %zu at 0x%zx is not marked last, but the data ends at 0x%zx: the chain is truncated",
				 i, im->offset, len);
			break;
		}
		if (rom->n_images == VBIOS_MAX_IMAGES) {
			set_problem(rom, "more than %d images without a last-image bit: the chain is corrupt", VBIOS_MAX_IMAGES);
			break;
		}
		if (parse_image(buf, len, offset, off, &rom->images[rom->n_images], &sub) < 0) {
			set_problem(rom, "image %zu at 0x%zx is not marked last, but the next one is broken: %s", i, im->offset, sub.msg);
			break;
		}
		rom->n_images++;
	}
	const struct vbios_image *lastim = &rom->images[rom->n_images - 1];
	size_t end = lastim->truncated ? len : lastim->offset + lastim->length;
	if (end < lastim->offset)
		end = len;
	rom->length = end - offset;
	return 0;
}

int vbios_parse(const uint8_t *buf, size_t len, struct vbios_rom *rom, struct err *e)
{
	*rom = (struct vbios_rom){0};
	if (!buf || len < 2) {
		err_set(e, "no option ROM: only %zu bytes of data", buf ? len : 0);
		return -EINVAL;
	}
	if (image_signature(rd16(buf)))
		return vbios_parse_at(buf, len, 0, rom, e);
	for (size_t off = 1; off + 0x1a <= len; off++)
		if (vbios_image_plausible(buf, len, off))
			return vbios_parse_at(buf, len, off, rom, e);
	err_set(e, "no option ROM image: no 55 aa signature with a valid PCIR structure in 0x%zx bytes "
		"(starts with %02x %02x)", len, buf[0], buf[1]);
	return -EINVAL;
}

void vbios_rom_clear(struct vbios_rom *rom)
{
	if (rom)
		*rom = (struct vbios_rom){0};
}

const char *vbios_code_type_name(uint8_t t)
{
	switch (t) {
	case VBIOS_CODE_X86: return "x86 PC-AT";
	case VBIOS_CODE_OPENFIRMWARE: return "Open Firmware";
	case VBIOS_CODE_HPPA: return "HP PA RISC";
	case VBIOS_CODE_EFI: return "EFI";
	case VBIOS_CODE_NVIDIA_70: return "NVIDIA firmware";
	default: return "unknown";
	}
}

const char *vbios_efi_subsystem_name(uint16_t s)
{
	switch (s) {
	case 10: return "Application";
	case 11: return "Boot";
	case 12: return "Runtime";
	default: return NULL;
	}
}

const char *vbios_efi_machine_name(uint16_t m)
{
	switch (m) {
	case 0x014c: return "IA-32";
	case 0x0200: return "Itanium";
	case 0x0ebc: return "EBC";
	case 0x8664: return "X64";
	case 0x01c2: return "ARM";
	case 0xaa64: return "ARM64";
	case 0x5064: return "RISC-V 64";
	default: return NULL;
	}
}

static void add(struct strv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct strv *v, const char *fmt, ...)
{
	char s[512];
	va_list ap;
	if (!v)
		return;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	strv_push(v, s);
}

bool vbios_verdict(const struct vbios_rom *rom, struct strv *problems, struct strv *notes)
{
	bool ok = true;
	if (!rom || !rom->n_images) {
		add(problems, "no option ROM image");
		return false;
	}
	const struct vbios_image *first = &rom->images[0];
	if (rom->start) {
		add(problems, "the first image starts at 0x%zx, not at 0: the guest would find no ROM signature; "
			      "write the ROM out alone with 'optimus-guest vbios extract'", rom->start);
		ok = false;
	}
	if (first->vendor != VBIOS_VENDOR_NVIDIA) {
		add(problems, "vendor %04x is not NVIDIA (10de): this is not an NVIDIA VBIOS", first->vendor);
		ok = false;
	}
	if (first->class_code >> 16 != 0x03) {
		add(problems, "class %06x is not a display controller (03xxxx)", first->class_code);
		ok = false;
	}
	if (!rom->chain_ok) {
		add(problems, "%s", rom->chain_problem[0] ? rom->chain_problem : "the image chain is not well formed");
		ok = false;
	}
	bool x86 = false, efi = false;
	for (size_t i = 0; i < rom->n_images; i++) {
		const struct vbios_image *im = &rom->images[i];
		if (im->code_type == VBIOS_CODE_X86) {
			x86 = true;
			if (im->checksum_ok == 0 && !im->truncated) {
				add(problems, "x86 image at 0x%zx: bytes do not sum to 0 (checksum bad: the file is damaged "
					      "or was cut at the wrong place)", im->offset);
				ok = false;
			}
		}
		if (im->code_type == VBIOS_CODE_EFI) {
			efi = true;
			if (!im->efi_signature_ok)
				add(notes, "EFI image at 0x%zx: signature 0x%x, not 0x0EF1: the guest firmware will ignore it",
				    im->offset, im->efi_signature);
		}
		if (i && (im->vendor != first->vendor || im->device != first->device))
			add(notes, "image %zu at 0x%zx is for %04x:%04x, image 0 for %04x:%04x", i, im->offset,
			    im->vendor, im->device, first->vendor, first->device);
	}
	if (!x86) {
		add(problems, "no x86 (code type 0) image: nouveau reads its tables from it");
		ok = false;
	}
	if (!efi && rom->chain_ok) {
		if (first->class_code >> 8 == 0x0302)
			add(notes, "no EFI image: fine for a card without outputs (3D controller, class 0302), "
				   "no firmware driver needs to light a screen on it");
		else
			add(notes, "no EFI image: the guest firmware cannot show anything on this card's outputs "
				   "(nouveau does not need one)");
	}
	if (first->class_code >> 8 == 0x0300)
		add(notes, "class 030000 (VGA): a card with outputs; this tool sets up muxless cards (class 0302)");
	return ok;
}

bool vbios_usable(const struct vbios_rom *rom, struct buf *why)
{
	struct strv problems = {0};
	bool ok = vbios_verdict(rom, &problems, NULL);
	for (size_t i = 0; why && i < problems.n; i++)
		buf_printf(why, "%s%s", i ? "; " : "", problems.v[i]);
	strv_clear(&problems);
	return ok;
}
