/* The validators say every error of a file, in line order, not the first only; a hostile
 * file cannot flood the output, and nothing of a bad file is loaded. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "plan/profile.h"
#include "report/signature.h"
#include "util/buf.h"
#include "util/cleanup.h"

static const char *const ids[] = { "machine-q35", NULL };

static void assert_lines(const struct strv *v, const char *const *want, size_t n)
{
	if (v->n != n)
		for (size_t i = 0; i < v->n; i++)
			print_message("got: %s\n", v->v[i]);
	assert_int_equal(v->n, n);
	for (size_t i = 0; i < n; i++)
		if (strncmp(v->v[i], want[i], strlen(want[i])) != 0)
			fail_msg("error %zu: wanted '%s...', got '%s'", i, want[i], v->v[i]);
}

static void test_profile_every_error(void **s)
{
	const char *text = "[profile]\nname = row\nstatus = fine\nsumary = s\npriority = high\n"
			   "[match]\nroles = gvt gpu\n[matches]\nroles = gvt\n[checks]\nrequire = nope\n";
	static const char *const want[] = {
		"p/10-row.ini:1: [profile] needs 'summary",
		"p/10-row.ini:3: status 'fine' is not one of",
		"p/10-row.ini:4: unknown key 'sumary' in [profile]; did you mean 'summary'?",
		"p/10-row.ini:5: priority 'high' is not a number",
		"p/10-row.ini:7: unknown role 'gpu'",
		"p/10-row.ini:8: unknown section [matches]",
		"p/10-row.ini:11: unknown check id 'nope'",
	};
	struct profile_rules rules = { .check_ids = ids };
	_cleanup_strv_ struct strv errors = {0};
	struct profile p = {0};
	struct err e = {0};
	assert_int_equal(profile_parse_all(text, strlen(text), "p/10-row.ini", &rules, &p, &e, &errors), -EINVAL);
	assert_lines(&errors, want, ARRAY_SIZE(want));
	assert_null(p.name);
	/* the one-error form still names one of them */
	assert_int_equal(profile_parse(text, strlen(text), "p/10-row.ini", &rules, &p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "p/10-row.ini:"));
}

static void test_profile_flood_capped(void **s)
{
	struct buf b = {0};
	buf_puts(&b, "[profile]\n");
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "no equals sign here\n");
	_cleanup_strv_ struct strv errors = {0};
	struct profile p = {0};
	struct err e = {0};
	assert_int_equal(profile_parse_all(b.s, b.len, "p/10-row.ini", NULL, &p, &e, &errors), -EINVAL);
	assert_int_equal(errors.n, ERR_LIST_MAX + 1);
	assert_non_null(strstr(errors.v[ERR_LIST_MAX], "more errors not shown"));
	buf_free(&b);
}

static void test_signature_every_error(void **s)
{
	const char *text = "[good]\nlog = kernel\npattern = fine\nseverity = info\ndiagnosis = d\nfix = f\n"
			   "[bad id]\nlog = kernel\n"
			   "[one]\nlog = nope\npattern = abc\nseverity = error\ndiagnosis = d\nfix = f\n"
			   "[two]\nlog = kernel\nfoo = 1\npattern = x(a+)+y\nseverity = bad\ndiagnosis = d\nfix = f\n"
			   "not a line\n";
	static const char *const want[] = {
		"t.ini:7: signature id 'bad id' must be",
		"t.ini:7: [bad id] has no 'pattern', 'severity', 'diagnosis', 'fix'",
		"t.ini:10: log 'nope' in [one] is not a log kind",
		"t.ini:17: unknown key 'foo' in [two]",
		"t.ini:18: pattern of [two] repeats a repetition",
		"t.ini:19: severity 'bad' in [two] is not one",
		"t.ini:22: not a 'key = value' line",
	};
	struct signature_set set = {0};
	_cleanup_strv_ struct strv errors = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse_all(&set, text, strlen(text), "t.ini", &e, &errors), -EINVAL);
	assert_lines(&errors, want, ARRAY_SIZE(want));
	assert_int_equal(set.n, 0);   /* [good] is not kept from a bad file */
	signature_set_clear(&set);
}

static void test_signature_flood_capped(void **s)
{
	struct buf b = {0};
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "[x]\n");
	struct signature_set set = {0};
	_cleanup_strv_ struct strv errors = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse_all(&set, b.s, b.len, "t.ini", &e, &errors), -EINVAL);
	assert_int_equal(errors.n, ERR_LIST_MAX + 1);
	assert_non_null(strstr(errors.v[ERR_LIST_MAX], "more errors not shown"));
	assert_non_null(strstr(e.msg, "t.ini:1: [x] is empty"));
	signature_set_clear(&set);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_every_error),
		cmocka_unit_test(test_profile_flood_capped),
		cmocka_unit_test(test_signature_every_error),
		cmocka_unit_test(test_signature_flood_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
