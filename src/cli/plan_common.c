/* The shared front half of plan, apply, run and report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/cleanup.h"

void plan_run_clear(struct plan_run *p)
{
	snapshot_free(p->snap);
	profile_set_clear(&p->set);
	templates_clear(&p->tpl);
	decision_clear(&p->d);
	rendered_clear(&p->r);
	memset(p, 0, sizeof(*p));
}

int cli_plan(const struct options *o, const char *only, struct plan_run *ret)
{
	struct err e = {0};
	int rc;
	memset(ret, 0, sizeof(*ret));
	/* the probed root stays open for the local profiles under its /etc */
	_cleanup_(root_close) struct root r = { .fd = -1 };
	rc = cli_load_snapshot_keep(o, &ret->snap, &r);
	if (rc != EXIT_OK)
		return rc;
	const char *data = cli_data_dir(o);
	if ((rc = templates_load(data, &ret->tpl, &e)) < 0) {
		cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-rc));
		return EXIT_FAIL;
	}
	/* A local profile whose template has no value for this guest (@GVT_SLOT@ on a guest
	 * without GVT) is skipped with a warning, like a local file with an error, and the
	 * profiles load again without it; a shipped profile failing to render is an error. */
	_cleanup_(strv_clear) struct strv skip = {0};
	for (;;) {
		rc = profiles_load_except(data, r.fd >= 0 ? &r : NULL, &ret->tpl, &skip, &ret->set, &e);
		if (rc < 0) {
			cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-rc));
			return EXIT_FAIL;
		}
		if (skip.n == 0)
			for (size_t i = 0; i < ret->set.errors.n; i++)
				cli_warn(o, "%s", ret->set.errors.v[i]);
		if (only && !profile_set_find(&ret->set, only)) {
			cli_error(o, "no profile named '%s'; 'optimus-guest profiles list' shows them", only);
			return EXIT_USAGE;
		}
		rc = plan_evaluate(ret->snap, &ret->set, only, &ret->d);
		if (rc < 0) {
			cli_error(o, "planning failed: %s", strerror(-rc));
			return EXIT_FAIL;
		}
		if (ret->d.refused)
			return EXIT_OK;
		_cleanup_free_ struct template_text *view = templates_view(&ret->tpl);
		if (!view)
			return EXIT_FAIL;
		rc = render_decision(&ret->d, ret->snap, view, ret->tpl.names.n, &ret->r, &e);
		if (rc == 0)
			break;
		const struct profile *bad = ret->d.profile ? profile_set_find(&ret->set, ret->d.profile) : NULL;
		if (rc == -ENOMEM || !bad || !bad->source || strncmp(bad->source, "/etc/optimus-guest/profiles.d/", 30) != 0) {
			cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-rc));
			return EXIT_FAIL;
		}
		cli_warn(o, "%s: %s (local override skipped; the shipped profiles still apply)", bad->source,
			 e.msg[0] ? e.msg : strerror(-rc));
		if (strv_push(&skip, bad->source) < 0)
			return EXIT_FAIL;
		memset(&e, 0, sizeof(e));
		profile_set_clear(&ret->set);
		decision_clear(&ret->d);
		rendered_clear(&ret->r);
	}
	return EXIT_OK;
}

const char *cli_apply_blocker(const struct decision *d)
{
	if (d->refused)
		return NULL;
	for (size_t i = 0; i < d->n_checks; i++)
		if (!d->checks[i].passed && strcmp(d->checks[i].id, "xorg-conflict") == 0)
			return d->checks[i].message;
	return NULL;
}

void cli_print_blocker(const struct options *o, const char *prefix, const char *blocker)
{
	cli_error(o, "%s%s; refusing to apply (move that file aside, or use --force: optimus-guest then "
		  "writes its own files and still leaves that one alone)", prefix, blocker);
}
