/* apply and revert: plan, render, write; and undo. The only commands that change the disk. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/conventions.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "apply/write.h"

/* The kernel command line turns the boot service off: optimus-guest=off (or 0, no, false). */
static bool cmdline_off(const char *cmdline)
{
	static const char key[] = "optimus-guest=";
	for (const char *p = cmdline; p && *p;) {
		p += strspn(p, " \t\n");
		size_t n = strcspn(p, " \t\n");
		if (n > sizeof(key) - 1 && strncmp(p, key, sizeof(key) - 1) == 0) {
			const char *v = p + sizeof(key) - 1;
			size_t vn = n - (sizeof(key) - 1);
			if ((vn == 3 && !strncmp(v, "off", 3)) || (vn == 1 && v[0] == '0') || (vn == 2 && !strncmp(v, "no", 2)) ||
			    (vn == 5 && !strncmp(v, "false", 5)))
				return true;
		}
		p += n;
	}
	return false;
}

static void print_result(const struct options *o, const char *cmd, const char *profile, bool dry_run,
			 const struct write_result *res)
{
	if (o->json) {
		json_t *j = json_object(), *acts = json_array(), *notes = json_array();
		for (size_t i = 0; i < res->actions.n; i++)
			json_array_append_new(acts, json_text(res->actions.v[i]));
		for (size_t i = 0; i < res->notes.n; i++)
			json_array_append_new(notes, json_text(res->notes.v[i]));
		json_object_set_new(j, "command", json_string(cmd));
		json_object_set_new(j, "root", json_text(o->root_path));
		json_object_set_new(j, "profile", profile ? json_string(profile) : json_null());
		json_object_set_new(j, "dry_run", json_boolean(dry_run));
		json_object_set_new(j, "changed", json_boolean(res->changed));
		json_object_set_new(j, "actions", acts);
		json_object_set_new(j, "notes", notes);
		if (dry_run)
			json_object_set_new(j, "diff", json_text(res->diff.s ? res->diff.s : ""));
		_cleanup_free_ char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (text)
			puts(text);
		return;
	}
	for (size_t i = 0; i < res->notes.n; i++)
		cli_warn(o, "%s", res->notes.v[i]);
	if (dry_run) {
		/* stdout is the diff alone, so that 'patch -p1 -d ROOT' takes it */
		if (res->diff.s)
			fputs(res->diff.s, stdout);
		for (size_t i = 0; i < res->actions.n; i++)
			fprintf(stderr, "%s: %s (dry run)\n", o->prog, res->actions.v[i]);
		if (!res->changed)
			fprintf(stderr, "%s: nothing would change under '%s'\n", o->prog, o->root_path);
		return;
	}
	for (size_t i = 0; i < res->actions.n; i++)
		printf("%s\n", res->actions.v[i]);
	if (!res->changed && strcmp(cmd, "apply") == 0)
		printf("configuration under '%s' is up to date (profile %s); nothing changed\n", o->root_path,
		       profile ? profile : "none");
}

/* The disk work is done when this runs: say that a failed report is only a report. */
static bool flush_stdout(const struct options *o)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return true;
	cli_error(o, "cannot write the report to standard output: %m (the changes on disk are complete)");
	return false;
}

/* Before anything is planned: writing this machine's / needs root, and a replayed snapshot
 * describes another guest, whose configuration must never land in this machine's /. */
