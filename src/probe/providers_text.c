/* Parser for what 'xrandr --listproviders' prints (xrandr.c):
 *   Providers: number : 2
 *   Provider 0: id: 0x47 cap: 0xf, Source Output, Sink Output, Source Offload, Sink Offload crtcs: 3 outputs: 4 associated providers: 1 name:modesetting
 * or "RandR 1.4 not supported". Names run to the end of the line and may hold spaces. */
#include "probe/providers_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

#define MAX_PROVIDERS 256


struct cur {
	const char *p, *end;   /* the current line, without its newline */
	const char *source;
	unsigned line;
	struct err *e;
};

static int fail(struct cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cur *c, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(c->e, "%s:%u: %s", c->source, c->line, msg);
	return -EINVAL;
}

static bool lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool at(const struct cur *c, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(c->end - c->p) >= n && memcmp(c->p, s, n) == 0;
}

/* Unsigned 32-bit number in BASE (10 or 16); false when absent or too large. */
static bool num(struct cur *c, int base, unsigned *out)
{
	uint64_t v = 0;
	const char *s = c->p;
	while (c->p < c->end) {
		int d;
		char ch = *c->p;
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			break;
		v = v * (uint64_t)base + (uint64_t)d;
		if (v > UINT32_MAX)
			return false;
		c->p++;
	}
	if (c->p == s)
		return false;
	*out = (unsigned)v;
	return true;
}

/* What the line holds at the cursor, for messages: at most 40 printable bytes. */
static const char *here(const struct cur *c, char *buf, size_t size)
{
	size_t n = 0;
	if (c->p >= c->end)
		return "end of line";
	for (const char *q = c->p; q < c->end && n + 1 < size && n < 40; q++)
		buf[n++] = (*q >= 0x20 && *q < 0x7f) ? *q : '?';
	buf[n] = 0;
	return buf;
}

static int expect(struct cur *c, const char *s, const char *what)
{
	char b[48];
	if (lit(c, s))
		return 0;
	size_t rest = (size_t)(c->end - c->p);
	if (rest < strlen(s) && memcmp(c->p, s, rest) == 0)
		return fail(c, "truncated provider line: it ends before %s", what);
	return fail(c, "expected %s ('%s') but found '%s'", what, s, here(c, b, sizeof(b)));
}

static int expect_num(struct cur *c, int base, unsigned *out, const char *what)
{
	char b[48];
	if (num(c, base, out))
		return 0;
	if (c->p >= c->end)
		return fail(c, "truncated provider line: it ends before %s", what);
	return fail(c, "%s is not a %s number: '%s'", what, base == 16 ? "hexadecimal" : "decimal", here(c, b, sizeof(b)));
}

/* ", Source Output, Sink Offload" up to " crtcs:". */
static int cap_words_parse(struct cur *c, unsigned *bits)
{
	*bits = 0;
	while (lit(c, ", ")) {
		unsigned i;
		const char *w = NULL;
		for (i = 0; (w = provider_cap_word(1u << i)); i++) {
			size_t n = strlen(w);
			if ((size_t)(c->end - c->p) >= n && memcmp(c->p, w, n) == 0 &&
			    (c->p + n == c->end || c->p[n] == ',' || c->p[n] == ' '))
				break;
		}
		if (!w) {
			const char *stop = c->p;
			while (stop < c->end && *stop != ',' && !(c->end - stop >= 7 && memcmp(stop, " crtcs:", 7) == 0))
				stop++;
			int n = (int)(stop - c->p > 40 ? 40 : stop - c->p);
			return fail(c, "unknown capability word '%.*s' (known: Source Output, Sink Output, Source Offload, Sink Offload)",
				    n, c->p);
		}
		if (*bits & (1u << i))
			return fail(c, "capability '%s' listed twice", w);
		*bits |= 1u << i;
		c->p += strlen(w);
	}
	return 0;
}

