/* signatures validate [FILE...]: the log signatures are input too; check them the way the
 * report loads them (strict INI, patterns that compile, no nested or exploding repetitions). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conventions.h"
#include "report/signature.h"
#include "util/cleanup.h"
#include "util/fileio.h"

static int validate(struct options *o, int argc, char **argv)
{
	_cleanup_strv_ struct strv errors = {0};
	struct err e = {0};
	size_t n = 0, files = 0, bad_files = 0;
	if (argc == 0) {
		struct signature_set set = {0};
		_cleanup_free_ char *dir = NULL;
		if (asprintf(&dir, "%s/signatures", cli_data_dir(o)) < 0)
			return EXIT_FAIL;
		size_t before = errors.n;
		if (signature_set_load_dir_all(&set, dir, &e, &errors) < 0 && errors.n == before)
			strv_push(&errors, e.msg);
		n = set.n;
		signature_set_clear(&set);
	}
	for (int i = 0; i < argc; i++, files++) {
		struct signature_set set = {0};
		_cleanup_free_ char *text = NULL;
		size_t len = 0, before = errors.n;
		e.msg[0] = 0;
		int rc = file_read_all(argv[i], SIGNATURE_FILE_MAX, &text, &len);
		if (rc < 0) {
			char *msg = NULL;
			if (asprintf(&msg, "cannot read signature file '%s': %s", argv[i],
				     rc == -EFBIG ? "larger than 1 MiB; split it" : strerror(-rc)) >= 0)
				strv_push_take(&errors, msg);
		} else if (signature_set_parse_all(&set, text, len, argv[i], &e, &errors) < 0 && errors.n == before) {
			strv_push(&errors, e.msg);
		}
		bad_files += errors.n > before;
		n += set.n;
		signature_set_clear(&set);
	}
	for (size_t i = 0; i < errors.n; i++)
		cli_error(o, "%s", errors.v[i]);
	if (errors.n) {
		if (files > 1)
			fprintf(stderr, "%zu of %zu files %s errors\n", bad_files, files, bad_files == 1 ? "has" : "have");
		return EXIT_FAIL;
	}
	printf("%zu signature%s valid\n", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

const struct option cli_signatures_options[] = { { NULL, 0, NULL, 0 } };

int cmd_signatures(struct options *o, int argc, char **argv)
{
	int c;
	while ((c = getopt_long(argc, argv, "+", cli_signatures_options, NULL)) != -1)
		return cli_unknown_option(o, "signatures", cli_signatures_options, "", argv[optind - 1]);
	if (optind >= argc)
		return cli_usage_error(o, "signatures", "say what to do: 'signatures validate [FILE...]'");
	const char *sub = argv[optind++];
	if (strcmp(sub, "validate") == 0)
		return validate(o, argc - optind, argv + optind);
	return cli_unknown_word(o, "signatures", "sub-command", sub, (const char *const[]){ "validate", NULL });
}
