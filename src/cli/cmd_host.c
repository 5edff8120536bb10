/* host check: is this host ready to run the VM (IOMMU, GVT-g, kvmgt, vGPU, the NVIDIA card)? */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "host/host_check.h"
#include "util/json.h"

static const char *mark(const struct options *o, const struct host_check *c)
{
	if (c->passed)
		return o->color ? "\033[32mok\033[0m     " : "ok     ";
	switch (c->severity) {
	case SEV_ERROR: return o->color ? "\033[31merror\033[0m  " : "error  ";
	case SEV_WARNING: return o->color ? "\033[33mwarning\033[0m" : "warning";
	default: return "info   ";
	}
}

static int print_json(const struct options *o, const struct host_report *rep)
{
	json_t *checks = json_array();
	for (size_t i = 0; i < rep->n; i++) {
		const struct host_check *c = &rep->checks[i];
		json_t *cj = json_pack("{s:s, s:s, s:b, s:s, s:o}", "id", c->id, "severity", severity_name(c->severity),
				       "passed", c->passed, "message", c->message, "fix", json_str_or_null(c->fix));
		if (!cj || json_array_append_new(checks, cj) < 0) {
			json_decref(checks);
			cli_error(o, "cannot encode check '%s' as JSON", c->id);
			return EXIT_FAIL;
		}
	}
	json_t *j = json_pack("{s:s, s:b, s:o}", "root", o->root_path, "ready", rep->ready, "checks", checks);
	char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!text)
		return EXIT_FAIL;
	puts(text);
	free(text);
	return EXIT_OK;
}

static void print_text(const struct options *o, const struct host_report *rep)
{
	size_t errors = 0, warnings = 0;
	puts("Checks:");
	for (size_t i = 0; i < rep->n; i++) {
		const struct host_check *c = &rep->checks[i];
		printf("  %s  %s: %s\n", mark(o, c), c->id, c->message);
		if (c->fix) {
			fputs("           fix: ", stdout);
			cli_put_indented(stdout, c->fix, 16);
			putchar('\n');
		}
		errors += !c->passed && c->severity == SEV_ERROR;
		warnings += !c->passed && c->severity == SEV_WARNING;
	}
	if (rep->ready)
		printf("Ready: the host can run the VM (%zu warning%s).\n", warnings, warnings == 1 ? "" : "s");
	else
		printf("Not ready: %zu error%s, %zu warning%s; each has its fix above.\n", errors, errors == 1 ? "" : "s",
		       warnings, warnings == 1 ? "" : "s");
}

int cmd_host(struct options *o, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(o, "host", "'host' needs a sub-command: check");
	if (strcmp(argv[1], "check") != 0)
		return cli_usage_error(o, "host", "unknown sub-command '%s' (check)", argv[1]);
	if (argc > 2)
		return cli_usage_error(o, "host", "'host check' takes no %s '%s'", argv[2][0] == '-' ? "option" : "operand", argv[2]);
	if (o->snapshot_path)
		return cli_usage_error(o, "host", "--snapshot replays a guest; 'host check' reads the host (--root DIR for a recorded tree)");

	struct err e = {0};
	struct root r = { .fd = -1 };
	if (root_open_dir(&r, o->root_path, &e) < 0) {
		cli_error(o, "%s", e.msg);
		return EXIT_FAIL;
	}
	struct host_facts f;
	int rc = host_read(&r, &f, &e);
	root_close(&r);
	if (rc < 0) {
		cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-rc));
		return EXIT_FAIL;
	}
	struct host_report rep;
	rc = host_check(&f, &rep);
	host_facts_clear(&f);
	if (rc < 0) {
		cli_error(o, "out of memory");
		return EXIT_FAIL;
	}
	int ex = EXIT_OK;
	if (o->json)
		ex = print_json(o, &rep);
	else
		print_text(o, &rep);
	bool ready = rep.ready;
	host_report_clear(&rep);
	if (ex != EXIT_OK || fflush(stdout) != 0)
		return EXIT_FAIL;
	return ready ? EXIT_OK : EXIT_REFUSED;
}
