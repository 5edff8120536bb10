/* LZMA sections through liblzma's "alone" decoder. */
#include "fw_lzma.h"

#include <errno.h>
#include <lzma.h>
#include <stdlib.h>

#define FW_LZMA_MEMLIMIT (64u << 20)

int fw_lzma_decode(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **out, size_t *out_len, struct err *e)
{
	*out = NULL;
	*out_len = 0;
	if (in_len < 13) {
		err_set(e, "LZMA data of %zu bytes is shorter than its 13-byte header", in_len);
		return -EINVAL;
	}
	uint64_t size = 0;
	for (int i = 0; i < 8; i++)
		size |= (uint64_t)in[5 + i] << (8 * i);
	if (size == UINT64_MAX) {
		err_set(e, "LZMA header gives no uncompressed size (EDK2 always writes one)");
		return -EINVAL;
	}
	if (size > max_out) {
		err_set(e, "LZMA header declares %llu bytes, more than the %zu bytes left in the decompression budget",
			(unsigned long long)size, max_out);
		return -EFBIG;
	}
	uint8_t *buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		err_set(e, "out of memory for %llu decompressed bytes", (unsigned long long)size);
		return -ENOMEM;
	}
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = lzma_alone_decoder(&s, FW_LZMA_MEMLIMIT);
	if (r != LZMA_OK) {
		free(buf);
		err_set(e, "cannot start the LZMA decoder (liblzma error %d)", (int)r);
		return -ENOMEM;
	}
	s.next_in = in;
	s.avail_in = in_len;
	s.next_out = buf;
	s.avail_out = (size_t)size;
	r = lzma_code(&s, LZMA_FINISH);
	size_t got = (size_t)size - s.avail_out;
	lzma_end(&s);
	if (r != LZMA_STREAM_END && !(r == LZMA_OK && got == size)) {
		free(buf);
		const char *why = r == LZMA_MEMLIMIT_ERROR ? "its dictionary needs more than 64 MiB"
			: r == LZMA_FORMAT_ERROR || r == LZMA_OPTIONS_ERROR ? "bad header"
			: r == LZMA_BUF_ERROR ? "the data ends early"
			: "corrupt data";
		err_set(e, "LZMA data does not decode (%s, %zu of %llu bytes out)", why, got, (unsigned long long)size);
		return -EINVAL;
	}
	*out = buf;
	*out_len = got;
	return 0;
}
