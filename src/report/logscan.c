#include "report/logscan.h"

#include <errno.h>
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

void logscan_feed(struct logscan *ls, const void *buf, size_t n)
{
	const char *p = buf, *end = p + n;
	ls->st.bytes += n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		for (const char *q = p; q < stop; q++) {
			if (*q == 0) {
				ls->st.nul_bytes++;
				continue;
			}
			if (ls->len < LOGSCAN_MAX_LINE)
				ls->line[ls->len++] = *q;
			else
				ls->overflow = true;
		}
		ls->pending = true;
		if (!nl)
			break;
		scan_line(ls);
		ls->len = 0;
		ls->overflow = false;
		ls->pending = false;
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
