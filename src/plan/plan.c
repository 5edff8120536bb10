/* The planner: pure. Profiles are data; nothing here knows a profile by name. */
#include "plan/plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/checks.h"
#include "model/classify.h"
#include "plan/profile.h"
#include "util/buf.h"
#include "util/cleanup.h"

int plan_status_rank(enum profile_status status)
{
	switch (status) {
	case STATUS_WORKS: return 2;
	case STATUS_NEEDS_PATCH:
	case STATUS_UNTESTED: return 1;
	default: return 0;
	}
}

static void checks_free(struct check_result *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].id);
		free(c[i].message);
		free(c[i].fix);
	}
	free(c);
}

void decision_clear(struct decision *d)
{
	free(d->profile);
	free(d->status);
	free(d->summary);
	free(d->explanation);
	free(d->fix);
	checks_free(d->checks, d->n_checks);
	for (size_t i = 0; i < d->n_rejected; i++) {
		free(d->rejected[i].profile);
		free(d->rejected[i].status);
		strv_clear(&d->rejected[i].reasons);
	}
	free(d->rejected);
	strv_clear(&d->offload_env);
	for (size_t i = 0; i < d->n_links; i++) {
		free(d->links[i].kind);
		free(d->links[i].provider);
		free(d->links[i].target);
	}
	free(d->links);
	for (size_t i = 0; i < d->n_files; i++) {
		free(d->files[i].name);
		free(d->files[i].template);
	}
	free(d->files);
	free(d->gvt_slot);
	free(d->nvidia_slot);
	memset(d, 0, sizeof(*d));
}

/* One profile evaluated. */
struct eval {
	const struct profile *p;
	bool matched, eligible;
	struct strv reasons;
	struct check_result *checks;
	size_t n_checks;
};

static bool has_render_node(const struct snapshot *s)
{
	for (size_t i = 0; i < s->n_pci; i++)
		if (s->pci[i].drm_renders.n)
			return true;
	return false;
}

