/* Growable byte buffer for building text; always NUL-terminated. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;
	size_t len, cap;
	int oom;
};

void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_append(struct buf *b, const char *s, size_t len);
void buf_puts(struct buf *b, const char *s);
/* Returns the string (caller frees) or NULL when an allocation failed. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* Scope cleanup: `_cleanup_buf_ struct buf b = {0};` frees B when it goes out of scope
 * (buf_steal hands the text on and leaves B empty). */
#define _cleanup_buf_ __attribute__((cleanup(buf_free)))
