/* PCI option ROM parser; layout in REFERENCE.md section 5 and vbios.h. */
#include "vbios/vbios.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/unaligned.h"


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
	if (!fits(len, off, 0x1a) || !image_signature(unaligned_read_le16(buf + off)))
		return false;
	uint16_t ptr = unaligned_read_le16(buf + off + 0x18);
	return ptr && fits(len, off + ptr, 0x18) && pcir_signature(buf + off + ptr);
}

/* x86 checksum over N bytes at OFF: 1 the bytes sum to 0, 0 not or cut short, -1 nothing to sum. */
static int sum_ok(const uint8_t *buf, size_t len, size_t off, size_t n)
{
	if (n == 0)
		return -1;
	if (!fits(len, off, n))
		return 0;
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + buf[off + i]);
	return sum == 0;
}

/* One image at OFF; BASE is the ROM start (NPDE blocks are 16-aligned from it). */
static int parse_image(const uint8_t *buf, size_t len, size_t base, size_t off, struct vbios_image *im, struct err *e)
{
	*im = (struct vbios_image){ .offset = off, .checksum_ok = -1 };
	if (!fits(len, off, 2)) {
		err_set(e, "image at 0x%zx: the data ends at 0x%zx", off, len);
		return -EINVAL;
	}
	im->signature = unaligned_read_le16(buf + off);
	if (!image_signature(im->signature)) {
		err_set(e, "image at 0x%zx: no ROM signature (found %02x %02x, wanted 55 aa)", off, buf[off], buf[off + 1]);
		return -EINVAL;
	}
	if (!fits(len, off, 0x1a)) {
		err_set(e, "image at 0x%zx: header cut short, the data ends at 0x%zx", off, len);
		return -EINVAL;
	}
	im->pcir_offset = unaligned_read_le16(buf + off + 0x18);
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
	im->vendor = unaligned_read_le16(p + 0x04);
	im->device = unaligned_read_le16(p + 0x06);
	im->pcir_struct_length = unaligned_read_le16(p + 0x0a);
	im->pcir_revision = p[0x0c];
	im->class_code = (uint32_t)p[0x0f] << 16 | (uint32_t)p[0x0e] << 8 | p[0x0d];
	im->pcir_length_bytes = (size_t)unaligned_read_le16(p + 0x10) * 512;
	im->code_revision = unaligned_read_le16(p + 0x12);
	im->code_type = p[0x14];
	im->indicator = p[0x15];
	im->length = im->pcir_length_bytes;
	im->pcir_last = im->indicator & 0x80;
	im->last = im->pcir_last;
	im->checksum_pcir_ok = -1;
	im->internal = memcmp(im->pcir_sig, "PCIR", 4) != 0 || im->code_type == 0xe0 ||
		       im->code_type == VBIOS_CODE_NVIDIA_70 || im->class_code == 0;

	if (im->code_type != VBIOS_CODE_NVIDIA_70) {
		size_t rel = pcir - base + im->pcir_struct_length;
		size_t npde = base + ((rel + 0x0f) & ~(size_t)0x0f);
		if (fits(len, npde, 0x0b) && memcmp(buf + npde, "NPDE", 4) == 0) {
			im->npde = true;
			im->npde_length = (size_t)unaligned_read_le16(buf + npde + 0x08) * 512;
			im->npde_last = buf[npde + 0x0a] & 0x80;
			im->length = im->npde_length;
			im->last = im->npde_last;
		}
	}
	im->truncated = !fits(len, off, im->length);
	if (im->code_type == VBIOS_CODE_X86) {
		im->checksum_ok = sum_ok(buf, len, off, im->length);
		if (im->npde && im->pcir_length_bytes != im->length)
			im->checksum_pcir_ok = sum_ok(buf, len, off, im->pcir_length_bytes);
	}
	if (im->code_type == VBIOS_CODE_EFI) {
		im->efi = true;
		im->efi_init_size = unaligned_read_le16(buf + off + 0x02);
		im->efi_signature = unaligned_read_le32(buf + off + 0x04);
		im->efi_signature_ok = im->efi_signature == 0x0EF1;
		im->efi_subsystem = unaligned_read_le16(buf + off + 0x08);
		im->efi_machine = unaligned_read_le16(buf + off + 0x0a);
		im->efi_compression = unaligned_read_le16(buf + off + 0x0c);
		im->efi_image_offset = unaligned_read_le16(buf + off + 0x16);
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

/* The chain as the PCIR structures alone give it (lengths and last bits), as
 * Linux's pci_get_rom_size() reads it for the sysfs rom file: bytes from OFFSET. */
static void pcir_chain(const uint8_t *buf, size_t len, size_t offset, struct vbios_rom *rom)
{
	size_t off = offset, n = 0;
	struct vbios_image im;
	while (n < VBIOS_MAX_IMAGES && parse_image(buf, len, offset, off, &im, NULL) == 0) {
		n++;
		if (im.pcir_length_bytes == 0 || off + im.pcir_length_bytes < off)
			break;
		off += im.pcir_length_bytes;
		if (im.pcir_last || off >= len)
			break;
	}
	rom->pcir_images = n;
	rom->pcir_length = (off > len ? len : off) - offset;
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
		bool next_ok = vbios_image_plausible(buf, len, off);
		if (im->code_type == VBIOS_CODE_NVIDIA_70 && !next_ok) {
			rom->chain_ok = true; /* nouveau's end, nothing after it */
			break;
		}
		if (off >= len && im->npde && im->pcir_last) {
			rom->chain_ok = true; /* Linux's sysfs rom: ends on PCIR's last bit */
			rom->sysfs_cut = true;
			rom->sysfs_cut_after = i;
			break;
		}
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
	rom->nouveau_images = rom->n_images;
	for (size_t i = 0; i < rom->n_images; i++)
		if (rom->images[i].code_type == VBIOS_CODE_NVIDIA_70) {
			rom->nouveau_images = i + 1;
			break;
		}
	pcir_chain(buf, len, offset, rom);
	return 0;
}

int vbios_parse(const uint8_t *buf, size_t len, struct vbios_rom *rom, struct err *e)
{
	*rom = (struct vbios_rom){0};
	if (!buf || len < 2) {
		err_set(e, "no option ROM: only %zu bytes of data", buf ? len : 0);
		return -EINVAL;
	}
	if (image_signature(unaligned_read_le16(buf)))
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

