/* libFuzzer target: the option ROM parser and its verdict. */
#include <stddef.h>
#include <stdint.h>

#include "vbios/vbios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vbios_rom rom;
	struct err e;
	if (vbios_parse(data, size, &rom, &e) == 0) {
		struct strv problems = {0}, notes = {0};
		vbios_verdict(&rom, &problems, &notes);
		strv_clear(&problems);
		strv_clear(&notes);
		if (rom.start + rom.length > size)
			__builtin_trap();
	}
	vbios_rom_clear(&rom);
	return 0;
}
