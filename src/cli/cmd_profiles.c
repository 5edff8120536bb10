/* profiles [list [--verbose] [--checks] | show NAME | validate [FILE...]] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/checks.h"
#include "cli/cli.h"
#include "cli/conventions.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"

static int load(const struct options *o, struct profile_set *set, struct templates *tpl)
{
	struct err e = {0};
	const char *data = cli_data_dir(o);
	struct root r = { .fd = -1 };
	int rc = templates_load(data, tpl, &e);
	if (rc == 0) {
		bool have_root = root_open_dir(&r, o->root_path, &e) == 0;
		e.msg[0] = 0;
		rc = profiles_load(data, have_root ? &r : NULL, tpl, set, &e);
		if (have_root)
			root_close(&r);
	}
	if (rc < 0) {
		cli_error(o, "%s", e.msg);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < set->errors.n; i++)
		cli_warn(o, "%s", set->errors.v[i]);
	return EXIT_OK;
}

static void print_list(const char *key, const struct strv *v)
{
	if (!v->n)
		return;
	printf("  %-13s", key);
	for (size_t i = 0; i < v->n; i++)
		printf(" %s", v->v[i]);
	putchar('\n');
}

static json_t *profile_json(const struct profile *p)
{
	json_t *j = json_object();
	json_object_set_new(j, "name", json_string(p->name));
	json_object_set_new(j, "status", json_string(profile_status_name(p->status)));
	json_object_set_new(j, "summary", json_string(p->summary));
	json_object_set_new(j, "priority", json_integer(p->priority));
	json_object_set_new(j, "source", json_string(p->source));
	json_object_set_new(j, "roles", json_strv(&p->roles));
	json_object_set_new(j, "absent_roles", json_strv(&p->absent_roles));
	json_object_set_new(j, "any_roles", json_strv(&p->any_roles));
	json_object_set_new(j, "render_node", json_boolean(p->render_node));
	json_object_set_new(j, "checks", json_strv(&p->checks));
	json_object_set_new(j, "files", json_strv(&p->files));
	json_object_set_new(j, "env", json_strv(&p->env));
	json_object_set_new(j, "links", json_strv(&p->links));
	json_object_set_new(j, "primary", json_str_or_null(p->primary));
	json_object_set_new(j, "renderer", json_str_or_null(p->renderer));
	json_object_set_new(j, "explanation", json_str_or_null(p->explanation));
	json_object_set_new(j, "fix", json_str_or_null(p->fix));
	return j;
}

static int print_json(json_t *j)
{
	char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!text)
		return EXIT_FAIL;
	puts(text);
	free(text);
	return EXIT_OK;
}

static int do_list(struct options *o, bool verbose, bool checks)
{
	if (checks) {
		json_t *a = o->json ? json_array() : NULL;
		for (size_t i = 0; check_ids[i]; i++) {
			if (a)
				json_array_append_new(a, json_pack("{s:s, s:s}", "id", check_ids[i], "description", check_describe(check_ids[i])));
			else
				printf("%-22s %s\n", check_ids[i], check_describe(check_ids[i]));
		}
		return a ? print_json(a) : EXIT_OK;
	}
	_cleanup_(plan_run_clear) struct plan_run pr = {0};
	int rc = verbose ? cli_plan(o, NULL, &pr) : load(o, &pr.set, &pr.tpl);
	if (rc != EXIT_OK)
		return rc;
	if (o->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < pr.set.n; i++)
			json_array_append_new(a, profile_json(&pr.set.v[i]));
		return print_json(a);
	}
	for (size_t i = 0; i < pr.set.n; i++) {
		const struct profile *p = &pr.set.v[i];
		printf("%-30s %-12s %s\n", p->name, profile_status_name(p->status), p->summary);
		if (!verbose)
			continue;
		printf("  from %s\n", p->source);
		if (pr.d.profile && !strcmp(pr.d.profile, p->name) && !pr.d.refused) {
			puts("  chosen on this guest");
			continue;
		}
		for (size_t k = 0; k < pr.d.n_rejected; k++)
			if (!strcmp(pr.d.rejected[k].profile, p->name))
				for (size_t j = 0; j < pr.d.rejected[k].reasons.n; j++)
					printf("  %s\n", pr.d.rejected[k].reasons.v[j]);
	}
	return EXIT_OK;
}

static int do_show(struct options *o, const char *name)
{
	struct profile_set set = {0};
	struct templates tpl = {0};
	int rc = load(o, &set, &tpl);
	const struct profile *p = rc == EXIT_OK ? profile_set_find(&set, name) : NULL;
	if (rc == EXIT_OK && !p) {
		cli_error(o, "no profile named '%s'; 'optimus-guest profiles list' shows them", name);
		rc = EXIT_USAGE;
	}
	if (p && o->json) {
		rc = print_json(profile_json(p));
	} else if (p) {
		printf("name          %s\nstatus        %s\nsummary       %s\npriority      %d\nsource        %s\n", p->name,
		       profile_status_name(p->status), p->summary, p->priority, p->source);
		print_list("roles", &p->roles);
		print_list("absent_roles", &p->absent_roles);
		print_list("any_roles", &p->any_roles);
		if (p->render_node)
			puts("  render_node   yes");
		print_list("checks", &p->checks);
		print_list("files", &p->files);
		print_list("env", &p->env);
		print_list("links", &p->links);
		if (p->primary)
			printf("  primary       %s\n", p->primary);
		if (p->renderer)
			printf("  renderer      %s\n", p->renderer);
		if (p->explanation) {
			fputs("reason        ", stdout);
			cli_put_indented(stdout, p->explanation, 14);
			fputs("\nfix           ", stdout);
			cli_put_indented(stdout, p->fix, 14);
			putchar('\n');
		}
	}
	profile_set_clear(&set);
	templates_clear(&tpl);
	return rc;
}

/* Every error of every file, not the first only; a name used twice is an error too
 * (the later file would silently replace the earlier). */
