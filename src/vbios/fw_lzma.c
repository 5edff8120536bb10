/* LZMA sections through liblzma's "alone" decoder. */
#include "vbios/fw_lzma.h"

#include <errno.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/cleanup.h"

#define FW_LZMA_MEMLIMIT (64u << 20)

/* liblzma's decoder for the stream after the 13-byte header: "alone" for plain
 * LZMA, or a raw chain x86 BCJ + LZMA1 (with the known size) for LzmaF86. */
static lzma_ret start_decoder(lzma_stream *s, const uint8_t *in, uint64_t size, bool x86)
{
	if (!x86)
		return lzma_alone_decoder(s, FW_LZMA_MEMLIMIT);
	lzma_options_lzma opt = {0};
	unsigned p = in[0];
	if (p >= 9 * 5 * 5)
		return LZMA_OPTIONS_ERROR;
	opt.lc = p % 9;
	opt.lp = (p / 9) % 5;
	opt.pb = p / 45;
	opt.dict_size = (uint32_t)in[1] | (uint32_t)in[2] << 8 | (uint32_t)in[3] << 16 | (uint32_t)in[4] << 24;
	if (opt.dict_size < LZMA_DICT_SIZE_MIN)
		opt.dict_size = LZMA_DICT_SIZE_MIN;
	opt.ext_flags = LZMA_LZMA1EXT_ALLOW_EOPM;
	opt.ext_size_low = (uint32_t)size;
	opt.ext_size_high = (uint32_t)(size >> 32);
	lzma_filter chain[] = {
		{ .id = LZMA_FILTER_X86, .options = NULL },
		{ .id = LZMA_FILTER_LZMA1EXT, .options = &opt },
		{ .id = LZMA_VLI_UNKNOWN, .options = NULL },
	};
	uint64_t need = lzma_raw_decoder_memusage(chain);
	if (need == UINT64_MAX)
		return LZMA_OPTIONS_ERROR;
	if (need > FW_LZMA_MEMLIMIT)
		return LZMA_MEMLIMIT_ERROR;
	return lzma_raw_decoder(s, chain);
}

int fw_lzma_decode(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **out, size_t *out_len, struct err *e)
{
	return fw_lzma_decode_filtered(in, in_len, false, max_out, out, out_len, e);
}

/* The .lzma header's size is "unknown" (all ones): the stream ends on its end
 * marker. Decode into a buffer that grows up to MAX_OUT. */
static int decode_unknown_size(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **out, size_t *out_len,
			       struct err *e)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = lzma_alone_decoder(&s, FW_LZMA_MEMLIMIT);
	if (r != LZMA_OK) {
		err_set(e, "cannot start the LZMA decoder (%s)", r == LZMA_MEM_ERROR ? "out of memory" : "bad options");
		return r == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL;
	}
	size_t cap = 0, got = 0;
	_cleanup_free_ uint8_t *buf = NULL;
	s.next_in = in;
	s.avail_in = in_len;
	for (;;) {
		if (got == cap) {
			if (cap >= max_out) {
				err_set(e, "LZMA data without a declared size decodes to more than the %zu bytes left in the "
					"decompression budget", max_out);
				r = LZMA_MEMLIMIT_ERROR;
				break;
			}
			size_t ncap = cap ? cap * 2 : 65536;
			if (ncap > max_out)
				ncap = max_out;
			uint8_t *nb = realloc(buf, ncap ? ncap : 1);
			if (!nb) {
				r = LZMA_MEM_ERROR;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		s.next_out = buf + got;
		s.avail_out = cap - got;
		r = lzma_code(&s, LZMA_FINISH);
		got = cap - s.avail_out;
		if (r != LZMA_OK)
			break;
	}
	lzma_end(&s);
	if (r != LZMA_STREAM_END) {
		if (r == LZMA_MEM_ERROR) {
			err_set(e, "out of memory decoding LZMA data");
			return -ENOMEM;
		}
		if (r == LZMA_MEMLIMIT_ERROR)
			return -EFBIG;
		err_set(e, "LZMA data without a declared size does not decode (%s, %zu bytes out)",
			r == LZMA_BUF_ERROR ? "the data ends before its end marker" : "corrupt data", got);
		return -EINVAL;
	}
	*out = TAKE_PTR(buf);
	*out_len = got;
	return 0;
}

int fw_lzma_decode_any(const uint8_t *in, size_t in_len, bool x86, size_t max_out, uint8_t **out, size_t *out_len,
		       int *form, struct err *e)
{
	struct err first = {0};
	int r = fw_lzma_decode_filtered(in, in_len, x86, max_out, out, out_len, &first);
	int r1 = r;
	if (form)
		*form = FW_LZMA_PLAIN;
	if ((r != -EINVAL && r != -EFBIG) || in_len < 4 + 13) {
		if (e && r < 0)
			*e = first;
		return r;
	}
	/* Intel's legacy form: a 32-bit size before the LZMA header, as UEFITool reads it */
	struct err second = {0};
	r = fw_lzma_decode_filtered(in + 4, in_len - 4, x86, max_out, out, out_len, &second);
	if (r == 0) {
		if (form)
			*form = FW_LZMA_INTEL_LEGACY;
		return 0;
	}
	if (e)
		*e = first;
	return r == -ENOMEM ? r : r1;
}

int fw_lzma_decode_filtered(const uint8_t *in, size_t in_len, bool x86, size_t max_out, uint8_t **out,
			    size_t *out_len, struct err *e)
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
		if (x86) {
			err_set(e, "LZMA+x86 header gives no uncompressed size (EDK2 always writes one)");
			return -EINVAL;
		}
		return decode_unknown_size(in, in_len, max_out, out, out_len, e);
	}
	if (size > max_out) {
		err_set(e, "LZMA header declares %llu bytes, more than the %zu bytes left in the decompression budget",
			(unsigned long long)size, max_out);
		return -EFBIG;
	}
	_cleanup_free_ uint8_t *buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		err_set(e, "out of memory for %llu decompressed bytes", (unsigned long long)size);
		return -ENOMEM;
	}
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = start_decoder(&s, in, size, x86);
	if (r != LZMA_OK) {
		if (r == LZMA_MEM_ERROR) {
			err_set(e, "cannot start the LZMA decoder: out of memory");
			return -ENOMEM;
		}
		err_set(e, "LZMA header not accepted (%s)", r == LZMA_MEMLIMIT_ERROR ? "its dictionary needs more than 64 MiB"
			: "bad properties");
		return -EINVAL;
	}
	s.next_in = x86 ? in + 13 : in;
	s.avail_in = x86 ? in_len - 13 : in_len;
	s.next_out = buf;
	s.avail_out = (size_t)size;
	r = lzma_code(&s, LZMA_FINISH);
	size_t got = (size_t)size - s.avail_out;
	lzma_end(&s);
	if (r != LZMA_STREAM_END && !(r == LZMA_OK && got == size)) {
		const char *why = r == LZMA_MEMLIMIT_ERROR ? "its dictionary needs more than 64 MiB"
			: r == LZMA_FORMAT_ERROR || r == LZMA_OPTIONS_ERROR ? "bad header"
			: r == LZMA_BUF_ERROR ? "the data ends early"
			: "corrupt data";
		err_set(e, "LZMA data does not decode (%s, %zu of %llu bytes out)", why, got, (unsigned long long)size);
		return -EINVAL;
	}
	*out = TAKE_PTR(buf);
	*out_len = got;
	return 0;
}
