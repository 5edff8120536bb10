#include "util/strv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int strv_push_take(struct strv *s, char *str)
{
	if (!str)
		return -ENOMEM;
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 2;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			free(str);
			return -ENOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
	return 0;
}

int strv_push(struct strv *s, const char *str)
{
	return strv_push_take(s, strdup(str));
}

bool strv_contains(const struct strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return true;
	return false;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct strv *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(char *), cmp);
}

void strv_clear(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct strv){0};
}

int strv_copy(struct strv *dst, const struct strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (strv_push(dst, src->v[i]) < 0)
			return -ENOMEM;
	return 0;
}

char *strv_join(const struct strv *s, const char *sep)
{
	size_t len = 1, sl = strlen(sep);
	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->v[i]) + (i ? sl : 0);
	char *out = malloc(len), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		if (i) {
			memcpy(p, sep, sl);
			p += sl;
		}
		size_t n = strlen(s->v[i]);
		memcpy(p, s->v[i], n);
		p += n;
	}
	*p = 0;
	return out;
}

static unsigned located_line(const char *msg, size_t name_len)
{
	return strncmp(msg + name_len, ":", 1) == 0 ? (unsigned)strtoul(msg + name_len + 1, NULL, 10) : 0;
}

void strv_sort_located(struct strv *s, size_t from, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = from + 1; i < s->n; i++) {
		char *m = s->v[i];
		unsigned l = located_line(m, nl);
		size_t j = i;
		for (; j > from && located_line(s->v[j - 1], nl) > l; j--)
			s->v[j] = s->v[j - 1];
		s->v[j] = m;
	}
}
