/* Error text carried up from non-printing layers: what, where, what to do. */
#pragma once
#include <stdarg.h>

struct err {
	char msg[1024];
};

void err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the existing message: "<prefix>: <old>". */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
