#include "report/finding.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

static void finding_clear(struct finding *x)
{
	free(x->id);
	free(x->message);
	free(x->fix);
	free(x->source);
	free(x->text);
	free(x->confirms);
	memset(x, 0, sizeof(*x));
}

static char *dup_or_null(const char *s, bool *oom)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

/* Cut S to at most MAX bytes without splitting a UTF-8 sequence. */
static char *dup_text(const char *s, bool *oom)
{
	size_t n = strlen(s);
	if (n > FINDING_MAX_TEXT) {
		n = FINDING_MAX_TEXT;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	char *d = strndup(s, n);
	if (!d)
		*oom = true;
	return d;
}

int findings_add(struct findings *f, const char *id, enum severity sev, const char *message, const char *fix,
		 const char *confirms, const char *source, unsigned long line, const char *text)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].id, id) == 0 && strcmp(f->v[i].source, source) == 0) {
			f->v[i].count++;
			return 0;
		}
	if (f->n >= FINDINGS_MAX) {
		f->dropped++;
		return 0;
	}
	if (array_grow(f->v, f->n, f->cap, 16) < 0)
		return -ENOMEM;
	struct finding *x = &f->v[f->n];
	bool oom = false;
	*x = (struct finding){
		.id = dup_or_null(id, &oom),
		.severity = sev,
		.message = dup_or_null(message, &oom),
		.fix = dup_or_null(fix, &oom),
		.source = dup_or_null(source, &oom),
		.line = line,
		.text = dup_text(text, &oom),
		.confirms = dup_or_null(confirms, &oom),
		.count = 1,
	};
	if (oom) {
		finding_clear(x);
		return -ENOMEM;
	}
	f->n++;
	return 0;
}

/* Errors, then warnings, then info; stable, so each severity keeps the scan order (logs in
 * the order they were read, lines in file order). At most FINDINGS_MAX entries. */
void findings_sort(struct findings *f)
{
	for (size_t i = 1; i < f->n; i++) {
		struct finding x = f->v[i];
		size_t k = i;
		while (k > 0 && f->v[k - 1].severity < x.severity) {
			f->v[k] = f->v[k - 1];
			k--;
		}
		f->v[k] = x;
	}
}

size_t findings_count(const struct findings *f, enum severity s)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].severity == s;
	return n;
}

size_t findings_confirming(const struct findings *f, const char *check, const struct finding **ret, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].confirms && strcmp(f->v[i].confirms, check) == 0) {
			if (n < max && ret)
				ret[n] = &f->v[i];
			n++;
		}
	return n;
}

void findings_clear(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		finding_clear(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}
