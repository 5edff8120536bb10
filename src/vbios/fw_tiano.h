/* The EFI 1.1 / Tiano decompressor for firmware sections. Pure function of memory buffers. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* EFI 1.1 (VERSION 1) or Tiano (VERSION 2) compressed data, as in compression
 * sections of type 1 and GUID-defined sections A31280AD-481E-41B6-95E8-127F4C984779:
 * u32 compressed size, u32 original size, then the bit stream. The original size
 * must be at most MAX_OUT. Same returns as fw_lzma_decode. */
int fw_efi_decompress(const uint8_t *in, size_t in_len, int version, size_t max_out, uint8_t **out, size_t *out_len,
		      struct err *e);
