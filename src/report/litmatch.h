/* Many literals searched in one pass over a buffer (Wu-Manber: a window as long as the
 * shortest literal, a shift table on the window's last two bytes, a check of the literals
 * that end their window with those two bytes). The log scan runs it over whole blocks of
 * lines and looks at a line only when a literal is in it. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define LITMATCH_MAX 512    /* literals */

struct litmatch_lit {
	const char *s;           /* not owned */
	size_t len;
	uint16_t key;            /* the last two bytes of its first m bytes */
	uint16_t next;           /* next literal in the same bucket, index + 1 (0: end) */
};

struct litmatch {
	size_t m;                /* window: the shortest literal's length, capped at 255 */
	size_t n;
	struct litmatch_lit v[LITMATCH_MAX];
	uint16_t bucket[256];    /* first literal (index + 1) by the low byte of the key's hash */
	uint8_t shift[1 << 16];  /* by the window's last two bytes */
};

/* Build for the N literals LITS (LENS their lengths; each at least 2 bytes long, not copied:
 * they must outlive M). -EINVAL when there are none, one is shorter, or more than LITMATCH_MAX. */
int litmatch_build(struct litmatch *m, const char *const *lits, const size_t *lens, size_t n);
/* The first position in [P, END) where a literal starts and ends before END, or NULL. */
const char *litmatch_find(const struct litmatch *m, const char *p, const char *end);
