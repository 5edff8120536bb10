#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	char pre[512], old[sizeof(e->msg)];
	va_list ap;
	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	size_t n = strlen(pre);
	if (n > sizeof(e->msg) - 3)
		n = sizeof(e->msg) - 3;
	memcpy(e->msg, pre, n);
	memcpy(e->msg + n, ": ", 2);
	size_t left = sizeof(e->msg) - n - 3;
	size_t ol = strnlen(old, left);
	memcpy(e->msg + n + 2, old, ol);
	e->msg[n + 2 + ol] = 0;
}

void err_list_begin(struct err_list *l, struct err *first, struct strv *all)
{
	*l = (struct err_list){ .first = first, .all = all, .from = all ? all->n : 0 };
}

void err_list_add(struct err_list *l, const char *fmt, ...)
{
	char msg[sizeof(((struct err *)0)->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!l->n)
		err_set(l->first, "%s", msg);
	if (l->all && l->n < ERR_LIST_MAX)
		strv_push(l->all, msg);
	l->n++;
}

void err_list_end(struct err_list *l, const char *name)
{
	if (!l->all)
		return;
	strv_sort_located(l->all, l->from, name);
	if (l->n > ERR_LIST_MAX) {
		char *more = NULL;
		unsigned left = l->n - ERR_LIST_MAX;
		if (asprintf(&more, "%s: %u more error%s not shown; fix the ones above first", name, left,
			     left == 1 ? "" : "s") >= 0)
			strv_push_take(l->all, more);
	}
}
