/* rom-parser's output, extended: lengths, checksum, NPDE, EFI compression. */
#include "cli/vbios_print.h"

#include "util/cleanup.h"

void vbios_print_images(FILE *f, const struct vbios_rom *rom, const char *in)
{
	if (rom->start)
		fprintf(f, "%sData before the first image: the ROM starts at 0x%zx\n", in, rom->start);
	for (size_t i = 0; i < rom->n_images; i++) {
		const struct vbios_image *im = &rom->images[i];
		if (im->signature == 0xAA55)
			fprintf(f, "%sValid ROM signature found @%zxh, PCIR offset %xh\n", in, im->offset, im->pcir_offset);
		else
			fprintf(f, "%sNVIDIA ROM signature %04x found @%zxh, PCIR offset %xh\n", in, im->signature, im->offset,
				im->pcir_offset);
		const char *tn = vbios_code_type_name(im->code_type);
		fprintf(f, "%s\t%s: type %x (%s), vendor: %04x, device: %04x, class: %06x\n", in, im->pcir_sig,
			im->code_type, tn, im->vendor, im->device, im->class_code);
		fprintf(f, "%s\t%s: revision %x, vendor revision: %x\n", in, im->pcir_sig, im->pcir_revision,
			im->code_revision);
		if (im->efi) {
			const char *sub = vbios_efi_subsystem_name(im->efi_subsystem);
			const char *mach = vbios_efi_machine_name(im->efi_machine);
			fprintf(f, "%s\t\tEFI: Signature %s, Subsystem: ", in, im->efi_signature_ok ? "Valid" : "NOT Valid");
			if (sub)
				fputs(sub, f);
			else
				fprintf(f, "%x", im->efi_subsystem);
			fputs(", Machine: ", f);
			if (mach)
				fputs(mach, f);
			else
				fprintf(f, "%04x", im->efi_machine);
			fprintf(f, ", Compression: %s\n", im->efi_compression == 0 ? "none"
				: im->efi_compression == 1 ? "EFI compressed" : "unknown");
		}
		fprintf(f, "%s\tLength: 0x%zx (%zu x 512)%s", in, im->length, im->length / 512,
			im->npde ? " from NPDE" : "");
		if (im->npde && im->pcir_length_bytes != im->length)
			fprintf(f, " (PCIR: 0x%zx)", im->pcir_length_bytes);
		if (im->checksum_ok >= 0)
			fprintf(f, ", checksum %s", im->checksum_ok ? "OK" : "BAD");
		if (im->checksum_pcir_ok >= 0)
			fprintf(f, " (over the PCIR length: %s)", im->checksum_pcir_ok ? "OK" : "BAD");
		if (im->truncated)
			fputs(", cut short", f);
		fputc('\n', f);
		if (im->last)
			fprintf(f, "%s\tLast image\n", in);
		else if (im->pcir_last)
			fprintf(f, "%s\tPCIR marks it last; NVIDIA's extension header says more images follow\n", in);
		if (i + 1 == rom->nouveau_images && i + 1 < rom->n_images)
			fprintf(f, "%s\tLast image for nouveau (NVIDIA type 0x70)\n", in);
	}
	if (!rom->chain_ok)
		fprintf(f, "%sChain broken: %s\n", in, rom->chain_problem);
	if (rom->chain_ok && rom->pcir_length != rom->length)
		fprintf(f, "%sPCIR chain alone (what Linux's sysfs rom file reads): 0x%zx bytes, %zu image%s\n", in,
			rom->pcir_length, rom->pcir_images, rom->pcir_images == 1 ? "" : "s");
}

bool vbios_print_verdict(FILE *f, const struct vbios_rom *rom, const char *in)
{
	_cleanup_strv_ struct strv problems = {0};
	_cleanup_strv_ struct strv notes = {0};
	bool ok = vbios_verdict(rom, &problems, &notes);
	const struct vbios_image *im = &rom->images[0];
	if (ok)
		fprintf(f, "%sVerdict: usable for nouveau (vendor %04x, device %04x, class %06x, %zu image%s, chain well formed)\n",
			in, im->vendor, im->device, im->class_code, rom->n_images, rom->n_images == 1 ? "" : "s");
	else
		fprintf(f, "%sVerdict: NOT usable for nouveau\n", in);
	for (size_t i = 0; i < problems.n; i++)
		fprintf(f, "%s  problem: %s\n", in, problems.v[i]);
	for (size_t i = 0; i < notes.n; i++)
		fprintf(f, "%s  note: %s\n", in, notes.v[i]);
	return ok;
}
