/* vbios inspect --json. */
#include "vbios/vbios_json.h"

#include <stdio.h>

#include "util/json.h"

static json_t *hexz(size_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "0x%zx", v);
	return json_string(b);
}

static json_t *efi_json(const struct vbios_image *im)
{
	if (!im->efi)
		return json_null();
	const char *sub = vbios_efi_subsystem_name(im->efi_subsystem);
	const char *mach = vbios_efi_machine_name(im->efi_machine);
	json_t *o = json_object();
	json_object_set_new(o, "signature", json_hex(im->efi_signature, 4));
	json_object_set_new(o, "signature_ok", json_boolean(im->efi_signature_ok));
	json_object_set_new(o, "init_size", json_integer((json_int_t)im->efi_init_size * 512));
	json_object_set_new(o, "subsystem", json_integer(im->efi_subsystem));
	json_object_set_new(o, "subsystem_name", json_str_or_null(sub));
	json_object_set_new(o, "machine", json_hex(im->efi_machine, 4));
	json_object_set_new(o, "machine_name", json_str_or_null(mach));
	json_object_set_new(o, "compression", json_integer(im->efi_compression));
	json_object_set_new(o, "compressed", json_boolean(im->efi_compression == 1));
	json_object_set_new(o, "image_offset", json_hex(im->efi_image_offset, 1));
	return o;
}

static json_t *image_json(const struct vbios_image *im)
{
	json_t *o = json_object();
	json_object_set_new(o, "offset", hexz(im->offset));
	json_object_set_new(o, "length", hexz(im->length));
	json_object_set_new(o, "vendor", json_hex(im->vendor, 4));
	json_object_set_new(o, "device", json_hex(im->device, 4));
	json_object_set_new(o, "class", json_hex(im->class_code, 6));
	json_object_set_new(o, "code_type", json_integer(im->code_type));
	json_object_set_new(o, "code_type_name", json_string(vbios_code_type_name(im->code_type)));
	json_object_set_new(o, "last", json_boolean(im->last));
	json_object_set_new(o, "checksum_ok", im->checksum_ok < 0 ? json_null() : json_boolean(im->checksum_ok));
	json_object_set_new(o, "signature", json_hex(im->signature, 4));
	json_object_set_new(o, "pcir_offset", json_hex(im->pcir_offset, 1));
	json_object_set_new(o, "pcir_signature", json_string(im->pcir_sig));
	json_object_set_new(o, "pcir_revision", json_integer(im->pcir_revision));
	json_object_set_new(o, "code_revision", json_hex(im->code_revision, 1));
	json_object_set_new(o, "indicator", json_hex(im->indicator, 2));
	json_object_set_new(o, "npde", json_boolean(im->npde));
	json_object_set_new(o, "truncated", json_boolean(im->truncated));
	json_object_set_new(o, "pcir_last", json_boolean(im->pcir_last));
	json_object_set_new(o, "pcir_length", hexz(im->pcir_length_bytes));
	json_object_set_new(o, "npde_length", im->npde ? hexz(im->npde_length) : json_null());
	json_object_set_new(o, "npde_last", im->npde ? json_boolean(im->npde_last) : json_null());
	json_object_set_new(o, "checksum_pcir_ok", im->checksum_pcir_ok < 0 ? json_null() : json_boolean(im->checksum_pcir_ok));
	json_object_set_new(o, "internal", json_boolean(im->internal));
	json_object_set_new(o, "efi", efi_json(im));
	return o;
}

json_t *vbios_rom_json(const struct vbios_rom *rom)
{
	json_t *o = json_object();
	json_t *imgs = json_array();
	json_object_set_new(o, "start", hexz(rom->start));
	json_object_set_new(o, "length", hexz(rom->length));
	for (size_t i = 0; i < rom->n_images; i++)
		json_array_append_new(imgs, image_json(&rom->images[i]));
	json_object_set_new(o, "images", imgs);
	json_object_set_new(o, "chain_ok", json_boolean(rom->chain_ok));
	json_object_set_new(o, "nouveau_images", json_integer((json_int_t)rom->nouveau_images));
	json_object_set_new(o, "pcir_chain_length", hexz(rom->pcir_length));
	json_object_set_new(o, "pcir_chain_images", json_integer((json_int_t)rom->pcir_images));
	json_object_set_new(o, "sysfs_cut", json_boolean(rom->sysfs_cut));
	json_object_set_new(o, "chain_problem", rom->chain_problem[0] ? json_string(rom->chain_problem) : json_null());
	_cleanup_strv_ struct strv problems = {0};
	_cleanup_strv_ struct strv notes = {0};
	bool usable = vbios_verdict(rom, &problems, &notes);
	json_t *v = json_object();
	json_object_set_new(v, "usable", json_boolean(usable));
	json_object_set_new(v, "problems", json_strv(&problems));
	json_object_set_new(v, "notes", json_strv(&notes));
	json_object_set_new(o, "verdict", v);
	return o;
}