static int may_write(const struct options *o, const char *cmd, bool dry_run, bool boot)
{
	if (dry_run || boot)
		return EXIT_OK;
	if (o->snapshot_path && !o->root_given)
		return cli_usage_error(o, cmd, "--snapshot replays another guest; %s would write its configuration into this "
				       "machine's /: name the tree to write with --root DIR, or use --dry-run", cmd);
	if (strcmp(o->root_path, "/") == 0 && geteuid() != 0) {
		cli_error(o, "%s writes /etc/X11/xorg.conf.d and /var/lib/optimus-guest, which needs root: run 'sudo "
			     "optimus-guest %s', or add --dry-run to see what would change", cmd, cmd);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const struct option cli_apply_options[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "boot", no_argument, NULL, 'b' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

int cmd_apply(struct options *o, int argc, char **argv)
{
	struct write_opts wo = {0};
	bool boot = false;
	int c;
	while ((c = getopt_long(argc, argv, "", cli_apply_options, NULL)) != -1) {
		switch (c) {
		case 'n': wo.dry_run = true; break;
		case 'b': boot = true; break;
		case 'f': wo.force = true; break;
		default: return cli_usage_error(o, "apply", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(o, "apply", "more than one profile named");
	int pre = may_write(o, "apply", wo.dry_run, boot);
	if (pre != EXIT_OK)
		return pre;
	const char *only = optind < argc ? argv[optind] : NULL;
	/* at boot every failure keeps the configuration and lets the display manager start */
	int fail_rc = boot ? EXIT_OK : EXIT_FAIL;

	if (boot) {
		_cleanup_(snapshot_freep) struct snapshot *s = NULL;
		if (cli_load_snapshot(o, &s) != EXIT_OK) {
			cli_error(o, "boot: keeping the existing Xorg configuration");
			return EXIT_OK;
		}
		if (cmdline_off(s->env.cmdline)) {
			fprintf(stderr, "%s: optimus-guest=off on the kernel command line: doing nothing\n", o->prog);
			return EXIT_OK;
		}
	}

	_cleanup_(plan_run_clear) struct plan_run pr = {0};
	int rc = cli_plan(o, only, &pr);
	if (rc != EXIT_OK) {
		if (boot)
			cli_error(o, "boot: planning failed; keeping the existing Xorg configuration");
		return boot ? EXIT_OK : rc;
	}
	if (pr.d.refused) {
		if (!o->json && !boot)
			cli_print_decision(stderr, o, &pr.d);
		cli_error(o, "%srefused: %s; nothing was written", boot ? "boot: " : "",
			  pr.d.explanation ? pr.d.explanation : "no profile of the matrix works on this guest");
		for (size_t i = 0; boot && i < pr.d.n_checks; i++)  /* at boot: one line per problem */
			if (!pr.d.checks[i].passed && pr.d.checks[i].severity == SEV_ERROR)
				cli_error(o, "boot: %s: %s%s%s", pr.d.checks[i].id, pr.d.checks[i].message,
					  pr.d.checks[i].fix ? "; fix: " : "", pr.d.checks[i].fix ? pr.d.checks[i].fix : "");
		return boot ? EXIT_OK : EXIT_REFUSED;
	}
	const char *conflict = cli_apply_blocker(&pr.d);
	if (conflict) {
		if (!wo.force) {
			cli_print_blocker(o, boot ? "boot: " : "", conflict);
			return boot ? EXIT_OK : EXIT_REFUSED;
		}
		cli_warn(o, "%s; --force: applying anyway, that file is left as it is", conflict);
	}

	_cleanup_(write_result_clear) struct write_result res = {0};
	struct err e = {0};
	rc = write_apply(o->root_path, &pr.r, &wo, &res, &e);
	if (rc < 0) {
		for (size_t i = 0; i < res.notes.n; i++)
			cli_warn(o, "%s", res.notes.v[i]);
		cli_error(o, "%s%s", boot ? "boot: " : "", e.msg[0] ? e.msg : strerror(-rc));
		return fail_rc;
	}
	print_result(o, "apply", pr.r.profile ? pr.r.profile : pr.d.profile, wo.dry_run, &res);
	return flush_stdout(o) ? EXIT_OK : fail_rc;
}

const struct option cli_revert_options[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

int cmd_revert(struct options *o, int argc, char **argv)
{
	struct write_opts wo = {0};
	int c;
	while ((c = getopt_long(argc, argv, "", cli_revert_options, NULL)) != -1) {
		switch (c) {
		case 'n': wo.dry_run = true; break;
		case 'f': wo.force = true; break;
		default: return cli_usage_error(o, "revert", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_extra_operand(o, "revert", argv[optind]);
	int pre = may_write(o, "revert", wo.dry_run, false);
	if (pre != EXIT_OK)
		return pre;

	_cleanup_(write_result_clear) struct write_result res = {0};
	struct err e = {0};
	int rc = write_revert(o->root_path, &wo, &res, &e);
	if (rc < 0) {
		for (size_t i = 0; i < res.notes.n; i++)
			cli_warn(o, "%s", res.notes.v[i]);
		cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-rc));
		return EXIT_FAIL;
	}
	print_result(o, "revert", NULL, wo.dry_run, &res);
	return flush_stdout(o) ? EXIT_OK : EXIT_FAIL;
}
