/* The pre-filter: the longest run of literal bytes that every match of an ERE contains.
 * Conservative: when in doubt, no literal (then every line goes to regexec). */
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

static bool top_level_alternation(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			p++;
			p = skip_bracket(p);
			if (!*p)
				return true;  /* malformed; regcomp refuses it anyway */
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (*p == '|' && depth <= 0) {
			return true;
		}
	}
	return false;
}

char *signature_literal(const char *pattern)
{
	if (top_level_alternation(pattern))
		return NULL;
	size_t n = strlen(pattern);
	char *cur = malloc(n + 1), *best = malloc(n + 1);
	size_t cl = 0, bl = 0;
	int depth = 0;
	if (!cur || !best) {
		free(cur);
		free(best);
		return NULL;
	}
#define BREAK() do { if (cl > bl) { memcpy(best, cur, cl); bl = cl; } cl = 0; } while (0)
	for (const char *p = pattern; *p; p++) {
		char c = *p;
		if (depth > 0) {
			if (c == '\\' && p[1])
				p++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			else if (c == '[') {
				/* brackets inside a group: skip to keep parentheses balanced */
				p++;
				if (*p == '^')
					p++;
				if (*p == ']')
					p++;
				while (*p && *p != ']')
					p++;
				if (!*p)
					break;
			}
			continue;
		}
		switch (c) {
		case '\\':
			if (!p[1]) {
				BREAK();
				break;
			}
			p++;
			if (strchr(".[]()*+?{}|^$\\/-\"'", *p)) {
				cur[cl++] = *p;
			} else {
				BREAK();  /* \w, \<, \b ...: not a literal */
			}
			break;
		case '*':
		case '?':
			if (cl)
				cl--;  /* the last byte is optional */
			BREAK();
			break;
		case '{':
			if (cl)
				cl--;
			BREAK();
			while (*p && *p != '}')
				p++;
			if (!*p)
				p--;
			break;
		case '+':
			BREAK();  /* the last byte occurs, but what follows may be more of it */
			break;
		case '.':
		case '^':
		case '$':
			BREAK();
			break;
		case '[':
			BREAK();
			p++;
			p = skip_bracket(p);
			if (!*p)
				p--;
			/* a quantifier after a bracket applies to it: nothing to take back */
			break;
		case '(':
			BREAK();
			depth++;
			break;
		case ')':
			BREAK();
			break;
		default:
			cur[cl++] = c;
			break;
		}
	}
	BREAK();
#undef BREAK
	free(cur);
	if (bl < MIN_LITERAL) {
		free(best);
		return NULL;
	}
	best[bl] = 0;
	return best;
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
