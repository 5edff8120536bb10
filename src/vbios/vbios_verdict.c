/* What a parsed ROM is good for: vbios_verdict's problems and notes. */
#include "vbios/vbios.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/unaligned.h"

static void add(struct strv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct strv *v, const char *fmt, ...)
{
	char s[768];
	va_list ap;
	if (!v)
		return;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	strv_push(v, s);
}

/* An x86 image's checksum, worded so a user knows damaged from modified. */
static bool checksum_verdict(const struct vbios_image *im, struct strv *problems, struct strv *notes)
{
	if (im->truncated)
		return true; /* the chain problem says it */
	if (im->checksum_ok == 0 && im->checksum_pcir_ok == 1) {
		add(notes, "x86 image at 0x%zx: its bytes do not sum to 0 over the 0x%zx bytes NVIDIA's extension "
			   "header (NPDE) gives, the length nouveau and NVIDIA's driver check, but do over its PCIR "
			   "length (0x%zx): the file was modified (an edited VBIOS whose checksum was fixed for the "
			   "PCI length only), not damaged; nouveau logs 'checksum failed' and still uses it",
		    im->offset, im->length, im->pcir_length_bytes);
		return true;
	}
	if (im->checksum_ok == 0) {
		if (im->checksum_pcir_ok == 0)
			add(problems, "x86 image at 0x%zx: its bytes sum to 0 neither over the 0x%zx bytes NVIDIA's extension "
				      "header (NPDE) gives nor over its PCIR length (0x%zx): the file is damaged or was cut at "
				      "the wrong place (an edited VBIOS has its checksum fixed); get a fresh copy",
			    im->offset, im->length, im->pcir_length_bytes);
		else
			add(problems, "x86 image at 0x%zx: its 0x%zx bytes do not sum to 0 (checksum bad): the file is damaged "
				      "or was cut at the wrong place (an edited VBIOS has its checksum fixed); get a fresh copy",
			    im->offset, im->length);
		return false;
	}
	if (im->checksum_ok == 1 && im->checksum_pcir_ok == 0)
		add(notes, "x86 image at 0x%zx: the checksum is good over the 0x%zx bytes NVIDIA's extension header gives "
			   "(what the drivers check); over the PCIR length (0x%zx) it is not, which only tools that "
			   "check the PCI length report", im->offset, im->length, im->pcir_length_bytes);
	return true;
}

static void chain_notes(const struct vbios_rom *rom, struct strv *notes)
{
	if (rom->sysfs_cut) {
		add(notes, "the file ends at 0x%zx, where image %zu's PCIR last-image bit says: this is what Linux's sysfs "
			   "rom file gives. NVIDIA's extension header (NPDE) of that image says more images follow: NVIDIA's "
			   "own images (code types 0xe0 and 0x70) are missing. nouveau takes its main tables from the x86 "
			   "image and can use this file on cards up to Maxwell GM10x; on later chips it also reads tables "
			   "from NVIDIA's first own image (from Turing on, the FWSEC firmware), and NVIDIA's binary driver "
			   "expects the whole ROM: for those take the whole ROM from the card's flash or the BIOS update "
			   "(optimus-guest vbios extract)", rom->length, rom->sysfs_cut_after);
	}
	if (rom->nouveau_images < rom->n_images) {
		size_t efi = 0;
		for (size_t i = rom->nouveau_images; i < rom->n_images; i++)
			efi += rom->images[i].code_type == VBIOS_CODE_EFI;
		const struct vbios_image *t70 = &rom->images[rom->nouveau_images - 1];
		add(notes, "nouveau stops at image %zu (NVIDIA's type 0x70 image at 0x%zx); the %zu image%s after it "
			   "(%zu EFI) %s for the guest firmware, which walks the whole chain",
		    rom->nouveau_images - 1, t70->offset, rom->n_images - rom->nouveau_images,
		    rom->n_images - rom->nouveau_images == 1 ? "" : "s", efi,
		    rom->n_images - rom->nouveau_images == 1 ? "is" : "are");
	}
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
			if (!checksum_verdict(im, problems, notes))
				ok = false;
		}
		if (im->code_type == VBIOS_CODE_EFI) {
			efi = true;
			if (!im->efi_signature_ok)
				add(notes, "EFI image at 0x%zx: signature 0x%x, not 0x0EF1: the guest firmware will ignore it",
				    im->offset, im->efi_signature);
		}
		/* NVIDIA's own images carry the chip family's id: normal, not worth a note */
		if (i && !im->internal && (im->vendor != first->vendor || im->device != first->device))
			add(notes, "image %zu at 0x%zx is for %04x:%04x, image 0 for %04x:%04x", i, im->offset,
			    im->vendor, im->device, first->vendor, first->device);
	}
	if (!x86) {
		add(problems, "no x86 (code type 0) image: nouveau reads its tables from it");
		ok = false;
	}
	chain_notes(rom, notes);
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
	_cleanup_strv_ struct strv problems = {0};
	bool ok = vbios_verdict(rom, &problems, NULL);
	for (size_t i = 0; why && i < problems.n; i++)
		buf_printf(why, "%s%s", i ? "; " : "", problems.v[i]);
	return ok;
}


bool vbios_looks_like_firmware(const uint8_t *buf, size_t len)
{
	if (!buf || len < 0x48)
		return false;
	for (const uint8_t *p = buf + 0x28; (p = memmem(p, len - (size_t)(p - buf), "_FVH", 4)); p++) {
		size_t start = (size_t)(p - buf) - 0x28;
		size_t hlen = unaligned_read_le16(buf + start + 0x30);
		if ((size_t)(p - buf) + 4 > len || start % 8 || hlen < 0x48 || hlen > len - start)
			continue;
		uint16_t sum = 0;
		for (size_t i = 0; i + 1 < hlen; i += 2)
			sum = (uint16_t)(sum + unaligned_read_le16(buf + start + i));
		if (sum == 0)
			return true;
		if ((size_t)(p - buf) + 4 >= len)
			break;
	}
	return false;
}
