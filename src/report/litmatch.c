#include "report/litmatch.h"

#include <errno.h>
#include <string.h>

static unsigned key_at(const unsigned char *p)   /* the two bytes ending at P */
{
	return (unsigned)p[-1] | (unsigned)p[0] << 8;
}

static unsigned bucket_of(unsigned key)
{
	return (key * 0x9e37u >> 8) & 0xff;
}

int litmatch_build(struct litmatch *m, const char *const *lits, const size_t *lens, size_t n)
{
	if (n == 0 || n > LITMATCH_MAX)
		return -EINVAL;
	size_t w = 255;
	for (size_t i = 0; i < n; i++) {
		if (lens[i] < 2)
			return -EINVAL;
		if (lens[i] < w)
			w = lens[i];
	}
	m->m = w;
	m->n = n;
	memset(m->bucket, 0, sizeof(m->bucket));
	memset(m->shift, (int)(w - 1), sizeof(m->shift));
	for (size_t i = 0; i < n; i++) {
		const unsigned char *s = (const unsigned char *)lits[i];
		/* a window ending with the pair at s[j-1..j] must move w-1-j to align its end */
		for (size_t j = 1; j < w; j++) {
			unsigned k = key_at(s + j);
			if (m->shift[k] > w - 1 - j)
				m->shift[k] = (uint8_t)(w - 1 - j);
		}
		struct litmatch_lit *l = &m->v[i];
		l->s = lits[i];
		l->len = lens[i];
		l->key = (uint16_t)key_at(s + w - 1);
		unsigned b = bucket_of(l->key);
		l->next = m->bucket[b];
		m->bucket[b] = (uint16_t)(i + 1);
	}
	return 0;
}

const char *litmatch_find(const struct litmatch *m, const char *start, const char *end)
{
	const unsigned char *p = (const unsigned char *)start, *e = (const unsigned char *)end;
	size_t w = m->m;
	if ((size_t)(e - p) < w)
		return NULL;
	const unsigned char *q = p + w - 1;   /* the window's last byte */
	while (q < e) {
		unsigned k = key_at(q);
		unsigned s = m->shift[k];
		if (s) {
			q += s;
			continue;
		}
		const unsigned char *at = q - (w - 1);
		for (unsigned i = m->bucket[bucket_of(k)]; i; i = m->v[i - 1].next) {
			const struct litmatch_lit *l = &m->v[i - 1];
			if (l->key == k && (size_t)(e - at) >= l->len && memcmp(at, l->s, l->len) == 0)
				return (const char *)at;
		}
		q++;
	}
	return NULL;
}
