/* mdevctl's persistent definitions: etc/mdevctl.d/PARENT/UUID, one JSON object each
 * ({"mdev_type": "i915-GVTg_V5_4", "start": "auto" or "manual", "attrs": [...]}), as
 * mdevctl 1.x writes them ('mdevctl define') and 'mdevctl list --defined' reads them. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct mdevctl_def {
	char *parent;     /* "0000:00:02.0" (the directory) */
	char *uuid;       /* the file name */
	char *type;       /* mdev_type */
	bool autostart;   /* start: "auto" */
};

/* True when NAME has the form mdevctl gives its files (a UUID: 8-4-4-4-12 hex digits). */
bool mdevctl_is_uuid(const char *name);
/* Parse one definition file's TEXT; FILE names it in messages (FILE:LINE:COLUMN: what). */
int mdevctl_parse(const char *text, size_t len, const char *file, const char *parent, const char *uuid,
		  struct mdevctl_def *ret, struct err *e);
void mdevctl_def_clear(struct mdevctl_def *d);
