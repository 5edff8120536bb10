/* run: start a program on the NVIDIA card with the chosen profile's offload
 * variables (like prime-run), or print them for eval. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "apply/run.h"
#include "util/buf.h"

const struct option cli_run_options[] = {
	{ "print", no_argument, NULL, 'p' },
	{ "profile", required_argument, NULL, 'P' },
	{ 0 },
};

int cmd_run(struct options *o, int argc, char **argv)
{
	bool print = false;
	const char *only = NULL;
	int c;
	opterr = 0;
	/* '+': stop at the program's name, its options are its own */
	while ((c = getopt_long(argc, argv, "+", cli_run_options, NULL)) != -1) {
		switch (c) {
		case 'p': print = true; break;
		case 'P': only = optarg; break;
		default:
			return cli_usage_error(o, "run", "unknown option '%s'", argv[optind - 1]);
		}
	}
	char **prog = argv + optind;
	if (print && *prog)
		return cli_usage_error(o, "run", "--print takes no program ('%s')", *prog);
	if (!print && !*prog)
		return cli_usage_error(o, "run", "no program given");

	struct plan_run pr;
	int rc = cli_plan(o, only, &pr);
	if (rc != EXIT_OK) {
		plan_run_clear(&pr);
		return rc;
	}
	const struct decision *d = &pr.d;
	if (d->refused) {
		cli_error(o, "nothing to run on: %s ('optimus-guest plan' explains)%s%s", d->explanation ? d->explanation : "refused",
			  d->fix ? "; fix: " : "", d->fix ? d->fix : "");
		plan_run_clear(&pr);
		return EXIT_REFUSED;
	}
	if (!d->offload_env.n) {
		cli_error(o, "profile '%s' does not offload rendering to another GPU, so there is nothing to add: "
			     "run the program directly%s",
			  d->profile ? d->profile : "(none)",
			  only ? "" : " (or name an offload profile with --profile, see 'optimus-guest plan')");
		plan_run_clear(&pr);
		return EXIT_REFUSED;
	}
	struct err e = {0};
	if (print) {
		struct buf b = {0};
		rc = run_exports(&d->offload_env, &b, &e);
		if (rc == 0)
			fputs(b.s ? b.s : "", stdout);
		buf_free(&b);
		plan_run_clear(&pr);
		if (rc < 0) {
			cli_error(o, "%s", e.msg);
			return EXIT_FAIL;
		}
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	fflush(stdout);
	rc = run_exec(&d->offload_env, prog, &e);   /* returns only on failure */
	plan_run_clear(&pr);
	cli_error(o, "%s", e.msg);
	return rc == -ENOENT ? 127 : 126;
}
