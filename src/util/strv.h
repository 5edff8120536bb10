/* NULL-terminated growable string vectors. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct strv {
	char **v;
	size_t n, cap;
};

int strv_push(struct strv *s, const char *str);          /* copies */
int strv_push_take(struct strv *s, char *str);           /* takes ownership */
bool strv_contains(const struct strv *s, const char *str);
void strv_sort(struct strv *s);
void strv_clear(struct strv *s);
int strv_copy(struct strv *dst, const struct strv *src);
/* The strings joined by SEP, newly allocated (an empty string for none); NULL when out of memory. */
char *strv_join(const struct strv *s, const char *sep);

/* Sort V[FROM..] stably by the line number of messages that read "NAME:LINE: ...". */
void strv_sort_located(struct strv *s, size_t from, const char *name);

/* Scope cleanup: `_cleanup_strv_ struct strv v = {0};` clears V when it goes out of scope. */
#define _cleanup_strv_ __attribute__((cleanup(strv_clear)))
