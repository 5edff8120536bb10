/* The profile parser: one bad input per test, each with FILE:LINE and what to do. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "plan/profile.h"

static const char *const ids[] = { "machine-q35", "nvidia-rom", NULL };

static int parse(const char *text, struct profile *p, struct err *e)
{
	struct strv tpl = {0};
	strv_push(&tpl, "gvt-primary");
	struct profile_rules rules = { .check_ids = ids, .templates = &tpl };
	memset(p, 0, sizeof(*p));
	int rc = profile_parse(text, strlen(text), "p/10-row.ini", &rules, p, e);
	strv_clear(&tpl);
	return rc;
}

#define GOOD_HEAD "[profile]\nname = row\nstatus = works\nsummary = a row\npriority = 5\n[match]\nroles = gvt\n"

static void expect_error(const char *text, const char *msg)
{
	struct profile p;
	struct err e = {0};
	assert_int_not_equal(parse(text, &p, &e), 0);
	if (!strstr(e.msg, msg))
		fail_msg("wanted '%s' in '%s'", msg, e.msg);
	assert_null(p.name);  /* never half used */
}

static void test_valid(void **s)
{
	struct profile p;
	struct err e = {0};
	assert_int_equal(parse(GOOD_HEAD "[checks]\nrequire = machine-q35\n  nvidia-rom\n[write]\nfiles = 20-optimus-guest-x.conf:gvt-primary\n", &p, &e), 0);
	assert_string_equal(p.name, "row");
	assert_int_equal(p.priority, 5);
	assert_int_equal(p.checks.n, 2);   /* continuation line joined */
	assert_string_equal(p.checks.v[1], "nvidia-rom");
	profile_clear(&p);
}

static void test_syntax(void **s) { expect_error(GOOD_HEAD "this is not ini\n", "p/10-row.ini:8: expected 'key = value'"); }
static void test_unknown_key(void **s) { expect_error(GOOD_HEAD "rols = gvt\n", "p/10-row.ini:8: unknown key 'rols' in [match]; did you mean 'roles'?"); }
static void test_repeated_key(void **s) { expect_error(GOOD_HEAD "roles = qxl\n", "p/10-row.ini:8: key 'roles' repeated in [match] (first at line 7)"); }
static void test_unknown_check(void **s) { expect_error(GOOD_HEAD "[checks]\nrequire = machine-q53\n", "p/10-row.ini:9: unknown check id 'machine-q53'"); }
static void test_missing_key(void **s) { expect_error("[profile]\nname = row\nstatus = works\npriority = 1\n[match]\nroles = gvt\n", "p/10-row.ini:1: [profile] needs 'summary"); }
static void test_missing_template(void **s) { expect_error(GOOD_HEAD "[write]\nfiles = 20-optimus-guest-x.conf:nope\n", "p/10-row.ini:9: template 'nope' does not exist"); }
static void test_bad_file_name(void **s) { expect_error(GOOD_HEAD "[write]\nfiles = 20-x.conf:gvt-primary\n", "is not NAME.conf:TEMPLATE with 'optimus-guest'"); }
static void test_long_line(void **s)
{
	char buf[600];
	snprintf(buf, sizeof(buf), GOOD_HEAD "absent_roles = %0300d\n", 1);
	expect_error(buf, "p/10-row.ini:8: line longer than 199 characters");
}
static void test_empty_section(void **s) { expect_error(GOOD_HEAD "[checks]\n[write]\nfiles = 20-optimus-guest-x.conf:gvt-primary\n", "p/10-row.ini:8: empty section [checks]"); }
static void test_unknown_section(void **s) { expect_error(GOOD_HEAD "[matches]\nroles = gvt\n", "p/10-row.ini:8: unknown section [matches]"); }
static void test_bad_status(void **s) { expect_error("[profile]\nname = row\nstatus = fine\nsummary = s\npriority = 1\n[match]\nroles = gvt\n", "p/10-row.ini:3: status 'fine' is not one of"); }
static void test_name_mismatch(void **s) { expect_error("[profile]\nname = other\nstatus = works\nsummary = s\npriority = 1\n[match]\nroles = gvt\n", "p/10-row.ini:2: name 'other' does not match the file name"); }
static void test_broken_needs_explain(void **s) { expect_error("[profile]\nname = row\nstatus = broken\nsummary = s\npriority = 0\n[match]\nroles = gvt\n", "needs [explain] reason and fix"); }
static void test_unknown_role(void **s) { expect_error("[profile]\nname = row\nstatus = works\nsummary = s\npriority = 1\n[match]\nroles = gpu\n", "p/10-row.ini:7: unknown role 'gpu'"); }
static void test_unknown_any_role(void **s) { expect_error("[profile]\nname = row\nstatus = works\nsummary = s\npriority = 1\n[match]\nrender_node = yes\nany_roles = gvt vgpu\n", "p/10-row.ini:8: unknown role 'vgpu'"); }
static void test_bad_priority(void **s) { expect_error("[profile]\nname = row\nstatus = works\nsummary = s\npriority = high\n[match]\nroles = gvt\n", "p/10-row.ini:5: priority 'high' is not a number"); }
static void test_nul_byte(void **s)
{
	struct profile p;
	struct err e = {0};
	const char text[] = "[profile]\nna\0me = x\n";
	struct profile_rules rules = { .check_ids = ids };
	assert_int_not_equal(profile_parse(text, sizeof(text) - 1, "p/10-row.ini", &rules, &p, &e), 0);
	assert_non_null(strstr(e.msg, "p/10-row.ini:2: NUL byte"));
}
static void test_bad_link(void **s) { expect_error(GOOD_HEAD "[session]\nlinks = sideways:gvt:qxl\n", "p/10-row.ini:9: link 'sideways:gvt:qxl' is not"); }
static void test_bad_env(void **s) { expect_error(GOOD_HEAD "[offload]\nenv = 1X=2\n", "p/10-row.ini:9: env entry '1X=2' is not VAR=value"); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid), cmocka_unit_test(test_syntax), cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_repeated_key), cmocka_unit_test(test_unknown_check), cmocka_unit_test(test_missing_key),
		cmocka_unit_test(test_missing_template), cmocka_unit_test(test_bad_file_name), cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_empty_section), cmocka_unit_test(test_unknown_section), cmocka_unit_test(test_bad_status),
		cmocka_unit_test(test_name_mismatch), cmocka_unit_test(test_broken_needs_explain), cmocka_unit_test(test_unknown_role),
		cmocka_unit_test(test_unknown_any_role),
		cmocka_unit_test(test_bad_priority), cmocka_unit_test(test_nul_byte), cmocka_unit_test(test_bad_link),
		cmocka_unit_test(test_bad_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
