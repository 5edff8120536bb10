#include "report/logscan.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"

void logscan_init(struct logscan *ls, const struct signature_set *sigs, enum log_kind kind, const char *source,
		  struct findings *out)
{
	memset(ls, 0, offsetof(struct logscan, line));
	ls->sigs = sigs;
	ls->kind = kind;
	ls->source = source;
	ls->out = out;
	ls->line[0] = 0;
}

/* Length of the valid UTF-8 sequence at S (N bytes left), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned cp;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t logscan_sanitize(char *line, size_t len)
{
	unsigned char *s = (unsigned char *)line;
	size_t bad = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] < 0x20 || s[i] == 0x7f) {
			if (s[i] != '\t') {
				s[i] = '?';
				bad++;
			}
			i++;
			continue;
		}
		size_t k = utf8_seq(s + i, len - i);
		if (k == 0) {
			s[i++] = '?';
			bad++;
		} else {
			i += k;
		}
	}
	return bad;
}

static void scan_line(struct logscan *ls)
{
	size_t n = ls->len;
	ls->st.lines++;
	if (ls->overflow)
		ls->st.truncated++;
	if (n && ls->line[n - 1] == '\r')
		n--;
	ls->line[n] = 0;
	size_t bad = logscan_sanitize(ls->line, n);
	if (bad && bad * 4 > n) {
		ls->st.binary++;
		return;
	}
	if (bad)
		ls->st.invalid_utf8++;
	if (ls->on_line)
		ls->on_line(ls->user, ls->line, n);
	for (size_t i = 0; i < ls->sigs->n; i++) {
		const struct signature *s = &ls->sigs->v[i];
		if (!signature_applies(s, ls->kind) || !signature_match(s, ls->line, n))
			continue;
		int rc = findings_add(ls->out, s->id, s->severity, s->diagnosis, s->fix, s->confirms, ls->source,
				      ls->st.lines, ls->line);
		if (rc < 0 && !ls->error)
			ls->error = rc;
	}
}

/* Append N bytes of a line to the line buffer: NULs dropped, the rest cut at LOGSCAN_MAX_LINE. */
static void append(struct logscan *ls, const char *p, size_t n)
{
	const char *end = p + n;
	while (p < end) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		size_t k = (size_t)((z ? z : end) - p), room = LOGSCAN_MAX_LINE - ls->len;
		if (k > room) {
			ls->overflow = true;
			k = room;
		}
		memcpy(ls->line + ls->len, p, k);
		ls->len += k;
		if (!z)
			break;
		ls->st.nul_bytes++;
		p = z + 1;
	}
	ls->pending = true;
}

static void end_line(struct logscan *ls)
{
	scan_line(ls);
	ls->len = 0;
	ls->overflow = false;
	ls->pending = false;
}

/* Choose how to scan: the literal matcher when every applicable signature has literals. */
static void prepare(struct logscan *ls)
{
	ls->mode = LOGSCAN_EACH_LINE;
	if (ls->each_line || (ls->on_line && !ls->on_line_literals))
		return;
	size_t n = 0;
	for (size_t i = 0; i < ls->sigs->n; i++) {
		const struct signature *s = &ls->sigs->v[i];
		if (!signature_applies(s, ls->kind))
			continue;
		if (!s->n_literals)
			return;
		n += s->n_literals;
	}
	for (size_t j = 0; ls->on_line && ls->on_line_literals[j]; j++)
		n++;
	if (n == 0) {
		ls->mode = LOGSCAN_COUNT;
		return;
	}
	_cleanup_free_ const char **lits = calloc(n, sizeof(*lits));
	_cleanup_free_ size_t *lens = calloc(n, sizeof(*lens));
	struct litmatch *lm = malloc(sizeof(*lm));
	if (!lits || !lens || !lm) {
		free(lm);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < ls->sigs->n; i++) {
		const struct signature *s = &ls->sigs->v[i];
		if (!signature_applies(s, ls->kind))
			continue;
		for (size_t j = 0; j < s->n_literals; j++) {
			lits[k] = s->literals[j];
			lens[k++] = s->literal_len[j];
		}
	}
	for (size_t j = 0; ls->on_line && ls->on_line_literals[j]; j++) {
		lits[k] = ls->on_line_literals[j];
		lens[k++] = strlen(ls->on_line_literals[j]);
	}
	if (litmatch_build(lm, lits, lens, k) < 0) {
		free(lm);
		return;
	}
	ls->lm = lm;
	ls->mode = LOGSCAN_LITERALS;
}

typedef unsigned char v16u __attribute__((vector_size(16)));
typedef signed char v16s __attribute__((vector_size(16)));

