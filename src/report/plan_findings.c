#include "report/plan_findings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int append(char **msg, const struct finding *x)
{
	char *n = NULL;
	if (asprintf(&n, "%s (confirmed by the log: %s, %s line %lu)", *msg, x->id, x->source, x->line) < 0)
		return -ENOMEM;
	free(*msg);
	*msg = n;
	return 0;
}

static int contradiction(struct decision *d, const char *what, const struct finding *x)
{
	struct check_result *v = realloc(d->checks, (d->n_checks + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	d->checks = v;
	struct check_result *c = &v[d->n_checks];
	memset(c, 0, sizeof(*c));
	c->id = strdup("log-contradiction");
	c->severity = SEV_WARNING;
	c->passed = false;
	if (asprintf(&c->message, "%s, but the log says otherwise: %s at %s line %lu: %s", what, x->id, x->source,
		     x->line, x->text ? x->text : "") < 0)
		c->message = NULL;
	c->fix = strdup(x->fix ? x->fix : "look at the log line; the snapshot and the log disagree");
	d->n_checks++;
	return c->id && c->message && c->fix ? 0 : -ENOMEM;
}

int plan_apply_findings(struct decision *d, const struct findings *f)
{
	int rc = 0;
	size_t n0 = d->n_checks;
	for (size_t i = 0; f && i < f->n && rc == 0; i++) {
		const struct finding *x = &f->v[i];
		if (!x->confirms || x->severity < SEV_WARNING)
			continue;
		for (size_t k = 0; k < n0 && rc == 0; k++) {
			struct check_result *c = &d->checks[k];
			if (strcmp(c->id, x->confirms) != 0)
				continue;
			if (!c->passed) {
				rc = append(&c->message, x);
			} else {
				char what[160];
				snprintf(what, sizeof(what), "check %s passed", c->id);
				rc = contradiction(d, what, x);
			}
		}
		if (rc == 0 && d->profile && !d->refused && !strcmp(d->profile, x->confirms)) {
			char what[160];
			snprintf(what, sizeof(what), "%s was chosen", d->profile);
			rc = contradiction(d, what, x);
		}
		for (size_t r = 0; r < d->n_rejected && rc == 0; r++)
			for (size_t k = 0; k < d->rejected[r].reasons.n && rc == 0; k++) {
				char **reason = &d->rejected[r].reasons.v[k];
				size_t l = strlen(x->confirms);
				if (!strncmp(*reason, x->confirms, l) && (*reason)[l] == ':')
					rc = append(reason, x);
			}
	}
	return rc;
}
