/* The pre-filter: literals one of which every match of an ERE contains, and the cost
 * estimate of a pattern. Conservative: when in doubt, no literal (then every line goes to
 * regexec). */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/signature.h"

#define MIN_LITERAL 3

/* P is just past a '[': the closing ']' of that bracket expression, or the NUL when it has
 * none. []...] and [^]...] take ']' literally first; [:class:], [.x.] and [=x=] nest. */
static const char *skip_bracket(const char *p)
{
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char end = p[1];
			p += 2;
			while (*p && !(*p == end && p[1] == ']'))
				p++;
			if (*p)
				p++;
		}
		if (*p)
			p++;
	}
	return p;
}

/* ---- required literals ----
 *
 * A small analysis of the ERE, bottom up. For each sub-expression it keeps
 *   exact: the finite set of strings it matches, when small enough ("ab", "[Ff]x", "(a|b)");
 *   req:   a set of strings one of which every match contains.
 * A concatenation multiplies neighbouring exact sets into a run; a run ends at anything
 * that is not exact, and each run (and each item's own req) is a candidate. An alternation
 * unites its branches' sets. '?', '*' and {0,...} drop everything; '+' and {n,...} keep the
 * req of what they repeat. Anything unusual (a GNU escape, a range, a quantifier where an
 * atom should be, deep nesting) is "not exact, no req": the analysis never claims more
 * than it can prove, and when nothing of at least MIN_LITERAL bytes is left the signature
 * has no literal and its regex runs on every line. */

#define SET_MAX 8
#define SET_BYTES 640
#define LIT_MAX_DEPTH 6

struct sset {
	bool known;
	unsigned char n;
	unsigned short used;
	unsigned short off[SET_MAX], len[SET_MAX];
	char buf[SET_BYTES];
};

struct info {
	struct sset exact, req;   /* req unknown: use exact when that is known */
};

struct rx {
	const char *p;
	int depth;
	bool fail;
};

static void set_unknown(struct sset *s)
{
	s->known = false;
	s->n = 0;
	s->used = 0;
}

static bool set_add(struct sset *s, const char *a, size_t al, const char *b, size_t bl)
{
	if (!s->known || s->n == SET_MAX || s->used + al + bl > SET_BYTES) {
		set_unknown(s);
		return false;
	}
	s->off[s->n] = s->used;
	s->len[s->n] = (unsigned short)(al + bl);
	memcpy(s->buf + s->used, a, al);
	memcpy(s->buf + s->used + al, b, bl);
	s->used = (unsigned short)(s->used + al + bl);
	s->n++;
	return true;
}

static void set_empty_string(struct sset *s)
{
	s->known = true;
	s->n = 0;
	s->used = 0;
	set_add(s, "", 0, "", 0);
}

static void set_chars(struct sset *s, const char *c, size_t n)
{
	s->known = true;
	s->n = 0;
	s->used = 0;
	for (size_t i = 0; i < n && s->known; i++)
		if (!memchr(c, c[i], i))
			set_add(s, c + i, 1, "", 0);
}

#define STR(s, i) ((s)->buf + (s)->off[i])

/* dst = a x b (every string of a followed by every string of b); DST may not alias. */
static void set_product(struct sset *dst, const struct sset *a, const struct sset *b)
{
	dst->known = a->known && b->known;
	dst->n = 0;
	dst->used = 0;
	for (unsigned i = 0; dst->known && i < a->n; i++)
		for (unsigned k = 0; dst->known && k < b->n; k++)
			set_add(dst, STR(a, i), a->len[i], STR(b, k), b->len[k]);
}

static void set_union(struct sset *dst, const struct sset *src)
{
	if (!src->known) {
		set_unknown(dst);
		return;
	}
	for (unsigned i = 0; dst->known && i < src->n; i++)
		set_add(dst, STR(src, i), src->len[i], "", 0);
}

static size_t set_minlen(const struct sset *s)
{
	size_t m = SIZE_MAX;
	for (unsigned i = 0; i < s->n; i++)
		if (s->len[i] < m)
			m = s->len[i];
	return s->n ? m : 0;
}

/* Keep the better of BEST and CAND: the longer shortest string, then fewer strings. */
static void consider(struct sset *best, const struct sset *cand)
{
	if (!cand->known || !cand->n)
		return;
	size_t c = set_minlen(cand), b = best->known ? set_minlen(best) : 0;
	if (!best->known || c > b || (c == b && cand->n < best->n))
		*best = *cand;
}

static const struct sset *node_req(const struct info *x)
{
	return x->exact.known ? &x->exact : &x->req;
}

static void info_unknown(struct info *x)
{
	set_unknown(&x->exact);
	set_unknown(&x->req);
}

static void parse_alt(struct rx *r, struct info *out);

