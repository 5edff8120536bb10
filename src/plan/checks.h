/* The named checks profiles require. Pure functions of the snapshot. */
#pragma once
#include <stdbool.h>

#include "plan/plan.h"
#include "plan/profile.h"
#include "model/snapshot.h"

/* NULL-terminated list of every check id (for the profile validator). */
extern const char *const check_ids[];

/* Evaluate check ID for profile P; fills OUT (message always, fix on failure). -ENOENT: unknown id. */
int check_run(const char *id, const struct snapshot *s, const struct profile *p, struct check_result *out);
/* One line describing what the check looks at (profiles list --checks). */
const char *check_describe(const char *id);
