#pragma once
#include <jansson.h>

#include "plan/plan.h"

/* The DESIGN.md contract: profile, status, refused, checks, rejected, and more. */
json_t *decision_to_json(const struct decision *d);
