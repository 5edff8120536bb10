/* optimus-guest session: make the provider links a profile needs
 * (xrandr --setprovideroutputsource / --setprovideroffloadsink). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"
#include "model/providers.h"
#include "probe/probe_randr.h"

struct link_action {
	const char *kind;          /* "output-source" or "offload-sink" (points into the decision) */
	const char *provider_role; /* whose setting changes: a GPU screen */
	const char *target_role;   /* the source (output-source) or sink (offload-sink) */
	unsigned provider_id, target_id;
	char provider_name[64], target_name[64];
	bool already;              /* the server has this link already: nothing to do */
};

/* Decision links -> provider XIDs, checking the capabilities the X server
 * requires (rrprovider.c). Pure. -ENOENT/-EINVAL with e set when a role has no
 * provider or a provider lacks the capability. */
int session_resolve(const struct decision *d, const struct providers *p, const struct snapshot *s,
		    struct link_action **ret, size_t *ret_n, struct err *e);

/* Set every link not already there, then read the providers back and check.
 * *changed counts the links set. */
int session_apply(struct randr_conn *c, const struct snapshot *s, struct link_action *a, size_t n, size_t *changed,
		  struct err *e);

/* What 'xrandr --auto' does for the outputs an output-source link adds: run it
 * (posix_spawnp, PATH). -ENOENT when xrandr is not installed. */
int session_xrandr_auto(const char *display, struct err *e);
