/* Streaming log scanner: bytes in, findings out, in bounded memory whatever the input size.
 *
 * Memory: one line buffer of LOGSCAN_MAX_LINE + 1 bytes and, in logscan_fd, one read buffer
 * of LOGSCAN_CHUNK bytes; findings are capped at FINDINGS_MAX distinct (signature, source)
 * pairs of at most FINDING_MAX_TEXT bytes of text each (repeats are only counted). That is
 * under 1 MiB for any log, plus the signatures themselves. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "report/finding.h"
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

/* Called for every scanned (sanitised) line: redaction learns host and user names here. */
typedef void (*logscan_line_fn)(void *user, const char *line, size_t len);

struct logscan {
	const struct signature_set *sigs;
	enum log_kind kind;
	const char *source;
	struct findings *out;
	logscan_line_fn on_line;
	void *user;
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
/* Scan the last line if it had no newline. Returns ls->error. */
int logscan_finish(struct logscan *ls);
/* Read FD to its end (a non-blocking FD stops at EAGAIN) and finish. -errno with E set. */
int logscan_fd(struct logscan *ls, int fd, struct err *e);
/* One record from /dev/kmsg ("pri,seq,ts,flags;text\n KEY=value..."): scans its text line. */
void logscan_kmsg_record(struct logscan *ls, const char *rec, size_t n);

/* Sanitise LINE in place (LEN bytes, no NUL): invalid UTF-8 and control bytes become '?'.
 * Returns the number of replaced bytes. Exposed for tests. */
size_t logscan_sanitize(char *line, size_t len);