static void parse_atom(struct rx *r, struct info *out)
{
	const char *p = r->p;
	info_unknown(out);
	switch (*p) {
	case '(':
		if (++r->depth > LIT_MAX_DEPTH) {
			r->fail = true;
			return;
		}
		r->p++;
		parse_alt(r, out);
		r->depth--;
		if (*r->p != ')')
			r->fail = true;
		else
			r->p++;
		return;
	case '[': {
		const char *close = skip_bracket(p + 1);
		if (!*close) {
			r->fail = true;
			return;
		}
		size_t n = (size_t)(close - (p + 1));
		const char *c = p + 1;
		if (c[0] != '^' && !memchr(c, '-', n) && !memchr(c, '[', n))
			set_chars(&out->exact, c, n);
		r->p = close + 1;
		return;
	}
	case '\\':
		if (!p[1]) {
			r->fail = true;
			return;
		}
		/* \. \( \[ ... are the character; \w \b \< \` \' \1 are GNU operators: unknown */
		if (ispunct((unsigned char)p[1]) && p[1] != '`' && p[1] != '\'')
			set_chars(&out->exact, p + 1, 1);
		r->p += 2;
		return;
	case '.':
		r->p++;
		return;
	case '^':
	case '$':
		set_empty_string(&out->exact);
		r->p++;
		return;
	case '*':
	case '+':
	case '?':
	case '{':
		r->fail = true;   /* a quantifier with nothing to repeat: leave it to regcomp */
		return;
	default:
		set_chars(&out->exact, p, 1);
		r->p++;
		return;
	}
}

/* Applies the quantifiers after an atom. */
static void parse_quant(struct rx *r, struct info *x)
{
	for (;;) {
		char c = *r->p;
		unsigned long lo = 1, hi = 1;
		if (c == '*' || c == '?') {
			lo = 0;
			r->p++;
		} else if (c == '+') {
			hi = 2;
			r->p++;
		} else if (c == '{') {
			const char *q = r->p + 1;
			char *end;
			lo = isdigit((unsigned char)*q) ? strtoul(q, &end, 10) : 0;
			if (!isdigit((unsigned char)*q))
				end = (char *)q;
			hi = lo;
			if (*end == ',') {
				q = end + 1;
				hi = isdigit((unsigned char)*q) ? strtoul(q, &end, 10) : ULONG_MAX;
				if (!isdigit((unsigned char)*q))
					end = (char *)q;
			}
			if (*end != '}') {
				r->fail = true;
				return;
			}
			r->p = end + 1;
		} else {
			return;
		}
		if (lo == 0) {
			info_unknown(x);
		} else if (!(lo == 1 && hi == 1)) {
			struct sset req = *node_req(x);
			set_unknown(&x->exact);
			x->req = req;
		}
	}
}

static void parse_concat(struct rx *r, struct info *out)
{
	struct sset run, best, tmp;
	struct info item;
	bool all_exact = true;
	set_empty_string(&run);
	set_unknown(&best);
	while (*r->p && *r->p != '|' && *r->p != ')' && !r->fail) {
		parse_atom(r, &item);
		if (r->fail)
			break;
		parse_quant(r, &item);
		if (item.exact.known) {
			set_product(&tmp, &run, &item.exact);
			if (tmp.known) {
				run = tmp;
				continue;
			}
			consider(&best, &run);
			run = item.exact;
		} else {
			consider(&best, &run);
			consider(&best, &item.req);
			set_empty_string(&run);
		}
		all_exact = false;
	}
	consider(&best, &run);
	if (all_exact)
		out->exact = run;
	else
		set_unknown(&out->exact);
	out->req = best;
}

static void parse_alt(struct rx *r, struct info *out)
{
	struct info branch;
	parse_concat(r, out);
	out->req = *node_req(out);
	while (!r->fail && *r->p == '|') {
		r->p++;
		parse_concat(r, &branch);
		set_union(&out->exact, &branch.exact);
		set_union(&out->req, node_req(&branch));
	}
}

char **signature_literals(const char *pattern)
{
	struct rx r = { .p = pattern };
	struct info *top = malloc(sizeof(*top));
	if (!top)
		return NULL;
	parse_alt(&r, top);
	const struct sset *s = node_req(top);
	char **v = NULL;
	if (r.fail || *r.p || !s->known || !s->n || set_minlen(s) < MIN_LITERAL)
		goto out;
	v = calloc(SET_MAX + 1, sizeof(*v));
	size_t n = 0;
	for (unsigned i = 0; v && i < s->n; i++) {
		/* a string that contains another one of the set adds nothing: any line with it has the other */
		bool redundant = false;
		for (unsigned k = 0; k < s->n && !redundant; k++)
			if (k != i && s->len[k] <= s->len[i] && memmem(STR(s, i), s->len[i], STR(s, k), s->len[k]) &&
			    (s->len[k] < s->len[i] || k < i))
				redundant = true;
		if (redundant)
			continue;
		if (!(v[n++] = strndup(STR(s, i), s->len[i]))) {
			signature_literals_free(v);
			v = NULL;
		}
	}
out:
	free(top);
	return v;
}

