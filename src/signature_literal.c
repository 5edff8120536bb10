/* The pre-filter: the longest run of literal bytes that every match of an ERE contains.
 * Conservative: when in doubt, no literal (then every line goes to regexec). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "signature.h"

#define MIN_LITERAL 3

static bool top_level_alternation(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			/* skip a bracket expression: []...] and [^]...] take ']' literally first */
			p++;
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
