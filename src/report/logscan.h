/* Streaming log scanner: bytes in, findings out, in bounded memory whatever the input size.
 *
 * Speed: the complete lines of each buffer are searched in one pass for every literal of
 * the applicable signatures (signature_literals, litmatch.h) and for bytes that need
 * sanitising; only the lines holding one are copied, sanitised and matched with their
 * regexes, the others are only counted. A signature with no literal makes every line go
 * through its regex (correct, slower).
 *
 * Memory: one line buffer of LOGSCAN_MAX_LINE + 1 bytes, the literal matcher (under 80 KiB)
 * and, in logscan_fd, one read buffer of LOGSCAN_CHUNK bytes; findings are capped at
 * FINDINGS_MAX distinct (signature, source) pairs of at most FINDING_MAX_TEXT bytes of text
 * each (repeats are only counted). That is under 1 MiB for any log, plus the signatures
 * themselves. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "report/finding.h"
#include "report/litmatch.h"
#include "report/signature.h"
#include "util/err.h"

#define LOGSCAN_MAX_LINE 4096      /* longer lines are cut here (the rest skipped) and counted */
#define LOGSCAN_CHUNK (64u << 10)

struct logscan_stats {
	unsigned long long bytes;
	unsigned long lines;
	unsigned long truncated;     /* lines longer than LOGSCAN_MAX_LINE */
	unsigned long binary;        /* lines skipped as binary (mostly control bytes or invalid UTF-8) */
	unsigned long invalid_utf8;  /* lines scanned after replacing invalid bytes by '?' */
	unsigned long nul_bytes;     /* NUL bytes dropped */
};

/* Called for the (sanitised) lines that hold one of on_line_literals and for the first
 * on_line_head lines of a source, or for every line when the list is NULL (slower: then every line is copied and sanitised). Redaction learns host names here. */
typedef void (*logscan_line_fn)(void *user, const char *line, size_t len);

enum logscan_mode {
	LOGSCAN_UNPREPARED,
	LOGSCAN_EACH_LINE,   /* every line copied, sanitised and matched (a signature with no literal) */
	LOGSCAN_LITERALS,    /* one pass for every literal; only the lines holding one are matched */
	LOGSCAN_COUNT,       /* nothing to look for: lines are only counted */
};

struct logscan {
	const struct signature_set *sigs;
	enum log_kind kind;
	const char *source;
	struct findings *out;
	logscan_line_fn on_line;
	const char *const *on_line_literals;  /* NULL-terminated, each at least 3 bytes (the one-pass search skips by the shortest); on_line wants only the lines holding one; NULL: every line */
	unsigned on_line_head;        /* ... and the first lines of each source (a journal names its host on each) */
	void *user;
	bool each_line;               /* look at every line (tests: the reference for the fast path) */
	enum logscan_mode mode;       /* chosen at the first feed */
	struct litmatch *lm;          /* LOGSCAN_LITERALS: every applicable literal, on_line_literals */
	struct logscan_stats st;
	int error;                   /* first -errno from recording a finding */
	size_t len;
	bool overflow;
	bool pending;                /* bytes of an unterminated line are in `line` */
	char line[LOGSCAN_MAX_LINE + 1];
};

void logscan_init(struct logscan *ls, const struct signature_set *sigs, enum log_kind kind, const char *source,
		  struct findings *out);
void logscan_feed(struct logscan *ls, const void *buf, size_t n);
/* Scan the last line if it had no newline, free the matcher. Returns ls->error. */
int logscan_finish(struct logscan *ls);
/* Read FD to its end (a non-blocking FD stops at EAGAIN) and finish. -errno with E set. */
int logscan_fd(struct logscan *ls, int fd, struct err *e);
/* One record from /dev/kmsg ("pri,seq,ts,flags;text\n KEY=value..."): scans its text line. */
void logscan_kmsg_record(struct logscan *ls, const char *rec, size_t n);

/* Sanitise LINE in place (LEN bytes, no NUL): invalid UTF-8 and control bytes become '?'.
 * Returns the number of replaced bytes. Exposed for tests. */
size_t logscan_sanitize(char *line, size_t len);
