/* EFI 1.1 and Tiano decompression (UEFI spec, "Compression Algorithm
 * Specification"): LZ77 with three canonical Huffman codes per block (an extra
 * code T for code lengths, char-and-length code C, position code P), bits read
 * most significant first. EFI and Tiano differ only in the width of the P-code
 * count (4 or 5 bits). Every table index and copy distance is checked: hostile
 * input ends in -EINVAL, never outside the buffers. */
#include "vbios/fw_tiano.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "util/cleanup.h"
#include "util/unaligned.h"

#define NC (0xff + 256 + 2 - 3) /* 510 char-and-length symbols */
#define CBIT 9
#define NT 19                   /* extra-set symbols */
#define TBIT 5
#define MAXNP 31
#define NPT 31
#define NODES (2 * NC - 1)      /* tree node ids: symbols, then inner nodes */

struct dec {
	const uint8_t *src;
	size_t src_len, in;
	uint32_t bitbuf;   /* next 32 bits of the stream, MSB first */
	uint32_t subbuf;   /* the byte being shifted in */
	unsigned bitcount; /* bits of subbuf not yet in bitbuf */
	unsigned pbit;
	uint16_t left[NODES], right[NODES];
	uint16_t ctable[4096], pttable[256];
	uint8_t clen[NC], ptlen[NPT];
	unsigned block_left;
	unsigned past_end;  /* zero bytes shifted in after the data ended */
	bool bad;
};

static void fill(struct dec *d, unsigned n)
{
	d->bitbuf = n >= 32 ? 0 : d->bitbuf << n;
	while (n > d->bitcount) {
		n -= d->bitcount;
		d->bitbuf |= n >= 32 ? 0 : (uint32_t)((uint64_t)d->subbuf << n);
		if (d->in < d->src_len) {
			d->subbuf = d->src[d->in++];
		} else {
			d->subbuf = 0;
			/* the 32-bit look-ahead reads a few bytes past a real stream, never more */
			if (++d->past_end > 8)
				d->bad = true;
		}
		d->bitcount = 8;
	}
	d->bitcount -= n;
	d->bitbuf |= d->subbuf >> d->bitcount;
}

static unsigned bits(struct dec *d, unsigned n)
{
	unsigned v = n ? d->bitbuf >> (32 - n) : 0;
	fill(d, n);
	return v;
}

/* Canonical Huffman decoding table: TABLE has 1 << TBITS direct entries; longer
 * codes continue in the left/right tree. false when the lengths are not a
 * complete prefix code. */
static bool make_table(struct dec *d, unsigned nchar, const uint8_t *len, unsigned tbits, uint16_t *table)
{
	uint32_t count[17] = {0}, start[18], weight[17];
	for (unsigned i = 0; i < nchar; i++) {
		if (len[i] > 16)
			return false;
		count[len[i]]++;
	}
	start[1] = 0;
	for (unsigned i = 1; i <= 16; i++)
		start[i + 1] = start[i] + (count[i] << (16 - i));
	if (start[17] != (1u << 16))
		return false;
	unsigned ju = 16 - tbits;
	for (unsigned i = 1; i <= tbits; i++) {
		start[i] >>= ju;
		weight[i] = 1u << (tbits - i);
	}
	for (unsigned i = tbits + 1; i <= 16; i++)
		weight[i] = 1u << (16 - i);
	unsigned size = 1u << tbits;
	unsigned first_free = start[tbits + 1] >> ju;
	for (unsigned i = first_free; i < size; i++)
		table[i] = 0;
	unsigned avail = nchar;
	uint32_t mask = 1u << (15 - tbits);
	for (unsigned ch = 0; ch < nchar; ch++) {
		unsigned l = len[ch];
		if (l == 0)
			continue;
		uint32_t next = start[l] + weight[l];
		if (l <= tbits) {
			if (next > size)
				return false;
			for (uint32_t i = start[l]; i < next; i++)
				table[i] = (uint16_t)ch;
		} else {
			uint32_t code = start[l];
			if ((code >> ju) >= size)
				return false;
			uint16_t *p = &table[code >> ju];
			for (unsigned k = l - tbits; k; k--) {
				if (*p == 0) {
					if (avail >= NODES)
						return false;
					d->left[avail] = d->right[avail] = 0;
					*p = (uint16_t)avail++;
				}
				if (*p < nchar || *p >= NODES)
					return false; /* a code is a prefix of another */
				p = (code & mask) ? &d->right[*p] : &d->left[*p];
				code <<= 1;
			}
			*p = (uint16_t)ch;
		}
		start[l] = next;
	}
	return true;
}

/* Follow the tree below a table entry: at most 16 - TBITS steps. */
static unsigned walk(struct dec *d, unsigned v, unsigned nchar, unsigned tbits)
{
	uint32_t mask = 1u << (31 - tbits);
	for (unsigned steps = 0; v >= nchar; steps++) {
		if (v >= NODES || steps > 16 || !mask) {
			d->bad = true;
			return 0;
		}
		v = (d->bitbuf & mask) ? d->right[v] : d->left[v];
		mask >>= 1;
	}
	return v;
}

