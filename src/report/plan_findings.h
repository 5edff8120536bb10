/* Log findings in the decision: pure, after plan_evaluate. A finding whose `confirms`
 * names a failed check is noted in that check's message; one that names a passed check
 * or the chosen row contradicts the plan and becomes a log-contradiction warning. */
#pragma once
#include "report/finding.h"
#include "plan/plan.h"

int plan_apply_findings(struct decision *d, const struct findings *f);