static int provider_line(struct cur *c, unsigned want_index, struct randr_provider *pr)
{
	unsigned words;
	int rc;
	char b[48];

	if (!lit(c, "Provider "))
		return fail(c, "expected 'Provider %u: ...' but found '%s'", want_index, here(c, b, sizeof(b)));
	if ((rc = expect_num(c, 10, &pr->index, "the provider index")) < 0)
		return rc;
	if (pr->index != want_index)
		return fail(c, "provider index %u out of order, expected %u", pr->index, want_index);
	if ((rc = expect(c, ": id: 0x", "the id")) < 0 || (rc = expect_num(c, 16, &pr->id, "the id")) < 0)
		return rc;
	if ((rc = expect(c, " cap: 0x", "the capabilities")) < 0 ||
	    (rc = expect_num(c, 16, &pr->caps, "cap")) < 0)
		return rc;
	if ((rc = cap_words_parse(c, &words)) < 0)
		return rc;
	if (words != (pr->caps & 0xfu)) {
		char w[96], want[96];
		return fail(c, "cap 0x%x means '%s' but the line says '%s'", pr->caps,
			    provider_caps_text(pr->caps, want, sizeof(want)), provider_caps_text(words, w, sizeof(w)));
	}
	if ((rc = expect(c, " crtcs: ", "'crtcs:'")) < 0 || (rc = expect_num(c, 10, &pr->crtcs, "crtcs")) < 0)
		return rc;
	if ((rc = expect(c, " outputs: ", "'outputs:'")) < 0 || (rc = expect_num(c, 10, &pr->outputs, "outputs")) < 0)
		return rc;
	if ((rc = expect(c, " associated providers: ", "'associated providers:'")) < 0 ||
	    (rc = expect_num(c, 10, &pr->associated, "associated providers")) < 0)
		return rc;
	if ((rc = expect(c, " name:", "'name:'")) < 0)
		return rc;
	pr->name = strndup(c->p, (size_t)(c->end - c->p));
	if (!pr->name)
		return -ENOMEM;
	c->p = c->end;
	return 0;
}

/* Advance to the next line; false at the end of the text. Strips a trailing '\r'. */
static bool next_line(struct cur *c, const char **pos, const char *text_end)
{
	if (*pos >= text_end)
		return false;
	const char *nl = memchr(*pos, '\n', (size_t)(text_end - *pos));
	c->p = *pos;
	c->end = nl ? nl : text_end;
	*pos = nl ? nl + 1 : text_end;
	if (c->end > c->p && c->end[-1] == '\r')
		c->end--;
	c->line++;
	return true;
}

/* What people paste around a listing: the indentation of a Markdown code block or a mail, '>'
 * quote marks, trailing blanks. Strips them from the current line. */
static void strip_paste(struct cur *c)
{
	for (;;) {
		while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
			c->p++;
		if (c->p < c->end && *c->p == '>')
			c->p++;
		else
			break;
	}
	while (c->end > c->p && (c->end[-1] == ' ' || c->end[-1] == '\t'))
		c->end--;
}

static bool contains(const struct cur *c, const char *s)
{
	return memmem(c->p, (size_t)(c->end - c->p), s, strlen(s)) != NULL;
}

/* A line that is not part of the listing: blank, a '#' comment (or a root prompt), a Markdown
 * fence, or the command line that printed it ("$ xrandr --listproviders", "user@host:~$ xrandr"). */
static bool skipped(const struct cur *c)
{
	return c->p == c->end || at(c, "#") || at(c, "```") || at(c, "~~~") || contains(c, "xrandr --listproviders") ||
	       contains(c, "xrandr --version") || at(c, "xrandr program version");
}

/* The next line that belongs to the listing, stripped; false at the end. */
static bool next_content(struct cur *c, const char **pos, const char *end)
{
	while (next_line(c, pos, end)) {
		strip_paste(c);
		if (!skipped(c))
			return true;
	}
	return false;
}

/* A line a terminal (or a mail client) wrapped: what follows a provider line and is not the
 * start of another line of the listing. */
static bool continuation(const struct cur *c)
{
	return !at(c, "Provider ") && !at(c, "Providers:") && !at(c, "Server reports RandR version") &&
	       !at(c, "RandR 1.4 not supported");
}

#define MAX_PIECES 8

/* One provider line, maybe wrapped into PIECES: a wrap either cut the line inside a word or
 * replaced a blank, so each join is tried without and then with a blank; the first reading
 * that parses wins. Errors are those of the reading without blanks. */
static int provider_pieces(struct cur *c, const struct cur *pieces, size_t n, unsigned want_index, struct randr_provider *pr)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += (size_t)(pieces[i].end - pieces[i].p) + 1;
	_cleanup_free_ char *joined = malloc(total + 1);
	if (!joined)
		return -ENOMEM;
	struct err first = {0}, *e = c->e;
	int first_rc = 0;
	for (unsigned mask = 0; mask < (1u << (n - 1)); mask++) {
		size_t len = 0;
		for (size_t i = 0; i < n; i++) {
			if (i && (mask & (1u << (i - 1))))
				joined[len++] = ' ';
			memcpy(joined + len, pieces[i].p, (size_t)(pieces[i].end - pieces[i].p));
			len += (size_t)(pieces[i].end - pieces[i].p);
		}
		struct cur t = { .p = joined, .end = joined + len, .source = c->source, .line = pieces[0].line, .e = e };
		struct randr_provider r = {0};
		int rc = provider_line(&t, want_index, &r);
		if (rc == 0) {
			*pr = r;
			return 0;
		}
		free(r.name);
		if (rc == -ENOMEM)
			return rc;
		if (mask == 0) {
			first = *e;
			first_rc = rc;
		}
		if (n == 1)
			break;
	}
	*e = first;
	return first_rc;
}

