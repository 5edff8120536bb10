/* libFuzzer target: EFI 1.1 and Tiano decompression (byte 0 picks the variant). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vbios/fw_lzma.h"
#include "vbios/fw_tiano.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t *out = NULL;
	size_t n = 0;
	if (fw_efi_decompress(data + 1, size - 1, 1 + (data[0] & 1), 1u << 16, &out, &n, NULL) == 0 && !out)
		__builtin_trap();
	free(out);
	return 0;
}
