#include "util/diff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

#define CONTEXT 3
#define MAX_D 4000  /* beyond this many edits, one hunk replaces everything */

struct line {
	const char *s;
	size_t len;  /* without the '\n' */
	bool nl;     /* ended by '\n' */
};

static int split(const char *t, size_t len, struct line **ret, size_t *ret_n)
{
	size_t n = 0, cap = 16;
	_cleanup_free_ struct line *v = malloc(cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (t + i)) : len - i;
		if (n == cap) {
			struct line *nv = realloc(v, (cap *= 2) * sizeof(*v));
			if (!nv)
				return -ENOMEM;
			v = nv;
		}
		v[n++] = (struct line){ t + i, l, nl != NULL };
		i += l + (nl ? 1 : 0);
	}
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

static bool same(const struct line *x, const struct line *y)
{
	return x->len == y->len && x->nl == y->nl && memcmp(x->s, y->s, x->len) == 0;
}

/* Edit script: one op per line of the result walk: '=' (both), '-' (a only), '+' (b only). */
struct op {
	char kind;
	size_t ai, bi;
};

/* Myers' greedy O((N+M)D) algorithm with a saved V per step for the backtrack. */
static int myers(const struct line *a, size_t n, const struct line *b, size_t m, struct op **ret, size_t *ret_n)
{
	long max = (long)(n + m), off = max + 1, width = 2 * max + 3;
	long dmax = max < MAX_D ? max : MAX_D, d, found = -1;
	_cleanup_free_ long *trace = NULL;
	_cleanup_free_ long *v = calloc((size_t)width, sizeof(long));
	_cleanup_free_ struct op *ops = malloc((n + m + 1) * sizeof(*ops));
	size_t k_ops = 0;

	if (!v || !ops)
		return -ENOMEM;
	trace = malloc((size_t)(dmax + 1) * (size_t)width * sizeof(long));
	if (!trace)
		return -ENOMEM;
	for (d = 0; d <= dmax && found < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
			long y = x - k;
			while (x < (long)n && y < (long)m && same(&a[x], &b[y]))
				x++, y++;
			v[off + k] = x;
			if (x >= (long)n && y >= (long)m) {
				found = d;
				break;
			}
		}
		memcpy(trace + d * width, v, (size_t)width * sizeof(long));
	}
	if (found < 0) {
		/* too different: delete all of a, insert all of b */
		for (size_t i = 0; i < n; i++)
			ops[k_ops++] = (struct op){ '-', i, 0 };
		for (size_t j = 0; j < m; j++)
			ops[k_ops++] = (struct op){ '+', n, j };
		*ret = TAKE_PTR(ops);
		*ret_n = k_ops;
		return 0;
	}
	/* backtrack from (n, m), emitting ops in reverse */
	long x = (long)n, y = (long)m;
	for (d = found; d > 0; d--) {
		const long *vp = trace + (d - 1) * width;
		long k = x - y;
		long pk = (k == -d || (k != d && vp[off + k - 1] < vp[off + k + 1])) ? k + 1 : k - 1;
		long px = vp[off + pk], py = px - pk;
		long midx = pk == k + 1 ? px : px + 1, midy = midx - k;
		while (x > midx && y > midy)
			ops[k_ops++] = (struct op){ '=', (size_t)--x, (size_t)--y };
		if (pk == k + 1)
			ops[k_ops++] = (struct op){ '+', (size_t)x, (size_t)--y };
		else
			ops[k_ops++] = (struct op){ '-', (size_t)--x, (size_t)y };
		(void)py;
	}
	while (x > 0 && y > 0)
		ops[k_ops++] = (struct op){ '=', (size_t)--x, (size_t)--y };
	for (size_t i = 0; i < k_ops / 2; i++) {
		struct op t = ops[i];
		ops[i] = ops[k_ops - 1 - i];
		ops[k_ops - 1 - i] = t;
	}
	*ret = TAKE_PTR(ops);
	*ret_n = k_ops;
	return 0;
}

static void put_line(struct buf *out, char c, const struct line *l)
{
	buf_append(out, &c, 1);
	buf_append(out, l->s, l->len);
	buf_puts(out, "\n");
	if (!l->nl)
		buf_puts(out, "\\ No newline at end of file\n");
}

static void range(struct buf *out, char c, size_t start, size_t count)
{
	if (count == 1)
		buf_printf(out, " %c%zu", c, start + 1);
	else
		buf_printf(out, " %c%zu,%zu", c, count ? start + 1 : start, count);
}

int diff_unified(const char *a, size_t alen, const char *b, size_t blen, const char *a_name, const char *b_name,
		 struct buf *out)
{
	_cleanup_free_ struct line *la = NULL;
	_cleanup_free_ struct line *lb = NULL;
	_cleanup_free_ struct op *ops = NULL;
	size_t na = 0, nb = 0, nops = 0;
	int rc;

	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 0;
	if ((rc = split(a, alen, &la, &na)) < 0 || (rc = split(b, blen, &lb, &nb)) < 0)
		return rc;
	if ((rc = myers(la, na, lb, nb, &ops, &nops)) < 0)
		return rc;

	buf_printf(out, "--- %s\n+++ %s\n", a_name, b_name);
	size_t i = 0;
	while (i < nops) {
		while (i < nops && ops[i].kind == '=')
			i++;
		if (i == nops)
			break;
		/* hunk: from CONTEXT lines before the change to CONTEXT after the last change
		 * that is followed by at most 2*CONTEXT equal lines */
		size_t start = i >= CONTEXT ? i - CONTEXT : 0, end = i;
		while (start < i && ops[start].kind != '=')
			start++;
		for (;;) {
			while (end < nops && ops[end].kind != '=')
				end++;
			size_t eq = end;
			while (eq < nops && ops[eq].kind == '=')
				eq++;
			if (eq < nops && eq - end <= 2 * CONTEXT) {
				end = eq;
				continue;
			}
			end = end + CONTEXT < eq ? end + CONTEXT : eq;
			break;
		}
		size_t as = ops[start].ai, bs = ops[start].bi, ac = 0, bc = 0;
		for (size_t k = start; k < end; k++) {
			ac += ops[k].kind != '+';
			bc += ops[k].kind != '-';
		}
		buf_puts(out, "@@");
		range(out, '-', as, ac);
		range(out, '+', bs, bc);
		buf_puts(out, " @@\n");
		for (size_t k = start; k < end; k++) {
			if (ops[k].kind == '=')
				put_line(out, ' ', &la[ops[k].ai]);
			else if (ops[k].kind == '-')
				put_line(out, '-', &la[ops[k].ai]);
			else
				put_line(out, '+', &lb[ops[k].bi]);
		}
		i = end;
	}
	return out->oom ? -ENOMEM : 0;
}
