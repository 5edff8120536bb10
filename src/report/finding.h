/* A finding: one log line that matched a known signature (signatures/NN-*.ini). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "model/severity.h"

/* Matched text kept per finding; longer lines are cut (on a UTF-8 boundary). */
#define FINDING_MAX_TEXT 1024
/* Distinct findings kept per report; more are counted in findings.dropped. */
#define FINDINGS_MAX 256

struct finding {
	char *id;              /* the signature's id */
	enum severity severity;
	char *message;         /* the signature's diagnosis */
	char *fix;
	char *source;          /* "var/log/Xorg.0.log" (root-relative), "/dev/kmsg", "journalctl -k -b", or a --log path */
	unsigned long line;    /* 1-based line of the first match (kmsg: record number) */
	char *text;            /* that line, sanitised: valid UTF-8, no control characters */
	char *confirms;        /* check id or matrix row this line is evidence for; NULL */
	unsigned long count;   /* matching lines in this source; only the first is kept */
};

struct findings {
	struct finding *v;
	size_t n, cap;
	unsigned long dropped; /* matches not kept because FINDINGS_MAX was reached */
};


/* Record a match: an existing finding with the same id and source is counted, else a new one
 * is added (strings copied). -ENOMEM. */
int findings_add(struct findings *f, const char *id, enum severity sev, const char *message, const char *fix,
		 const char *confirms, const char *source, unsigned long line, const char *text);
/* Errors first, then warnings, then info; within a severity in scan order (stable). */
void findings_sort(struct findings *f);
size_t findings_count(const struct findings *f, enum severity s);
/* Findings that confirm CHECK (a check id or matrix row name), in order: the planner hook. */
size_t findings_confirming(const struct findings *f, const char *check, const struct finding **ret, size_t max);
void findings_clear(struct findings *f);