static bool needs_sanitising(unsigned char c)
{
	return (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f;
}

/* The first byte in [P, E) that sanitising would change (or that is a NUL or a '\r'), or NULL.
 * Sixteen bytes at a time (GNU vector extension: SSE2 on x86-64, plain code elsewhere). */
static const char *find_unclean(const char *p, const char *e)
{
	while (e - p >= 16) {
		v16u x;
		memcpy(&x, p, 16);
		v16s bad = ((x < 0x20) & (x != '\n') & (x != '\t')) | (x >= 0x7f);
		uint64_t lo, hi;
		memcpy(&lo, &bad, 8);
		memcpy(&hi, (const char *)&bad + 8, 8);
		if (lo | hi)
			break;
		p += 16;
	}
	for (; p < e; p++)
		if (needs_sanitising((unsigned char)*p))
			return p;
	return NULL;
}

/* Complete lines [P, E) (E just past a '\n'). The lines holding a literal or a byte to
 * sanitise are scanned one by one; the others are counted. */
static void scan_block(struct logscan *ls, const char *p, const char *e)
{
	const char *hit = NULL, *unclean = NULL;
	bool hit_known = false, unclean_known = false;
	while (p < e) {
		if (ls->on_line && ls->st.lines < ls->on_line_head) {   /* the head of a source: every line */
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			append(ls, p, (size_t)(nl - p));
			end_line(ls);
			p = nl + 1;
			continue;
		}
		if (!hit_known || (hit && hit < p)) {
			hit = ls->mode == LOGSCAN_LITERALS ? litmatch_find(ls->lm, p, e) : NULL;
			hit_known = true;
		}
		if (!unclean_known || (unclean && unclean < p)) {
			unclean = find_unclean(p, e);
			unclean_known = true;
		}
		const char *ev = hit && (!unclean || hit < unclean) ? hit : unclean;
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			if (ev && nl >= ev) {
				append(ls, p, (size_t)(nl - p));
				end_line(ls);
				p = nl + 1;
				break;
			}
			ls->st.lines++;
			if ((size_t)(nl - p) > LOGSCAN_MAX_LINE)
				ls->st.truncated++;
			p = nl + 1;
			if (p >= e)
				break;
		}
	}
}

void logscan_feed(struct logscan *ls, const void *buf, size_t n)
{
	const char *p = buf, *end = p + n;
	ls->st.bytes += n;
	if (ls->mode == LOGSCAN_UNPREPARED)
		prepare(ls);
	if (ls->pending) {   /* the rest of a line begun in an earlier buffer */
		const char *nl = memchr(p, '\n', n);
		append(ls, p, (size_t)((nl ? nl : end) - p));
		if (!nl)
			return;
		end_line(ls);
		p = nl + 1;
	}
	const char *last = p < end ? memrchr(p, '\n', (size_t)(end - p)) : NULL;
	if (last && ls->mode != LOGSCAN_EACH_LINE) {
		scan_block(ls, p, last + 1);
		p = last + 1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		append(ls, p, (size_t)((nl ? nl : end) - p));
		if (!nl)
			break;
		end_line(ls);
		p = nl + 1;
	}
}

int logscan_finish(struct logscan *ls)
{
	if (ls->pending && (ls->len || ls->overflow))
		scan_line(ls);
	ls->len = 0;
	ls->overflow = false;
	ls->pending = false;
	free(ls->lm);
	ls->lm = NULL;
	ls->mode = LOGSCAN_UNPREPARED;
	return ls->error;
}

int logscan_fd(struct logscan *ls, int fd, struct err *e)
{
	_cleanup_free_ char *chunk = malloc(LOGSCAN_CHUNK);
	if (!chunk)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, chunk, LOGSCAN_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			int errsv = errno;
			err_set(e, "cannot read '%s': %s (after %llu bytes)", ls->source, strerror(errsv), ls->st.bytes);
			logscan_finish(ls);
			return -errsv;
		}
		if (n == 0)
			break;
		logscan_feed(ls, chunk, (size_t)n);
	}
	return logscan_finish(ls);
}

void logscan_kmsg_record(struct logscan *ls, const char *rec, size_t n)
{
	const char *semi = memchr(rec, ';', n);
	if (!semi)
		return;
	const char *text = semi + 1;
	const char *nl = memchr(text, '\n', n - (size_t)(text - rec));
	size_t len = nl ? (size_t)(nl - text) : n - (size_t)(text - rec);
	logscan_feed(ls, text, len);
	logscan_feed(ls, "\n", 1);
}
