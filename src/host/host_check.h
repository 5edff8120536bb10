/* host check: is this host ready to run the VM? Pure: facts in, checks out. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "host/host_facts.h"
#include "model/severity.h"

struct host_check {
	const char *id;          /* "iommu", "gvt-enabled", ... (static) */
	enum severity severity;  /* how bad a failure is */
	bool passed;
	char *message;           /* what was found, with the evidence */
	char *fix;               /* what to do; NULL when passed */
};

struct host_report {
	struct host_check *checks;
	size_t n;
	bool ready;              /* no failed check of severity error */
};

/* Every check, in a fixed order. -ENOMEM only. */
int host_check(const struct host_facts *f, struct host_report *ret);
void host_report_clear(struct host_report *r);
