/* session: at login, link the RandR providers the chosen profile needs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conventions.h"
#include "apply/session.h"
#include "util/cleanup.h"

static void print_actions(const struct link_action *a, size_t n, bool dry)
{
	for (size_t i = 0; i < n; i++)
		printf("%s: %s of %s (%s 0x%x) is %s (%s 0x%x)%s\n", a[i].already ? "unchanged" : dry ? "would set" : "set",
		       a[i].kind, a[i].provider_role, a[i].provider_name, a[i].provider_id, a[i].target_role,
		       a[i].target_name, a[i].target_id, a[i].already ? ", already linked" : "");
}

static int live(const struct options *o, struct plan_run *pr)
{
	struct err e = {0};
	struct randr_conn c;
	struct providers p = {0};
	struct link_action *a = NULL;
	size_t n = 0, changed = 0;
	int rc = randr_open(&c, o->display, &e);
	if (rc == 0 && (rc = randr_read_providers(&c, NULL, &p, &e)) == 0) {
		providers_map_pci(&p, pr->snap);
		rc = session_resolve(&pr->d, &p, pr->snap, &a, &n, &e);
	}
	if (rc == 0)
		rc = session_apply(&c, pr->snap, a, n, &changed, &e);
	if (rc == 0) {
		print_actions(a, n, false);
		bool output = false;
		for (size_t i = 0; i < n; i++)
			output |= !a[i].already && strcmp(a[i].kind, "output-source") == 0;
		struct err xe = {0};
		if (output && session_xrandr_auto(c.name, &xe) < 0)
			cli_warn(o, "%s", xe.msg);
		else if (output)
			printf("ran: xrandr --display %s --auto\n", c.name);
	}
	free(a);
	providers_clear(&p);
	randr_close(&c);
	if (rc < 0) {
		cli_error(o, "%s", e.msg);
		return EXIT_FAIL;
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

const struct option cli_session_options[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "profile", required_argument, NULL, 'P' },
	{ 0 },
};

int cmd_session(struct options *o, int argc, char **argv)
{
	bool dry = false;
	const char *only = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "n", cli_session_options, NULL)) != -1) {
		switch (c) {
		case 'n': dry = true; break;
		case 'P': only = optarg; break;
		default:
			return cli_usage_error(o, "session", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_extra_operand(o, "session", argv[optind]);

	_cleanup_(plan_run_clear) struct plan_run pr = {0};
	int rc = cli_plan(o, only, &pr);
	if (rc != EXIT_OK)
		return rc;
	if (pr.d.refused) {
		cli_error(o, "no provider links: %s ('optimus-guest plan' explains)", pr.d.explanation ? pr.d.explanation : "refused");
		return EXIT_REFUSED;
	}
	if (!pr.d.n_links) {
		printf("profile %s needs no provider links; nothing to do\n", pr.d.profile ? pr.d.profile : "(none)");
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	if (dry) {
		struct err e = {0};
		_cleanup_free_ struct link_action *a = NULL;
		size_t n = 0;
		rc = session_resolve(&pr.d, &pr.snap->providers, pr.snap, &a, &n, &e);
		if (rc == 0)
			print_actions(a, n, true);
		else
			cli_error(o, "%s", e.msg);
		return rc == 0 ? EXIT_OK : EXIT_FAIL;
	}
	return live(o, &pr);
}
