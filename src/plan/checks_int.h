/* Shared by the check implementation files. */
#pragma once
#include <stdbool.h>

#include "plan/checks.h"
#include "util/buf.h"

struct ctx {
	const struct snapshot *s;
	const struct profile *p;
	struct buf msg, fix;
	bool lower;   /* a failure that 'apply' itself remedies: a warning, whatever the check's severity */
};

void check_say(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_fix(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool check_providers_offload(struct ctx *c);
bool check_providers_primary(struct ctx *c);
bool check_providers_driver(struct ctx *c);