static bool read_ptlen(struct dec *d, unsigned nn, unsigned nbit, int special)
{
	unsigned n = bits(d, nbit);
	if (n == 0) {
		unsigned c = bits(d, nbit);
		if (c >= nn)
			return false;
		for (unsigned i = 0; i < 256; i++)
			d->pttable[i] = (uint16_t)c;
		memset(d->ptlen, 0, sizeof(d->ptlen));
		return true;
	}
	unsigned i = 0;
	while (i < n && i < NPT) {
		unsigned c = d->bitbuf >> 29;
		if (c == 7) {
			uint32_t mask = 1u << 28;
			while ((mask & d->bitbuf) && c < 32) {
				mask >>= 1;
				c++;
			}
		}
		fill(d, c < 7 ? 3 : c - 3);
		d->ptlen[i++] = (uint8_t)c;
		if ((int)i == special) {
			unsigned z = bits(d, 2);
			while (z-- > 0 && i < NPT)
				d->ptlen[i++] = 0;
		}
	}
	while (i < NPT)
		d->ptlen[i++] = 0;
	return make_table(d, nn, d->ptlen, 8, d->pttable);
}

static bool read_clen(struct dec *d)
{
	unsigned n = bits(d, CBIT);
	if (n == 0) {
		unsigned c = bits(d, CBIT);
		if (c >= NC)
			return false;
		memset(d->clen, 0, sizeof(d->clen));
		for (unsigned i = 0; i < 4096; i++)
			d->ctable[i] = (uint16_t)c;
		return true;
	}
	unsigned i = 0;
	while (i < n && i < NC) {
		unsigned c = walk(d, d->pttable[d->bitbuf >> 24], NT, 8);
		if (d->bad || c >= NT)
			return false;
		fill(d, d->ptlen[c]);
		if (c <= 2) {
			unsigned z = c == 0 ? 1 : c == 1 ? bits(d, 4) + 3 : bits(d, CBIT) + 20;
			while (z-- > 0 && i < NC)
				d->clen[i++] = 0;
		} else {
			d->clen[i++] = (uint8_t)(c - 2);
		}
	}
	while (i < NC)
		d->clen[i++] = 0;
	return make_table(d, NC, d->clen, 12, d->ctable);
}

static unsigned decode_c(struct dec *d)
{
	if (d->block_left == 0) {
		d->block_left = bits(d, 16);
		if (!read_ptlen(d, NT, TBIT, 3) || !read_clen(d) || !read_ptlen(d, MAXNP, d->pbit, -1)) {
			d->bad = true;
			return 0;
		}
	}
	d->block_left--;
	unsigned c = walk(d, d->ctable[d->bitbuf >> 20], NC, 12);
	if (d->bad || c >= NC) {
		d->bad = true;
		return 0;
	}
	fill(d, d->clen[c]);
	return c;
}

static uint32_t decode_p(struct dec *d)
{
	unsigned v = walk(d, d->pttable[d->bitbuf >> 24], MAXNP, 8);
	if (d->bad || v >= NPT) {
		d->bad = true;
		return 0;
	}
	fill(d, d->ptlen[v]);
	return v > 1 ? (1u << (v - 1)) + bits(d, v - 1) : v;
}

int fw_efi_decompress(const uint8_t *in, size_t in_len, int version, size_t max_out, uint8_t **out, size_t *out_len,
		      struct err *e)
{
	*out = NULL;
	*out_len = 0;
	if (in_len < 8) {
		err_set(e, "EFI-compressed data of %zu bytes is shorter than its 8-byte header", in_len);
		return -EINVAL;
	}
	uint32_t comp = unaligned_read_le32(in);
	uint32_t orig = (uint32_t)in[4] | (uint32_t)in[5] << 8 | (uint32_t)in[6] << 16 | (uint32_t)in[7] << 24;
	if (comp > in_len - 8) {
		err_set(e, "EFI-compressed header gives 0x%x compressed bytes, only 0x%zx present", comp, in_len - 8);
		return -EINVAL;
	}
	if (orig > max_out) {
		err_set(e, "EFI-compressed header declares %u bytes, more than the %zu bytes left in the decompression budget",
			orig, max_out);
		return -EFBIG;
	}
	_cleanup_free_ struct dec *d = calloc(1, sizeof(*d));
	_cleanup_free_ uint8_t *dst = malloc(orig ? orig : 1);
	if (!d || !dst) {
		err_set(e, "out of memory for %u decompressed bytes", orig);
		return -ENOMEM;
	}
	d->src = in + 8;
	d->src_len = comp;
	d->pbit = version == 1 ? 4 : 5;
	fill(d, 32);
	size_t o = 0;
	while (o < orig && !d->bad) {
		unsigned c = decode_c(d);
		if (d->bad)
			break;
		if (c < 256) {
			dst[o++] = (uint8_t)c;
			continue;
		}
		size_t n = c - 253;
		uint32_t pos = decode_p(d);
		if (d->bad || (size_t)pos + 1 > o) {
			d->bad = true;
			break;
		}
		size_t from = o - pos - 1;
		while (n-- > 0 && o < orig)
			dst[o++] = dst[from++];
	}
	if (d->bad) {
		err_set(e, "%s-compressed data does not decode (stopped after %zu of %u bytes)",
			version == 1 ? "EFI" : "Tiano", o, orig);
		return -EINVAL;
	}
	*out = TAKE_PTR(dst);
	*out_len = orig;
	return 0;
}
