/* plan: profiles x snapshot -> decision. Pure: no I/O, no clock, no environment. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "model/severity.h"
#include "model/snapshot.h"
#include "plan/profile.h"
#include "util/strv.h"

struct profile_set;
struct profile;


/* One evaluated check. */
struct check_result {
	char *id;
	enum severity severity;
	bool passed;
	char *message;   /* what was found, and where */
	char *fix;       /* what to do; NULL when passed */
};

struct rejection {
	char *profile;
	char *status;
	struct strv reasons;  /* "check-id: message" or the matrix's explanation */
};

/* A provider link the session-start step makes (xrandr --setprovider...). */
struct session_link {
	char *kind;     /* "output-source" or "offload-sink" */
	char *provider; /* role of the provider whose setting changes: "gvt" */
	char *target;   /* role of the source/sink: "nvidia-muxless" */
};

/* A file apply would write, rendered later from a template. */
struct planned_file {
	char *name;      /* "20-optimus-guest-gvt.conf" under etc/X11/xorg.conf.d */
	char *template;  /* "gvt-primary" in xorg-snippets/ */
};

struct decision {
	char *profile;        /* chosen profile, NULL when none */
	char *status;         /* its matrix status */
	char *summary;
	bool refused;
	char *explanation;    /* why refused (matrix's words), NULL otherwise */
	char *fix;
	struct check_result *checks;   /* the chosen (or asked-for) profile's checks */
	size_t n_checks;
	struct rejection *rejected;    /* every other profile, in evaluation order */
	size_t n_rejected;
	struct strv offload_env;       /* "DRI_PRIME=pci-0000_01_00_0" */
	struct session_link *links;
	size_t n_links;
	struct planned_file *files;
	size_t n_files;
	char *gvt_slot;        /* devices the profile uses, NULL when absent */
	char *nvidia_slot;
};

void decision_clear(struct decision *d);

/* Evaluate every profile of SET against S. ONLY names one profile to evaluate alone
 * (plan NAME / apply NAME), NULL to auto-select. Returns 0 (decision filled, maybe
 * refused) or -errno. Same inputs, same decision. */
int plan_evaluate(const struct snapshot *s, const struct profile_set *set, const char *only, struct decision *ret);

/* Rank of a status for auto-selection: works 2, needs-patch/untested 1, broken/never 0. */
int plan_status_rank(enum profile_status status);
