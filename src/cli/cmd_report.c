/* report: one thing to attach to a bug — the guest, the decision, the log findings. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/conventions.h"
#include "report/plan_findings.h"
#include "report/logsrc.h"
#include "report/redact.h"
#include "report/report.h"
#include "report/signature.h"
#include "util/cleanup.h"
#include "util/fileio.h"

#ifndef VERSION
#define VERSION "0.0.0"
#endif

struct learn_ctx {
	struct redactor *red;
};

/* Redaction learns from the few log lines that give a host or user name away but are not
 * findings; the scanner hands over only the lines that hold one of these, and the first
 * LEARN_HEAD lines of each log (a journal names its host on every line). */
/* Long ones only: they join the signatures' literals in the scanner's one-pass search,
 * which skips by the shortest; a lone "@" made the scan of a 100 MB log 13 times slower
 * than grep (":~$" still twice as slow as without). A shell prompt is learnt in the head of
 * a log (LEARN_HEAD lines, where pasted commands sit) and on every line the report quotes. */
static const char *const learn_literals[] = { "Current Operating System: ", "-nixos-system-", "for user ", "username '",
					     NULL };
#define LEARN_HEAD 64
static void learn_line(void *user, const char *line, size_t len)
{
	struct learn_ctx *c = user;
	/* Xorg's "Current Operating System: Linux HOST", a shell prompt "user@host:~$", a NixOS
	 * store path "-nixos-system-HOST-", display managers' "for user NAME" / "username 'NAME'",
	 * journal lines of other time stamp shapes ("Nov 30 10:01:02.123456 HOST", "[ 2.6] HOST") */
	for (size_t i = 0; learn_literals[i]; i++)
		if (memmem(line, len, learn_literals[i], strlen(learn_literals[i]))) {
			redact_learn_text(c->red, line, len);
			return;
		}
	if ((len > 16 && line[15] == '.') || (len > 1 && line[0] == '[') || memchr(line, '@', len))
		redact_learn_text(c->red, line, len);
}

/* The planner notes log evidence in its checks; it quotes the log's source and line, so
 * hand it those already redacted (the report prints check messages as its own text). */
static int apply_findings(struct decision *d, const struct findings *f, struct redactor *red)
{
	struct findings copy = { .n = f->n };
	int rc = 0;
	copy.v = calloc(f->n + 1, sizeof(*copy.v));
	if (!copy.v)
		return -ENOMEM;
	for (size_t i = 0; i < f->n; i++) {
		copy.v[i] = f->v[i];
		copy.v[i].source = redact_text(red, f->v[i].source);
		copy.v[i].text = redact_text(red, f->v[i].text ? f->v[i].text : "");
		if (!copy.v[i].source || !copy.v[i].text)
			rc = -ENOMEM;
	}
	if (rc == 0)
		rc = plan_apply_findings(d, &copy);
	for (size_t i = 0; i < f->n; i++) {
		free(copy.v[i].source);
		free(copy.v[i].text);
	}
	free(copy.v);
	return rc;
}

const struct option cli_report_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "log", required_argument, NULL, 'l' },
	{ "no-redact", no_argument, NULL, 'R' },
	{ 0 },
};

int cmd_report(struct options *o, int argc, char **argv)
{
	const char *output = NULL;
	bool json = o->json, redact = true;
	_cleanup_strv_ struct strv logs = {0};
	int c, rc;
	while ((c = getopt_long(argc, argv, "+o:", cli_report_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0) {
				json = false;
			} else if (strcmp(optarg, "json") == 0) {
				json = true;
			} else {
				return cli_usage_error(o, "report", "unknown format '%s'; use md or json", optarg);
			}
			break;
		case 'l':
			strv_push(&logs, optarg);
			break;
		case 'R':
			redact = false;
			break;
		default:
			return cli_usage_error(o, "report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		return cli_extra_operand(o, "report", argv[optind]);
	}
	if (output && cli_output_check(o, output) != EXIT_OK) {
		return EXIT_FAIL;
	}

	struct err e = {0};
	struct signature_set sigs = {0};
	_cleanup_free_ char *sigdir = NULL;
	if (asprintf(&sigdir, "%s/signatures", cli_data_dir(o)) < 0)
		return EXIT_FAIL;
	if ((rc = signature_set_load_dir(&sigs, sigdir, &e)) < 0) {
		cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-rc));
		signature_set_clear(&sigs);
		return EXIT_FAIL;
	}

	struct plan_run pr;
	int prc = cli_plan(o, NULL, &pr);
	int ret = EXIT_OK;
	struct redactor red;
	redact_init(&red, redact);
	struct learn_ctx lc = { .red = &red };
	struct log_scan ls = { .sigs = &sigs, .on_line = learn_line, .on_line_literals = learn_literals,
			       .on_line_head = LEARN_HEAD, .user = &lc };
	struct root r = { .fd = -1 };
	struct buf out = {0};
	json_t *j = NULL;
	if (!pr.snap) {
		ret = prc != EXIT_OK ? prc : EXIT_FAIL;
		goto done;
	}
	if (prc != EXIT_OK)
		cli_warn(o, "reporting without a decision");

	if (!o->snapshot_path && root_open_dir(&r, o->root_path, &e) == 0) {
		redact_learn_root(&red, &r);
		if (logsrc_scan_root(&ls, &r) < 0 || (root_is_slash(&r) && logsrc_scan_live(&ls) < 0)) {
			cli_error(o, "out of memory while scanning logs");
			ret = EXIT_FAIL;
			goto done;
		}
	}
	for (size_t i = 0; i < logs.n; i++) {
		e.msg[0] = 0;
		rc = logsrc_scan_path(&ls, logs.v[i], &e);
		if (rc < 0) {
			cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-rc));
			ret = EXIT_FAIL;
			goto done;
		}
	}
	for (size_t i = 0; i < ls.n; i++)
		if (ls.v[i].note && ls.v[i].error)
			cli_warn(o, "log '%s': %s", ls.v[i].name, ls.v[i].note);
	findings_sort(&ls.findings);
	struct report_input in = {
		.snap = pr.snap,
		.decision = prc == EXIT_OK ? &pr.d : NULL,
		.plan_error = prc == EXIT_OK ? NULL : "the profiles could not be evaluated; see the error printed before the report",
		.logs = &ls,
		.red = &red,
		.version = VERSION,
	};
	/* learn every value first, so that the log lines the planner quotes in its checks are
	 * redacted like the findings that quote them */
	report_learn(&red, &in);
	if (prc == EXIT_OK && apply_findings(&pr.d, &ls.findings, &red) < 0) {
		cli_error(o, "out of memory");
		ret = EXIT_FAIL;
		goto done;
	}
	if (json) {
		j = report_json(&in);
		char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		if (s) {
			buf_puts(&out, s);
			buf_puts(&out, "\n");
			free(s);
		} else {
			out.oom = 1;
		}
	} else if (report_markdown(&in, &out) < 0) {
		out.oom = 1;
	}
	if (out.oom || !out.s) {
		cli_error(o, "out of memory");
		ret = EXIT_FAIL;
		goto done;
	}
	ret = cli_output(o, output ? output : "-", out.s, out.len);
done:
	json_decref(j);
	buf_free(&out);
	root_close(&r);
	log_scan_clear(&ls);
	redact_clear(&red);
	plan_run_clear(&pr);
	signature_set_clear(&sigs);
	return ret;
}
