/* libFuzzer target: the firmware walker (volumes, files, sections, LZMA). */
#include <stddef.h>
#include <stdint.h>

#include "vbios/fw_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_walk_opts o = { .vendor = 0, .list = true, .max_output = 8u << 20 };
	struct fw_result r;
	if (fw_walk(data, size, &o, &r, NULL) == 0) {
		for (size_t i = 0; i < r.n_roms; i++)
			if (!r.roms[i].compressed && r.roms[i].file_offset + r.roms[i].len > size)
				__builtin_trap();
	}
	fw_result_clear(&r);
	return 0;
}