void signature_literals_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* How many nodes glibc's regcomp may build: it copies a sub-expression once per repetition
 * it must unroll ("x{5}" five times, "x+" twice), and nested repetitions multiply. A pattern
 * such as "(a+)+" nested deep, or "a++++...", would make regcomp allocate gigabytes. Returns
 * an estimate, or SIZE_MAX when it is beyond any sane bound. */
size_t signature_pattern_cost(const char *p)
{
	enum { MAX_DEPTH = 16 };
	size_t sum[MAX_DEPTH + 1] = {0}, last = 0;
	int depth = 0;
#define CAP(x) ((x) > (1u << 20) ? (size_t)1 << 20 : (x))
	for (; *p; p++) {
		size_t factor = 0;
		switch (*p) {
		case '\\':
			if (p[1])
				p++;
			last = 1;
			sum[depth] += 1;
			break;
		case '[':
			p++;
			p = skip_bracket(p);
			if (!*p)
				p--;   /* unterminated: regcomp says so */
			last = 1;
			sum[depth] += 1;
			break;
		case '(':
			if (depth == MAX_DEPTH)
				return SIZE_MAX;
			sum[++depth] = 0;
			last = 0;
			break;
		case ')':
			if (depth == 0) {   /* unmatched: regcomp decides */
				last = 1;
				sum[0] += 1;
				break;
			}
			last = sum[depth--] + 1;
			sum[depth] = CAP(sum[depth] + last);
			break;
		case '|':
			last = 0;
			break;
		case '*':
		case '?':
			factor = 1;
			break;
		case '+':
			factor = 2;
			break;
		case '{': {
			unsigned long lo = 0, hi = 0;
			char *end;
			lo = strtoul(p + 1, &end, 10);
			hi = lo;
			if (*end == ',') {
				hi = end[1] == '}' ? lo : strtoul(end + 1, &end, 10);
				if (end[0] == ',' )
					end++;
			}
			while (*end && *end != '}')
				end++;
			if (lo > 255 || hi > 255)
				return SIZE_MAX;
			if (!*end) {   /* unterminated: regcomp says so */
				p = end - 1;
				break;
			}
			factor = (hi > lo ? hi : lo) + 1;
			p = end;
			break;
		}
		default:
			last = 1;
			sum[depth] += 1;
			break;
		}
		if (factor) {
			/* the last atom or group is copied FACTOR times */
			size_t grown = CAP(last * factor);
			sum[depth] = CAP(sum[depth] - last + grown);
			last = grown;
		}
	}
	while (depth > 0) {   /* unbalanced '(': regcomp refuses it, after parsing what came before */
		size_t inner = sum[depth--];
		sum[depth] = CAP(sum[depth] + inner);
	}
#undef CAP
	return sum[0] >= (1u << 20) ? SIZE_MAX : sum[0];
}

/* A repetition that can repeat without bound (*, + or {n,}) of something that itself holds
 * one: "(a+)+", "(x*y)*", "((a|b)+c?){2,}", "a+*". Such a pattern makes a backtracking
 * matcher take exponential time and a DFA blow up; a signature never needs one. Returns the
 * offset of the outer repetition's operator, or -1 when there is none. */
long signature_nested_repeat(const char *pattern)
{
	enum { MAX_DEPTH = 64 };
	bool inner[MAX_DEPTH + 1] = {0};   /* the open group at this depth holds an unbounded repetition */
	bool prev_inner = false;           /* the atom before (a group, or a repetition) holds one */
	int depth = 0;
	for (const char *p = pattern; *p; p++) {
		bool quant = false, unbounded = false;
		const char *op = p;
		switch (*p) {
		case '\\':
			if (p[1])
				p++;
			break;
		case '[':
			p = skip_bracket(p + 1);
			if (!*p)
				p--;   /* unterminated: regcomp says so */
			break;
		case '(':
			if (depth == MAX_DEPTH)
				return p - pattern;
			inner[++depth] = false;
			prev_inner = false;
			continue;
		case ')':
			if (depth == 0)
				break;
			prev_inner = inner[depth--];
			inner[depth] |= prev_inner;
			continue;
		case '|':
			prev_inner = false;
			continue;
		case '*':
		case '+':
			quant = unbounded = true;
			break;
		case '?':
			quant = true;
			break;
		case '{': {
			const char *c = p + 1;
			while (*c >= '0' && *c <= '9')
				c++;
			if (*c == ',' && c[1] == '}')
				unbounded = true;
			while (*c && *c != '}')
				c++;
			if (!*c)
				break;   /* not a bound: regcomp decides */
			quant = true;
			p = c;
			break;
		}
		default:
			break;
		}
		if (!quant) {
			prev_inner = false;
			continue;
		}
		if (unbounded && prev_inner)
			return op - pattern;
		if (unbounded) {
			inner[depth] = true;
			prev_inner = true;
		}
	}
	return -1;
}