static int parse(const char *text, size_t len, struct cur *c, struct providers *p)
{
	const char *pos = text, *end = text + len;
	unsigned count = 0;
	bool header = false, counted = true, have = false;
	char b[48];
	int rc;

	if (memchr(text, 0, len)) {
		c->line = 1;
		for (const char *q = text; q < text + len && *q; q++)
			c->line += *q == '\n';
		return fail(c, "NUL byte: this is not text from 'xrandr --listproviders'");
	}
	while ((have = next_content(c, &pos, end))) {
		if (lit(c, "Server reports RandR version ")) {
			const char *s = c->p;
			unsigned maj, min;
			if (!num(c, 10, &maj) || !lit(c, ".") || !num(c, 10, &min) || c->p != c->end)
				return fail(c, "RandR version is not MAJOR.MINOR: '%s'", here(c, b, sizeof(b)));
			free(p->randr_version);
			if (!(p->randr_version = strndup(s, (size_t)(c->end - s))))
				return -ENOMEM;
			continue;
		}
		if (lit(c, "RandR 1.4 not supported")) {
			p->supported = false;
			header = true;
			have = false;
			break;
		}
		if (at(c, "Provider 0:")) {
			/* the listing without its 'Providers: number : N' line: count what follows */
			counted = false;
			count = MAX_PROVIDERS;
			p->supported = true;
			header = true;
			break;
		}
		if (!lit(c, "Providers: number : "))
			return fail(c, "expected 'Providers: number : N' (what 'xrandr --listproviders' prints first) but found '%s'",
				    here(c, b, sizeof(b)));
		if (!num(c, 10, &count) || c->p != c->end)
			return fail(c, "provider count is not a number: '%s'", here(c, b, sizeof(b)));
		if (count > MAX_PROVIDERS)
			return fail(c, "%u providers is more than the %d this tool accepts", count, MAX_PROVIDERS);
		p->supported = true;
		header = true;
		have = false;
		break;
	}
	if (!header) {
		c->line = c->line ? c->line : 1;
		return fail(c, "no 'Providers: number : N' line: is this the output of 'xrandr --listproviders'?");
	}
	if (count && !(p->v = calloc(count, sizeof(*p->v))))
		return -ENOMEM;
	unsigned header_line = c->line;
	/* HAVE: the current line (the first provider line of a listing without header) is unread */
	while (have || next_content(c, &pos, end)) {
		have = false;
		if (p->n == count) {
			if (!p->supported)
				return fail(c, "unexpected text after 'RandR 1.4 not supported': '%s'", here(c, b, sizeof(b)));
			if (at(c, "Provider "))
				return fail(c, counted ? "more provider lines than the %u that line %u announces"
						       : "more than %u provider lines", count, header_line);
			return fail(c, "unexpected text after the last provider: '%s'", here(c, b, sizeof(b)));
		}
		if (!at(c, "Provider "))
			return fail(c, "expected 'Provider %zu: ...' but found '%s'", p->n, here(c, b, sizeof(b)));
		struct cur pieces[MAX_PIECES];
		size_t n = 0;
		pieces[n++] = *c;
		unsigned last_line = c->line;
		while (next_content(c, &pos, end)) {
			if (!continuation(c)) {
				have = true;
				break;
			}
			if (n == MAX_PIECES)
				return fail(c, "provider line %u is wrapped into more than %d lines", pieces[0].line, MAX_PIECES);
			pieces[n++] = *c;
			last_line = c->line;
		}
		unsigned next_line_no = c->line;
		struct randr_provider *pr = &p->v[p->n];
		rc = provider_pieces(c, pieces, n, (unsigned)p->n, pr);
		p->n++;   /* so providers_clear frees a partly filled entry */
		if (rc < 0)
			return rc;
		c->line = pieces[0].line;
		for (size_t i = 0; i + 1 < p->n; i++)
			if (p->v[i].id == pr->id)
				return fail(c, "provider id 0x%x is also provider %zu's", pr->id, i);
		c->line = have ? next_line_no : last_line;
	}
	if (counted && p->n < count) {
		c->line++;
		return fail(c, "truncated listing: line %u announces %u providers but %zu follow", header_line, count, p->n);
	}
	return 0;
}

int providers_parse_text(const char *text, size_t len, const char *source, struct providers *out, struct err *e)
{
	struct providers p = {0};
	struct cur c = { .source = source ? source : "<providers>", .e = e };
	int rc = parse(text ? text : "", text ? len : 0, &c, &p);
	if (rc == 0 && !(p.source = strdup(c.source)))
		rc = -ENOMEM;
	if (rc < 0) {
		if (rc == -ENOMEM)
			err_set(e, "%s: out of memory", c.source);
		providers_clear(&p);
		return rc;
	}
	*out = p;
	return 0;
}