static int push_reason(struct eval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int push_reason(struct eval *ev, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? -ENOMEM : strv_push_take(&ev->reasons, s);
}

static int evaluate(const struct snapshot *s, const struct profile *p, struct eval *ev)
{
	int rc;
	memset(ev, 0, sizeof(*ev));
	ev->p = p;
	ev->matched = true;
	for (size_t i = 0; i < p->roles.n; i++)
		if (!snapshot_find_role(s, p->roles.v[i])) {
			ev->matched = false;
			if ((rc = push_reason(ev, "match: needs a %s device; this guest has none", p->roles.v[i])) < 0)
				return rc;
		}
	for (size_t i = 0; i < p->absent_roles.n; i++) {
		const struct pci_device *d = snapshot_find_role(s, p->absent_roles.v[i]);
		if (d) {
			ev->matched = false;
			if ((rc = push_reason(ev, "match: applies only without a %s device; %s is one", p->absent_roles.v[i], d->slot)) < 0)
				return rc;
		}
	}
	if (p->any_roles.n) {
		bool any = false;
		for (size_t i = 0; i < p->any_roles.n && !any; i++)
			any = snapshot_find_role(s, p->any_roles.v[i]) != NULL;
		if (!any) {
			ev->matched = false;
			_cleanup_free_ char *names = strv_join(&p->any_roles, " or ");
			if (!names)
				return -ENOMEM;
			if ((rc = push_reason(ev, "match: needs a %s device; this guest has neither", names)) < 0)
				return rc;
		}
	}
	if (p->render_node && !has_render_node(s)) {
		ev->matched = false;
		if ((rc = push_reason(ev, "match: needs a DRM render node; no device has one")) < 0)
			return rc;
	}
	int rank = plan_status_rank(p->status);
	if (rank == 0 && (rc = push_reason(ev, "%s: %s", profile_status_name(p->status), p->explanation ? p->explanation : "")) < 0)
		return rc;
	if (!ev->matched)
		return 0;
	ev->checks = calloc(p->checks.n + 1, sizeof(*ev->checks));
	if (!ev->checks)
		return -ENOMEM;
	bool errors = false;
	for (size_t i = 0; i < p->checks.n; i++) {
		rc = check_run(p->checks.v[i], s, p, &ev->checks[ev->n_checks]);
		ev->n_checks++;
		if (rc < 0)
			return rc;
		const struct check_result *c = &ev->checks[ev->n_checks - 1];
		if (!c->passed && c->severity == SEV_ERROR) {
			errors = true;
			if ((rc = push_reason(ev, "%s: %s", c->id, c->message)) < 0)
				return rc;
		}
	}
	if (rank == 1) {
		/* a needs-patch/untested row chosen because its requirement is met: say so */
		struct check_result *c = &ev->checks[ev->n_checks++];
		c->id = strdup("row-status");
		c->severity = SEV_WARNING;
		c->passed = false;
		if (asprintf(&c->message, "%s is %s in the matrix; its extra requirement is met here", p->name, profile_status_name(p->status)) < 0)
			c->message = NULL;
		c->fix = strdup("if X fails, 'optimus-guest revert' and report the result with 'optimus-guest report'");
		if (!c->id || !c->message || !c->fix)
			return -ENOMEM;
	}
	ev->eligible = rank > 0 && !errors;
	return 0;
}

static void eval_clear(struct eval *ev)
{
	strv_clear(&ev->reasons);
	checks_free(ev->checks, ev->n_checks);
	memset(ev, 0, sizeof(*ev));
}

/* Better candidate first: status rank, then priority, then name. */
static bool better(const struct profile *a, const struct profile *b)
{
	int ra = plan_status_rank(a->status), rb = plan_status_rank(b->status);
	if (ra != rb)
		return ra > rb;
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return strcmp(a->name, b->name) < 0;
}

/* Severity order for the decision's checks: failed errors, warnings, infos, then passed. */
static int check_order(const void *x, const void *y)
{
	const struct check_result *a = x, *b = y;
	int ka = a->passed ? 0 : 10 + (int)a->severity, kb = b->passed ? 0 : 10 + (int)b->severity;
	if (ka != kb)
		return kb - ka;
	return strcmp(a->id, b->id);
}

static char *subst(const char *tpl, const struct decision *d)
{
	struct buf b = {0};
	char nv[32] = "";
	if (d->nvidia_slot) {
		snprintf(nv, sizeof(nv), "pci-%s", d->nvidia_slot);
		for (char *p = nv; *p; p++)
			if (*p == ':' || *p == '.')
				*p = '_';
	}
	for (const char *p = tpl; *p;) {
		if (!strncmp(p, "@NVIDIA_DRI_PRIME@", 18)) {
			buf_puts(&b, nv);
			p += 18;
		} else {
			buf_append(&b, p, 1);
			p++;
		}
	}
	return buf_steal(&b);
}

static int fill_chosen(const struct snapshot *s, struct eval *ev, struct decision *d)
{
	const struct profile *p = ev->p;
	const struct pci_device *g = snapshot_find_role(s, ROLE_GVT);
	const struct pci_device *n = snapshot_find_role(s, ROLE_NVIDIA_MUXLESS);
	d->profile = strdup(p->name);
	d->status = strdup(profile_status_name(p->status));
	d->summary = strdup(p->summary);
	if (g && (strv_contains(&p->roles, ROLE_GVT)))
		d->gvt_slot = strdup(g->slot);
	if (n && (strv_contains(&p->roles, ROLE_NVIDIA_MUXLESS)))
		d->nvidia_slot = strdup(n->slot);
	for (size_t i = 0; i < p->env.n; i++)
		if (strv_push_take(&d->offload_env, subst(p->env.v[i], d)) < 0)
			return -ENOMEM;
	if (p->links.n && !(d->links = calloc(p->links.n, sizeof(*d->links))))
		return -ENOMEM;
	for (size_t i = 0; i < p->links.n; i++) {
		char kind[32], a[32], b[32];
		if (sscanf(p->links.v[i], "%31[^:]:%31[^:]:%31s", kind, a, b) != 3)
			continue;
		struct session_link *l = &d->links[d->n_links++];
		l->kind = strdup(kind);
		l->provider = strdup(a);
		l->target = strdup(b);
		if (!l->kind || !l->provider || !l->target)
			return -ENOMEM;
	}
	if (p->files.n && !(d->files = calloc(p->files.n, sizeof(*d->files))))
		return -ENOMEM;
	for (size_t i = 0; i < p->files.n; i++) {
		const char *colon = strchr(p->files.v[i], ':');
		if (!colon)  /* the profile validator refuses this; a hand-built set may not */
			continue;
		struct planned_file *f = &d->files[d->n_files++];
		f->name = strndup(p->files.v[i], (size_t)(colon - p->files.v[i]));
		f->template = strdup(colon + 1);
		if (!f->name || !f->template)
			return -ENOMEM;
	}
	if ((g && strv_contains(&p->roles, ROLE_GVT) && !d->gvt_slot) ||
	    (n && strv_contains(&p->roles, ROLE_NVIDIA_MUXLESS) && !d->nvidia_slot))
		return -ENOMEM;
	return d->profile && d->status && d->summary ? 0 : -ENOMEM;
}

static void take_checks(struct eval *ev, struct decision *d)
{
	d->checks = ev->checks;
	d->n_checks = ev->n_checks;
	ev->checks = NULL;
	ev->n_checks = 0;
	if (d->n_checks > 1)
		qsort(d->checks, d->n_checks, sizeof(*d->checks), check_order);
}

static int refuse(struct decision *d, const struct eval *ev, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(struct decision *d, const struct eval *ev, const char *fmt, ...)
{
	va_list ap;
	d->refused = true;
	va_start(ap, fmt);
	int n = vasprintf(&d->explanation, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	_cleanup_buf_ struct buf f = {0};
	if (ev && ev->p->fix && plan_status_rank(ev->p->status) == 0)
		buf_puts(&f, ev->p->fix);
	for (size_t i = 0; ev && i < ev->n_checks; i++)
		if (!ev->checks[i].passed && ev->checks[i].severity == SEV_ERROR)
			buf_printf(&f, "%s%s", f.len ? "\n" : "", ev->checks[i].fix);
	if (f.oom)
		return -ENOMEM;
	d->fix = f.len ? buf_steal(&f) : NULL; /* f has text: not NULL */
	return 0;
}

/* A guest with neither a GVT-g vGPU nor an NVIDIA card: this tool has nothing to set up. */
static int refuse_nothing_to_do(const struct snapshot *s, struct decision *d)
{
	_cleanup_buf_ struct buf has = {0};
	for (size_t i = 0; i < s->n_pci; i++) {
		const struct pci_device *p = &s->pci[i];
		if (!pci_is_display(p))
			continue;
		buf_printf(&has, "%s%s %s", has.len ? ", " : "", p->role && *p->role ? p->role : "unknown",
			   p->slot && *p->slot ? p->slot : "(no address)");
	}
	if (has.oom)
		return -ENOMEM;
	d->refused = true;
	int n = asprintf(&d->explanation,
			 "nothing to set up: optimus-guest configures X for an Intel GVT-g vGPU and a muxless NVIDIA card, and this VM has neither (%s%s)",
			 has.len ? "its display devices: " : "it has no display device at all", has.len ? has.s : "");
	if (n < 0) {
		d->explanation = NULL;
		return -ENOMEM;
	}
	d->fix = strdup("give the VM a GVT-g vGPU (an mdev of the host's Intel GPU: libvirt <hostdev mode='subsystem' type='mdev'>) "
			"and/or pass the NVIDIA card through (vfio-pci); an emulated display alone (QXL, virtio-gpu, bochs) "
			"needs nothing from optimus-guest");
	return d->fix ? 0 : -ENOMEM;
}

int plan_evaluate(const struct snapshot *s, const struct profile_set *set, const char *only, struct decision *ret)
{
	struct decision d = {0};
	struct eval *evs = calloc(set->n + 1, sizeof(*evs));
	int rc = 0;
	if (!evs)
		return -ENOMEM;
	for (size_t i = 0; i < set->n && rc == 0; i++)
		if (!only || !strcmp(set->v[i].name, only))
			rc = evaluate(s, &set->v[i], &evs[i]);
	if (rc < 0)
		goto out;

	ssize_t best = -1, closest = -1;
	for (size_t i = 0; i < set->n; i++) {
		if (!evs[i].p)
			continue;
		if (evs[i].eligible && (best < 0 || better(evs[i].p, evs[best].p)))
			best = (ssize_t)i;
		if (evs[i].matched && plan_status_rank(evs[i].p->status) > 0 &&
		    (closest < 0 || better(evs[i].p, evs[closest].p)))
			closest = (ssize_t)i;
	}
	if (only) {
		ssize_t k = -1;
		for (size_t i = 0; i < set->n; i++)
			if (evs[i].p)
				k = (ssize_t)i;
		if (k < 0) {
			rc = -ENOENT;
			goto out;
		}
		struct eval *ev = &evs[k];
		if (plan_status_rank(ev->p->status) == 0) {
			rc = fill_chosen(s, ev, &d);
			if (rc == 0)
				rc = refuse(&d, ev, "%s is %s: %s", ev->p->name, profile_status_name(ev->p->status), ev->p->explanation);
			if (!ev->matched && rc == 0)
				for (size_t i = 0; i < ev->reasons.n; i++)
					if (!strncmp(ev->reasons.v[i], "match:", 6)) {
						char *x = NULL;
						if (asprintf(&x, "%s (and on this guest it does not even apply: %s)", d.explanation,
							     ev->reasons.v[i] + 7) < 0) {
							rc = -ENOMEM;
							break;
						}
						free(d.explanation);
						d.explanation = x;
						break;
					}
		} else if (!ev->eligible) {
			rc = fill_chosen(s, ev, &d);
			if (rc == 0)
				rc = refuse(&d, ev, "%s cannot work on this guest: %s", ev->p->name,
					    ev->reasons.n ? ev->reasons.v[0] : "requirements not met");
		} else {
			rc = fill_chosen(s, ev, &d);
		}
		take_checks(ev, &d);
		goto out;
	}
	if (best >= 0) {
		rc = fill_chosen(s, &evs[best], &d);
		take_checks(&evs[best], &d);
	} else if (!snapshot_find_role(s, ROLE_GVT) && !snapshot_find_role(s, ROLE_NVIDIA_MUXLESS) &&
		   !snapshot_find_role(s, ROLE_NVIDIA_OUTPUTS)) {
		rc = refuse_nothing_to_do(s, &d);
	} else {
		struct eval *ev = closest >= 0 ? &evs[closest] : NULL;
		rc = refuse(&d, ev, "nothing in the matrix works on this guest%s%s%s",
			    ev ? "; the closest row, " : "", ev ? ev->p->name : "", ev ? ", fails the checks below" : "");
		if (ev)
			take_checks(ev, &d);
	}
	if (rc < 0)
		goto out;
	/* every other profile, in evaluation order, with its reasons */
	d.rejected = calloc(set->n + 1, sizeof(*d.rejected));
	if (!d.rejected) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < set->n; i++) {
		if ((ssize_t)i == best)
			continue;
		struct rejection *r = &d.rejected[d.n_rejected++];
		r->profile = strdup(evs[i].p->name);
		r->status = strdup(profile_status_name(evs[i].p->status));
		if (!r->profile || !r->status) {
			rc = -ENOMEM;
			goto out;
		}
		if (evs[i].eligible) {
			char *x = NULL;
			if (asprintf(&x, "eligible, but %s ranks higher (status, then priority)", d.profile) < 0 ||
			    strv_push_take(&r->reasons, x) < 0) {
				rc = -ENOMEM;
				goto out;
			}
		} else if (strv_copy(&r->reasons, &evs[i].reasons) < 0) {
			rc = -ENOMEM;
			goto out;
		}
	}
out:
	for (size_t i = 0; i < set->n; i++)
		eval_clear(&evs[i]);
	free(evs);
	if (rc < 0) {
		decision_clear(&d);
		return rc;
	}
	*ret = d;
	return 0;
}
