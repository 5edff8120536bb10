/* Error text carried up from non-printing layers: what, where, what to do. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

#include "util/strv.h"

struct err {
	char msg[1024];
};

void err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the existing message: "<prefix>: <old>". */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A parser's errors: the first in FIRST, every one in ALL when the caller wants them all (at
 * most ERR_LIST_MAX, then a count: a hostile file could name one per line). Messages read
 * "NAME:LINE: what; what to do". */
#define ERR_LIST_MAX 20
struct err_list {
	struct err *first;
	struct strv *all;
	size_t from;   /* ALL's length when the file began */
	unsigned n;
};
void err_list_begin(struct err_list *l, struct err *first, struct strv *all);
void err_list_add(struct err_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The file NAME is read: its errors in line order, and how many were not kept. */
void err_list_end(struct err_list *l, const char *name);
