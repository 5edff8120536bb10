/* Decompressors for firmware sections. Pure functions of memory buffers. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* EDK2 LzmaCompress output (GUID EE4E5898-3914-4259-9D6E-DC7BD79403CF): the LZMA
 * "alone" format, 13-byte header (properties, dictionary size, u64 uncompressed
 * size) then the stream. The declared size must be known and at most MAX_OUT;
 * the decoder may use at most 64 MiB. On success *OUT (malloc'd) holds exactly
 * the declared size. -EFBIG when too large, -EINVAL when corrupt (E says why). */
int fw_lzma_decode(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **out, size_t *out_len, struct err *e);
/* Same header and stream; with X86 the output then goes through the x86 BCJ
 * filter, as EDK2's LzmaF86 sections (GUID D42AE6BD-1352-4BFB-909A-CA72A6EAE889). */
int fw_lzma_decode_filtered(const uint8_t *in, size_t in_len, bool x86, size_t max_out, uint8_t **out,
			    size_t *out_len, struct err *e);
