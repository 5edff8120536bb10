/* The report's summary, redaction learning, and the JSON form. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/finding.h"
#include "plan/plan_json.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"

void report_learn(struct redactor *r, const struct report_input *in)
{
	if (!r->enabled)
		return;
	json_t *j = snapshot_to_json(in->snap);
	if (j) {
		redact_learn_json(r, j);
		json_decref(j);
	}
	const struct log_scan *ls = in->logs;
	for (size_t i = 0; i < ls->findings.n; i++) {
		const struct finding *f = &ls->findings.v[i];
		redact_learn_text(r, f->text, strlen(f->text));
		redact_learn_text(r, f->source, strlen(f->source));
	}
	for (size_t i = 0; i < ls->n; i++) {
		redact_learn_text(r, ls->v[i].name, strlen(ls->v[i].name));
		if (ls->v[i].note)
			redact_learn_text(r, ls->v[i].note, strlen(ls->v[i].note));
	}
}

char *report_summary(const struct report_input *in)
{
	struct buf b = {0};
	const struct decision *d = in->decision;
	if (!d)
		buf_printf(&b, "no decision (%s)", in->plan_error ? in->plan_error : "the planner did not run");
	else if (d->refused && d->profile)
		buf_printf(&b, "refused: %s (%s)", d->profile, d->status ? d->status : "?");
	else if (d->refused)
		buf_puts(&b, "refused: nothing in the matrix works on this guest");
	else
		buf_printf(&b, "profile %s (%s)", d->profile ? d->profile : "?", d->status ? d->status : "?");
	if (d) {
		size_t failed = 0;
		for (size_t i = 0; i < d->n_checks; i++)
			failed += !d->checks[i].passed && d->checks[i].severity == SEV_ERROR;
		if (failed)
			buf_printf(&b, ", %zu failed check%s", failed, failed > 1 ? "s" : "");
	}
	const struct findings *f = &in->logs->findings;
	size_t ne = findings_count(f, SEV_ERROR), nw = findings_count(f, SEV_WARNING), ni = findings_count(f, SEV_INFO);
	buf_printf(&b, "; logs: %zu error%s, %zu warning%s, %zu info", ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", ni);
	size_t shown = 0;
	for (size_t i = 0; i < f->n && shown < 3; i++)
		if (f->v[i].severity == SEV_ERROR)
			buf_printf(&b, "%s%s", shown++ ? ", " : " (", f->v[i].id);
	if (ne > shown)
		buf_printf(&b, ", %zu more", ne - shown);
	if (shown)
		buf_puts(&b, ")");
	return buf_steal(&b);
}

enum evidence report_evidence(const struct decision *d, const struct finding *f)
{
	if (!d || !f->confirms || f->severity == SEV_INFO)
		return EV_UNRELATED;
	size_t n = strlen(f->confirms);
	for (size_t i = 0; i < d->n_checks; i++)
		if (strcmp(d->checks[i].id, f->confirms) == 0)
			return d->checks[i].passed ? EV_CONTRADICTS : EV_AGREES;
	if (d->profile && strcmp(d->profile, f->confirms) == 0)
		return d->refused ? EV_AGREES : EV_CONTRADICTS;
	for (size_t i = 0; i < d->n_rejected; i++) {
		const struct rejection *r = &d->rejected[i];
		if (strcmp(r->profile, f->confirms) == 0)
			return EV_AGREES;
		/* a failed check is a reason ("check-id: message") why a row was not chosen */
		for (size_t k = 0; k < r->reasons.n; k++)
			if (strncmp(r->reasons.v[k], f->confirms, n) == 0 && r->reasons.v[k][n] == ':')
				return EV_AGREES;
	}
	return EV_UNRELATED;
}

const char *report_evidence_words(enum evidence ev)
{
	switch (ev) {
	case EV_UNRELATED: return "not part of this decision";
	case EV_AGREES: return "agrees with the decision";
	case EV_CONTRADICTS: return "contradicts the decision: look closer";
	default: return "unknown";
	}
}

