/* report: snapshot, decision and log findings for a person (Markdown for a GitHub issue)
 * or a program (JSON). Reads only what it is given; redaction applies to every value taken
 * from the guest (device data, paths, log lines), never to our own words. */
#pragma once
#include <jansson.h>

#include "report/finding.h"
#include "report/logsrc.h"
#include "plan/plan.h"
#include "report/redact.h"
#include "model/snapshot.h"
#include "util/buf.h"

struct report_input {
	const struct snapshot *snap;
	const struct decision *decision;  /* NULL when there is none */
	const char *plan_error;           /* why there is no decision */
	const struct log_scan *logs;
	struct redactor *red;             /* learnt already (report_learn) */
	const char *version;
};

/* Teach the redactor everything the report will show. */
void report_learn(struct redactor *r, const struct report_input *in);
/* One line: the decision and the log verdict. Caller frees. */
char *report_summary(const struct report_input *in);
int report_markdown(const struct report_input *in, struct buf *out);
json_t *report_json(const struct report_input *in);

/* How a finding's `confirms` relates to the decision: the planner hook as the report shows it. */
enum evidence {
	EV_UNRELATED,        /* names a check or row the decision does not mention */
	EV_AGREES,           /* a failed check of the chosen profile, or a rejected row: the log agrees */
	EV_CONTRADICTS,      /* a passed check, or the chosen row itself: the log disagrees, look closer */
};
enum evidence report_evidence(const struct decision *d, const struct finding *f);
const char *report_evidence_words(enum evidence ev);

/* Words for raw values. */
const char *report_class_name(unsigned class24);
const char *report_vendor_name(unsigned vendor);
const char *report_severity_icon(enum severity s);