static int do_validate(struct options *o, int argc, char **argv)
{
	_cleanup_strv_ struct strv files = {0}, errors = {0}, names = {0}, where = {0};
	struct templates tpl = {0};
	struct err e = {0};
	size_t bad_files = 0;
	if (templates_load(cli_data_dir(o), &tpl, &e) < 0) {
		cli_error(o, "%s", e.msg);
		return EXIT_FAIL;
	}
	if (argc == 0 && profiles_files(cli_data_dir(o), &files, &e) < 0) {
		cli_error(o, "%s", e.msg);
		templates_clear(&tpl);
		return EXIT_FAIL;
	}
	for (int i = 0; i < argc; i++)
		if (strv_push(&files, argv[i]) < 0)
			return EXIT_FAIL;
	for (size_t i = 0; i < files.n; i++) {
		struct profile p = {0};
		size_t before = errors.n;
		e.msg[0] = 0;
		if (profile_load_file_all(files.v[i], &tpl, &p, &e, &errors) < 0 && errors.n == before)
			strv_push(&errors, e.msg[0] ? e.msg : "out of memory");
		for (size_t k = 0; p.name && k < names.n; k++)
			if (strcmp(names.v[k], p.name) == 0) {
				char *msg = NULL;
				if (asprintf(&msg, "%s: name '%s' is also the name of %s; the later file would replace it, rename one",
					     files.v[i], p.name, where.v[k]) >= 0)
					strv_push_take(&errors, msg);
			}
		if (p.name && (strv_push(&names, p.name) < 0 || strv_push(&where, files.v[i]) < 0))
			strv_push(&errors, "out of memory");
		bad_files += errors.n > before;
		profile_clear(&p);
	}
	templates_clear(&tpl);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "%s\n", errors.v[i]);
	if (errors.n) {
		if (files.n > 1)
			fprintf(stderr, "%zu of %zu profiles %s errors\n", bad_files, files.n, bad_files == 1 ? "has" : "have");
		return EXIT_FAIL;
	}
	printf("%zu profile%s valid\n", files.n, files.n == 1 ? "" : "s");
	return EXIT_OK;
}

const struct option cli_profiles_options[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "checks", no_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

int cmd_profiles(struct options *o, int argc, char **argv)
{
	bool verbose = false, checks = false;
	int c;
	while ((c = getopt_long(argc, argv, "+v", cli_profiles_options, NULL)) != -1) {
		if (c == 'v')
			verbose = true;
		else if (c == 'c')
			checks = true;
		else
			return cli_usage_error(o, "profiles", "unknown option '%s'", argv[optind - 1]);
	}
	const char *sub = optind < argc ? argv[optind++] : "list";
	if (!strcmp(sub, "list")) {
		while ((c = getopt_long(argc, argv, "v", cli_profiles_options, NULL)) != -1) {
			if (c == 'v')
				verbose = true;
			else if (c == 'c')
				checks = true;
			else
				return cli_usage_error(o, "profiles", "unknown option '%s'", argv[optind - 1]);
		}
		if (optind < argc)
			return cli_extra_operand(o, "profiles", argv[optind]);
		return do_list(o, verbose, checks);
	}
	if (!strcmp(sub, "show")) {
		if (argc - optind != 1)
			return cli_usage_error(o, "profiles", "'profiles show' takes one profile name");
		return do_show(o, argv[optind]);
	}
	if (!strcmp(sub, "validate"))
		return o->json ? cli_no_json(o, "profiles", "profiles validate") : do_validate(o, argc - optind, argv + optind);
	return cli_usage_error(o, "profiles", "unknown sub-command '%s' (list, show, validate)", sub);
}