static json_t *redacted_str(struct redactor *r, const char *s)
{
	if (!s)
		return json_null();
	_cleanup_free_ char *t = redact_text(r, s);
	return t ? json_text(t) : NULL;
}

static json_t *stats_json(const struct log_source *s, struct redactor *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", redacted_str(r, s->name));
	json_object_set_new(o, "kind", json_string(log_kind_name(s->kind)));
	json_object_set_new(o, "bytes", json_integer((json_int_t)s->st.bytes));
	json_object_set_new(o, "lines", json_integer((json_int_t)s->st.lines));
	json_object_set_new(o, "truncated_lines", json_integer((json_int_t)s->st.truncated));
	json_object_set_new(o, "binary_lines", json_integer((json_int_t)s->st.binary));
	json_object_set_new(o, "invalid_utf8_lines", json_integer((json_int_t)s->st.invalid_utf8));
	json_object_set_new(o, "nul_bytes", json_integer((json_int_t)s->st.nul_bytes));
	json_object_set_new(o, "note", redacted_str(r, s->note));
	return o;
}

json_t *report_json(const struct report_input *in)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	char tool[64];
	snprintf(tool, sizeof(tool), "optimus-guest %s", in->version ? in->version : "?");
	json_object_set_new(o, "report_version", json_integer(1));
	json_object_set_new(o, "tool", json_string(tool));
	_cleanup_free_ char *summary = report_summary(in);
	json_object_set_new(o, "summary", json_str_or_null(summary));

	json_t *snap = snapshot_to_json(in->snap);
	if (snap)
		redact_json(in->red, snap);
	json_object_set_new(o, "snapshot", snap ? snap : json_null());
	json_object_set_new(o, "decision", in->decision ? decision_to_json(in->decision) : json_null());
	if (!in->decision)
		json_object_set_new(o, "decision_error", json_str_or_null(in->plan_error));

	json_t *fa = json_array();
	const struct findings *f = &in->logs->findings;
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		json_t *j = json_object();
		json_object_set_new(j, "id", json_string(x->id));
		json_object_set_new(j, "severity", json_string(severity_name(x->severity)));
		json_object_set_new(j, "message", json_text(x->message));
		json_object_set_new(j, "fix", json_text(x->fix));
		json_object_set_new(j, "source", redacted_str(in->red, x->source));
		json_object_set_new(j, "line", json_integer((json_int_t)x->line));
		json_object_set_new(j, "text", redacted_str(in->red, x->text));
		json_object_set_new(j, "confirms", json_str_or_null(x->confirms));
		if (x->confirms && in->decision) {
			static const char *const ev[] = { "unrelated", "agrees", "contradicts" };
			json_object_set_new(j, "evidence", json_string(ev[report_evidence(in->decision, x)]));
		}
		json_object_set_new(j, "count", json_integer((json_int_t)x->count));
		json_array_append_new(fa, j);
	}
	json_object_set_new(o, "findings", fa);
	json_object_set_new(o, "findings_dropped", json_integer((json_int_t)f->dropped));
	json_t *la = json_array();
	for (size_t i = 0; i < in->logs->n; i++)
		json_array_append_new(la, stats_json(&in->logs->v[i], in->red));
	json_object_set_new(o, "logs", la);

	json_t *red = json_object();
	json_object_set_new(red, "enabled", json_boolean(in->red->enabled));
	static const char *const keys[RK__N] = { "host_names", "user_names", "mac_addresses", "serial_numbers", "uuids", "ip_addresses" };
	for (int k = 0; k < RK__N; k++)
		json_object_set_new(red, keys[k], json_integer((json_int_t)redact_count(in->red, (enum redact_kind)k)));
	json_object_set_new(o, "redaction", red);
	return o;
}
