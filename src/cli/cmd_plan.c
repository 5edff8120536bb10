/* plan: which topology works here and why; what apply would write. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "plan/plan_json.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"

static const char *mark(const struct options *o, const struct check_result *c)
{
	if (c->passed)
		return o->color ? "\033[32mok\033[0m     " : "ok     ";
	switch (c->severity) {
	case SEV_ERROR: return o->color ? "\033[31merror\033[0m  " : "error  ";
	case SEV_WARNING: return o->color ? "\033[33mwarning\033[0m" : "warning";
	case SEV_INFO: return "info   ";
	default: return "unknown";
	}
}

void cli_print_decision(FILE *f, const struct options *o, const struct decision *d)
{
	if (d->refused)
		fprintf(f, "%sRefused%s: %s\n", o->color ? "\033[1;31m" : "", o->color ? "\033[0m" : "", d->explanation);
	if (d->profile)
		fprintf(f, "Profile: %s (%s)\n  %s\n", d->profile, d->status, d->summary);
	if (d->refused && d->fix) {
		fputs("Fix:\n  ", f);
		cli_put_indented(f, d->fix, 2);
		fputc('\n', f);
	}
	if (d->n_checks)
		fputs("Checks:\n", f);
	for (size_t i = 0; i < d->n_checks; i++) {
		const struct check_result *c = &d->checks[i];
		fprintf(f, "  %s  %s: %s\n", mark(o, c), c->id, c->message);
		if (c->fix) {
			fputs("           fix: ", f);
			cli_put_indented(f, c->fix, 16);
			fputc('\n', f);
		}
	}
	if (d->n_rejected)
		fputs("Not chosen:\n", f);
	for (size_t i = 0; i < d->n_rejected; i++) {
		const struct rejection *r = &d->rejected[i];
		fprintf(f, "  %s (%s): %s\n", r->profile, r->status, r->reasons.n ? r->reasons.v[0] : "");
		for (size_t k = 1; k < r->reasons.n; k++)
			fprintf(f, "      %s\n", r->reasons.v[k]);
	}
	if (d->offload_env.n) {
		fputs("Render offload environment ('optimus-guest run CMD'):", f);
		for (size_t i = 0; i < d->offload_env.n; i++)
			fprintf(f, " %s", d->offload_env.v[i]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < d->n_links; i++)
		fprintf(f, "Session start ('optimus-guest session'): %s of %s is %s\n", d->links[i].kind,
			d->links[i].provider, d->links[i].target);
}

static void print_files(FILE *f, const struct rendered *r)
{
	if (!r->n_files) {
		fputs("apply would write no Xorg configuration (and remove any it wrote before).\n", f);
		return;
	}
	for (size_t i = 0; i < r->n_files; i++) {
		fprintf(f, "apply would write /etc/X11/xorg.conf.d/%s:\n", r->files[i].name);
		const char *p = r->files[i].content;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			fprintf(f, "    %.*s\n", (int)n, p);
			p += n + (nl != NULL);
		}
	}
}

const struct option cli_plan_options[] = { { NULL, 0, NULL, 0 } };

int cmd_plan(struct options *o, int argc, char **argv)
{
	int c;
	while ((c = getopt_long(argc, argv, "", cli_plan_options, NULL)) != -1)
		return cli_usage_error(o, "plan", "unknown option '%s'", argv[optind - 1]);
	if (argc - optind > 1)
		return cli_usage_error(o, "plan", "more than one profile named");
	const char *only = optind < argc ? argv[optind] : NULL;

	_cleanup_(plan_run_clear) struct plan_run pr = {0};
	int rc = cli_plan(o, only, &pr);
	if (rc != EXIT_OK)
		return rc;
	if (o->json) {
		json_t *j = decision_to_json(&pr.d);
		json_t *files = json_array();
		for (size_t i = 0; i < pr.r.n_files; i++)
			json_array_append_new(files, json_pack("{s:o, s:o}", "path", json_text(pr.r.files[i].name), "content",
							       json_text(pr.r.files[i].content)));
		json_object_set_new(j, "writes", files);
		/* what apply would say instead of writing (its exit status is plan's) */
		const char *blocker = cli_apply_blocker(&pr.d);
		json_object_set_new(j, "apply_refused", json_text(blocker));
		char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (!text)
			return EXIT_FAIL;
		puts(text);
		free(text);
	} else {
		cli_print_decision(stdout, o, &pr.d);
		if (!pr.d.refused)
			print_files(stdout, &pr.r);
	}
	if (fflush(stdout) != 0)
		return EXIT_FAIL;
	if (pr.d.refused)
		return EXIT_REFUSED;
	const char *blocker = cli_apply_blocker(&pr.d);
	if (blocker) {  /* apply would refuse: say so with its words and exit status */
		cli_print_blocker(o, "", blocker);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}
