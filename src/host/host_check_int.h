/* Shared by host_check*.c. */
#pragma once
#include "host/host_check.h"

/* printf into a new string; NULL when out of memory. */
char *hc_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Append a check; takes MESSAGE and FIX (either may be NULL only after an allocation failure). */
int hc_add(struct host_report *r, const char *id, enum severity sev, bool passed, char *message, char *fix);
/* The word W is on the kernel command line. */
bool hc_cmdline_has(const char *cmdline, const char *w);
/* "audio device", "USB controller", ... or "class 0x0c0330". */
const char *hc_class_name(unsigned class_code, char buf[static 24]);

int hc_nvidia_checks(const struct host_facts *f, struct host_report *r);
