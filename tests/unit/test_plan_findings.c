/* Log findings folded into a decision: confirmations and contradictions. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "report/plan_findings.h"

static void add_check(struct decision *d, const char *id, bool passed)
{
	d->checks = realloc(d->checks, (d->n_checks + 1) * sizeof(*d->checks));
	struct check_result *c = &d->checks[d->n_checks++];
	memset(c, 0, sizeof(*c));
	c->id = strdup(id);
	c->severity = SEV_ERROR;
	c->passed = passed;
	c->message = strdup("found");
	c->fix = passed ? NULL : strdup("do");
}

static void test_confirms_failed_check(void **s)
{
	struct decision d = {0};
	struct findings f = {0};
	add_check(&d, "efi-rom-handover", false);
	findings_add(&f, "nouveau-vbios-not-found", SEV_ERROR, "m", "x", "efi-rom-handover", "var/log/kern.log", 3, "t");
	assert_int_equal(plan_apply_findings(&d, &f), 0);
	assert_int_equal(d.n_checks, 1);
	assert_non_null(strstr(d.checks[0].message, "confirmed by the log: nouveau-vbios-not-found, var/log/kern.log line 3"));
	decision_clear(&d);
	findings_clear(&f);
}

static void test_contradicts_passed_check(void **s)
{
	struct decision d = {0};
	struct findings f = {0};
	add_check(&d, "efi-rom-handover", true);
	findings_add(&f, "nouveau-vbios-not-found", SEV_ERROR, "m", "fix it", "efi-rom-handover", "kern.log", 9, "line");
	assert_int_equal(plan_apply_findings(&d, &f), 0);
	assert_int_equal(d.n_checks, 2);
	assert_string_equal(d.checks[1].id, "log-contradiction");
	assert_int_equal(d.checks[1].severity, SEV_WARNING);
	assert_non_null(strstr(d.checks[1].message, "check efi-rom-handover passed, but the log says otherwise"));
	assert_string_equal(d.checks[1].fix, "fix it");
	decision_clear(&d);
	findings_clear(&f);
}

static void test_chosen_row_contradicted_and_info_ignored(void **s)
{
	struct decision d = { .profile = strdup("gvt-nouveau-offload") };
	struct findings f = {0};
	findings_add(&f, "gvt-detected", SEV_INFO, "m", "x", "gvt-nouveau-offload", "kern.log", 1, "ok");
	assert_int_equal(plan_apply_findings(&d, &f), 0);
	assert_int_equal(d.n_checks, 0);
	findings_add(&f, "attach-output-gpu", SEV_ERROR, "m", "x", "gvt-nouveau-offload", "Xorg.0.log", 7, "Assertion");
	assert_int_equal(plan_apply_findings(&d, &f), 0);
	assert_int_equal(d.n_checks, 1);
	assert_non_null(strstr(d.checks[0].message, "gvt-nouveau-offload was chosen"));
	decision_clear(&d);
	findings_clear(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confirms_failed_check),
		cmocka_unit_test(test_contradicts_passed_check),
		cmocka_unit_test(test_chosen_row_contradicted_and_info_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
