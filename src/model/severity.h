/* The one severity scale: planner checks, log findings and libvirt checks. */
#pragma once

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2, _SEV_MAX };

/* "info", "warning", "error"; "unknown" outside the enum. */
const char *severity_name(enum severity s);
/* The inverse of severity_name; -EINVAL for any other word. */
int severity_parse(const char *s, enum severity *ret);
