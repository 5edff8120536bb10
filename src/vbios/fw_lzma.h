/* Decompressors for firmware sections. Pure functions of memory buffers. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* EDK2 LzmaCompress output (GUID EE4E5898-3914-4259-9D6E-DC7BD79403CF): the LZMA
 * "alone" format, 13-byte header (properties, dictionary size, u64 uncompressed
 * size) then the stream. The declared size must be at most MAX_OUT (an unknown
 * size, all ones, decodes to the end marker within MAX_OUT; not with X86);
 * the decoder may use at most 64 MiB. On success *OUT (malloc'd) holds exactly
 * the declared size. -EFBIG when too large, -EINVAL when corrupt (E says why). */
int fw_lzma_decode(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **out, size_t *out_len, struct err *e);
/* Same header and stream; with X86 the output then goes through the x86 BCJ
 * filter, as EDK2's LzmaF86 sections (GUID D42AE6BD-1352-4BFB-909A-CA72A6EAE889). */
int fw_lzma_decode_filtered(const uint8_t *in, size_t in_len, bool x86, size_t max_out, uint8_t **out,
			    size_t *out_len, struct err *e);

/* What UEFITool opens as LZMA: the EDK2 form above, the .lzma header with an
 * unknown size (all ones; the stream then ends on its end marker), and Intel's
 * legacy form with a 32-bit size before the header. *FORM (may be NULL) says
 * which decoded. Errors are those of the EDK2 form. */
enum { FW_LZMA_PLAIN = 0, FW_LZMA_INTEL_LEGACY = 1 };
int fw_lzma_decode_any(const uint8_t *in, size_t in_len, bool x86, size_t max_out, uint8_t **out, size_t *out_len,
		       int *form, struct err *e);
