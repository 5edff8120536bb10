/* Every shipped signature against the real line it was written for and a near-miss; the
 * signature file parser against bad input, one bad input per test. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/signature.h"
#include "util/cleanup.h"

#include "signature_samples.h"

static struct signature_set shipped;

static int load_shipped(void **state)
{
	(void)state;
	struct err e = {0};
	const char *top = getenv("TOP");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/signatures", top ? top : ".");
	if (signature_set_load_dir(&shipped, dir, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int free_shipped(void **state)
{
	(void)state;
	signature_set_clear(&shipped);
	return 0;
}

static const struct signature *find(const char *id)
{
	for (size_t i = 0; i < shipped.n; i++)
		if (strcmp(shipped.v[i].id, id) == 0)
			return &shipped.v[i];
	return NULL;
}

/* Which signatures match LINE in a log of KIND? Exactly ID (and only it), or nothing. */
static void expect_only(const char *line, enum log_kind kind, const char *id)
{
	for (size_t i = 0; i < shipped.n; i++) {
		const struct signature *s = &shipped.v[i];
		bool m = signature_applies(s, kind) && signature_match(s, line, strlen(line));
		bool want = id && strcmp(s->id, id) == 0;
		if (m != want)
			fail_msg("signature %s %s line: %s", s->id, m ? "matches" : "does not match", line);
	}
}

static void test_sample(void **state)
{
	const struct sample *x = *state;
	const struct signature *s = find(x->id);
	if (!s)
		fail_msg("signature %s is not in signatures/", x->id);
	assert_true(signature_match(s, x->line, strlen(x->line)));
	assert_true(signature_applies(s, x->kind));
	if (x->near_miss)
		assert_false(signature_match(s, x->near_miss, strlen(x->near_miss)));
	/* one of the pre-filter literals is in the real line (else the scan would skip it) */
	bool lit = s->n_literals == 0;
	for (size_t i = 0; i < s->n_literals; i++)
		lit |= strstr(x->line, s->literals[i]) != NULL;
	assert_true(lit);
	/* no other signature claims the same line, except the bumblebee line quoting Xorg */
	if (strcmp(x->id, "bumblebee-secondary-gpu") != 0)
		expect_only(x->line, x->kind, x->id);
}

static void test_every_signature_has_a_sample(void **state)
{
	(void)state;
	assert_true(shipped.n >= 20);
	for (size_t i = 0; i < shipped.n; i++)
		assert_true(signature_pattern_cost(shipped.v[i].pattern) < 200);
	for (size_t i = 0; i < shipped.n; i++) {
		bool found = false;
		for (size_t k = 0; k < ARRAY_SIZE(samples); k++)
			found |= strcmp(samples[k].id, shipped.v[i].id) == 0;
		if (!found)
			fail_msg("signature %s (%s:%u) has no real-line test", shipped.v[i].id, shipped.v[i].file, shipped.v[i].line);
	}
}

/* confirms names a shared check id or a matrix row */
static void test_confirms_known(void **state)
{
	(void)state;
	static const char *const known[] = {
		"machine-q35", "firmware-uefi", "nvidia-subsystem-ids", "nvidia-rom", "efi-rom-handover",
		"nvidia-muxless", "nvidia-root-port", "emulated-display", "remote-display", "nvidia-vbios-acpi",
		"gvt-display", "compute-only", "gvt-only", "gvt-nouveau-offload", "gvt-nvidia-offload",
		"nvidia-primary-gvt-output", "qxl-primary", "qxl-reverse-prime", "nouveau-offload-gvt-secondary",
		"bumblebee", "nvidia-sole", "dummy-primary",
	};
	for (size_t i = 0; i < shipped.n; i++) {
		if (!shipped.v[i].confirms)
			continue;
		bool ok = false;
		for (size_t k = 0; k < ARRAY_SIZE(known); k++)
			ok |= strcmp(known[k], shipped.v[i].confirms) == 0;
		if (!ok)
			fail_msg("%s confirms unknown '%s'", shipped.v[i].id, shipped.v[i].confirms);
	}
}

static void test_variants(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		const struct signature *s = find(variants[i].id);
		assert_non_null(s);
		if (!signature_match(s, variants[i].line, strlen(variants[i].line)))
			fail_msg("%s does not match its variant: %s", variants[i].id, variants[i].line);
		expect_only(variants[i].line, variants[i].kind, variants[i].id);
	}
}

static void test_kind_filter(void **state)
{
	(void)state;
	const struct signature *s = find("xorg-no-screens");
	assert_non_null(s);
	assert_false(signature_applies(s, LOG_KERNEL));
	assert_true(signature_applies(s, LOG_XORG));
	assert_true(signature_applies(s, LOG_ANY));
}

/* ---- the parser ---- */

static const char good[] =
	"# comment\n"
	"[a-sig]\n"
	"log = kernel\n"
	"pattern = foo (bar|baz)\n"
	"severity = warning\n"
	"diagnosis = first line\n"
	"  second line\n"
	"fix = do it\n"
	"confirms = efi-rom-handover\n";

static void test_parse_good(void **state)
{
	(void)state;
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, good, strlen(good), "t.ini", &e), 0);
	assert_int_equal(set.n, 1);
	assert_string_equal(set.v[0].id, "a-sig");
	assert_string_equal(set.v[0].diagnosis, "first line second line");
	assert_string_equal(set.v[0].confirms, "efi-rom-handover");
	assert_int_equal(set.v[0].severity, SEV_WARNING);
	assert_int_equal(set.v[0].line, 2);
	assert_int_equal(set.v[0].n_literals, 2);
	assert_string_equal(set.v[0].literals[0], "foo bar");
	assert_string_equal(set.v[0].literals[1], "foo baz");
	assert_true(signature_match(&set.v[0], "x foo baz y", 11));
	assert_false(signature_match(&set.v[0], "x foo qux y", 11));
	signature_set_clear(&set);
}

static void test_parse_crlf_bom(void **state)
{
	(void)state;
	const char t[] = "\xef\xbb\xbf[x]\r\nlog = xorg\r\npattern = abc\r\nseverity = info\r\ndiagnosis = d\r\nfix = f\r\n";
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, t, strlen(t), "t.ini", &e), 0);
	assert_int_equal(set.n, 1);
	assert_string_equal(set.v[0].pattern, "abc");
	signature_set_clear(&set);
}

struct bad {
	const char *text;
	const char *msg;   /* expected start of the error message */
};

#define SIG(extra) "[s]\nlog = kernel\npattern = abc\nseverity = error\ndiagnosis = d\nfix = f\n" extra

static const struct bad bads[] = {
	{ SIG("colour = red\n"), "t.ini:7: unknown key 'colour' in [s]" },
	{ SIG("fix = again\n"), "t.ini:7: 'fix' is repeated in [s] (first at line 6)" },
	{ "[s]\nlog = kernel\npattern = abc\nseverity = error\nfix = f\n", "t.ini:1: [s] has no 'diagnosis'" },
	{ "[s]\n", "t.ini:1: [s] is empty" },
	{ "[s]\nlog = dmesg\npattern = abc\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:2: log 'dmesg' in [s] is not a log kind" },
	{ "[s]\nlog = kernel\npattern = abc\nseverity = fatal\ndiagnosis = d\nfix = f\n", "t.ini:4: severity 'fatal' in [s]" },
	{ "[s]\nlog = kernel\npattern = ab(c\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is not a POSIX extended regular expression" },
	{ "[s]\nlog = kernel\npattern = (a)\\1\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] uses a back-reference" },
	{ "[s]\nlog = kernel\npattern = x*\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] matches an empty line" },
	{ "[s]\nlog = kernel\npattern = caf\xc3\xa9\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] has a byte 0xc3" },
	{ "[s]\nlog = kernel\npattern = a ++++++++++++++++++++++++++++++++++++++++++++b\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is too complex" },
	{ "[s]\nlog = kernel\npattern = ((((a{200}){200}){200}){200})\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is too complex" },
	{ "[s]\nlog = kernel\npattern = x{1000}\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] is too complex" },
	{ "[s]\nlog = kernel\npattern = x(a+)+y\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:3: pattern of [s] repeats a repetition at column 6 ('+y')" },
	{ "[s]\n\n# c\nlog = xorg\npattern = (x*y)*z\nseverity = error\ndiagnosis = d\nfix = f\n", "t.ini:5: pattern of [s] repeats a repetition at column 6" },
	{ SIG("confirms = Not_An_Id\n"), "t.ini:7: confirms 'Not_An_Id' in [s]" },
	{ "log = kernel\n", "t.ini:1: 'log' outside a section" },
	{ "[Bad_Id]\n", "t.ini:1: signature id 'Bad_Id' must be" },
	{ "[s] trailing\n", "t.ini:1: section header is not '[id]'" },
	{ "  [s]\n", "t.ini:1: indented line with no key before it" },
	{ "[s]\n  stray\n", "t.ini:2: indented line with no key before it" },
	{ SIG("") SIG(""), "t.ini:7: signature [s] is already defined at t.ini:1" },
	{ "[s]\nlog = kernel ; comment\n", "t.ini:2: ' ;' inside a line" },
	{ "[s]\nfix = \n", "t.ini:2: 'fix' in [s] is empty" },
	{ "[s]\nlog = kernel\npattern = abc\n  def\n", "t.ini:4: 'pattern' in [s] cannot continue" },
	{ "[s]\nthis is not a key\n", "t.ini:2: not a 'key = value' line" },
	{ "[s]\nlog = ker\0nel\n", "t.ini:2: NUL byte" },
	{ "[s]\n[t\n", "t.ini:1: [s] is empty" },
	{ "[t\n", "t.ini:1: section header is not '[id]'" },
	{ "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", "t.ini:1: signature id is longer than 48" },
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bads); i++) {
		struct signature_set set = {0};
		struct err e = {0};
		size_t len = strlen(bads[i].text);
		if (strstr(bads[i].msg, "NUL"))
			len = sizeof("[s]\nlog = ker\0nel\n") - 1;
		int rc = signature_set_parse(&set, bads[i].text, len, "t.ini", &e);
		if (rc != -EINVAL || strncmp(e.msg, bads[i].msg, strlen(bads[i].msg)) != 0)
			fail_msg("case %zu: rc %d, message '%s', wanted '%s...'", i, rc, e.msg, bads[i].msg);
		assert_int_equal(set.n, 0);
		/* every message says what to do after the '; ' */
		signature_set_clear(&set);
	}
}

/* Nested unbounded repetitions are found wherever they hide; bounded or single ones pass. */
static void test_nested_repeat(void **state)
{
	(void)state;
	static const struct { const char *p; long at; } cases[] = {
		{ "(a+)+", 4 }, { "(a*)*", 4 }, { "(a+)*", 4 }, { "(a*)+b", 4 }, { "a+*", 2 }, { "a*+", 2 },
		{ "((a|b)+c?){2,}", 10 }, { "(x(y+)z)+", 8 }, { "((a+))+", 6 }, { "(a+|b)+", 6 },
		{ "(a{1,}){1,}", 7 }, { "(.*foo)*", 7 },
		{ "abc", -1 }, { "(ab)+", -1 }, { "a+b*c?", -1 }, { "(a+)?", -1 }, { "(a+){2}", -1 }, { "(a+){1,3}", -1 },
		{ "[(+)]+", -1 }, { "\\(a+\\)+", -1 }, { "(a+)(b)+", -1 }, { "(a+|b)c+", -1 },
		{ "nouveau.*bios ctor failed[,:] ?-?[0-9]+", -1 }, { "((((", -1 }, { ")+)+", -1 }, { "(a+){", -1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long at = signature_nested_repeat(cases[i].p);
		if (at != cases[i].at)
			fail_msg("'%s': %ld, wanted %ld", cases[i].p, at, cases[i].at);
	}
	char deep[200] = {0};   /* deeper than the scanner's stack: refused, not overflowed */
	memset(deep, '(', 150);
	assert_int_equal(signature_nested_repeat(deep), 64);
}

static void test_parse_long_line(void **state)
{
	(void)state;
	char t[512];
	memset(t, 0, sizeof(t));
	strcpy(t, "[s]\ndiagnosis = ");
	memset(t + strlen(t), 'x', 300);
	strcat(t, "\n");
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, t, strlen(t), "t.ini", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "t.ini:2: line is 312 characters long, more than 196"));
	signature_set_clear(&set);
}

static void test_parse_truncated(void **state)
{
	(void)state;
	/* every prefix of a good file either parses or fails with a message: never crashes */
	for (size_t n = 0; n <= strlen(good); n++) {
		struct signature_set set = {0};
		struct err e = {0};
		int rc = signature_set_parse(&set, good, n, "t.ini", &e);
		if (rc < 0)
			assert_non_null(strstr(e.msg, "t.ini:"));
		signature_set_clear(&set);
	}
}

static void test_literal(void **state)
{
	(void)state;
	/* LIT: the literals, '|'-separated; NULL: none can be proved */
	struct { const char *re, *lit; } t[] = {
		{ "nouveau.*unable to locate usable image", "unable to locate usable image" },
		{ "abc|defgh", "abc|defgh" },
		{ "ab|defgh", NULL },                      /* a branch shorter than 3 bytes */
		{ "(abc|def)ghij", "abcghij|defghij" },
		{ "abcd?e", "abc" },
		{ "xy{2}zzz", "zzz" },
		{ "xy{1}zzz", "xyzzz" },
		{ "ab{,3}cdef", "cdef" },
		{ "ab+cdef", "cdef" },
		{ "x(abc|abd)+y", "abc|abd" },
		{ "x(ab|cd)+yz", NULL },
		{ "\\(EE\\) modeset\\([0-9]+\\): No modes\\.", "(EE) modeset(" },
		{ "[abc]de", "ade|bde|cde" },
		{ "[a-c]de", NULL },                       /* ranges are not expanded */
		{ "[^a]bcd", "bcd" },
		{ "Screen\\(s\\) found, but none", "Screen(s) found, but none" },
		{ "a\\wbcd", "bcd" },
		{ "foo\\'", "foo" },                       /* \' is GNU's end-of-buffer, not a quote */
		{ "[]x]yyyy", "]yyyy|xyyyy" },
		{ "[[:digit:]]+ bytes", " bytes" },
		{ "(^|[] )])no screens found", "no screens found" },   /* longer variants add nothing */
		{ "nouveau.*bios ctor failed[,:] ?-?[0-9]+", "bios ctor failed,|bios ctor failed:" },
		{ "NVRM: (GPU [0-9a-fA-F:.]+: )?[Ff]ailed to copy", "Failed to copy|failed to copy" },
		{ "(a|)bcdef", "bcdef" },
		{ "[abcdefghij]xyz", "xyz" },              /* more than 8 strings: the run is cut */
		{ "*abc", NULL },                          /* malformed or unusual: nothing claimed */
		{ "a{x}bcd", NULL },
		{ "abc(", NULL },
		{ "((((((((abc))))))))", NULL },           /* deeper than the analysis goes */
		{ "", NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char **l = signature_literals(t[i].re);
		char got[512] = "";
		for (size_t k = 0; l && l[k]; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "|" : "", l[k]);
		if (t[i].lit == NULL ? l != NULL : (l == NULL || strcmp(got, t[i].lit) != 0))
			fail_msg("literals of '%s' are '%s', wanted '%s'", t[i].re, l ? got : "(none)", t[i].lit ? t[i].lit : "(none)");
		signature_literals_free(l);
	}
}

/* A signature with no literal still matches: its regex runs on every line. */
static void test_no_literal_fallback(void **state)
{
	(void)state;
	static const char t[] = "[s]\nlog = any\npattern = ^x+y$|^q\nseverity = info\ndiagnosis = d\nfix = f\n";
	struct signature_set set = {0};
	struct err e = {0};
	assert_int_equal(signature_set_parse(&set, t, strlen(t), "t.ini", &e), 0);
	assert_int_equal(set.v[0].n_literals, 0);
	assert_true(signature_match(&set.v[0], "xxy", 3));
	assert_true(signature_match(&set.v[0], "q", 1));
	assert_false(signature_match(&set.v[0], "xyz", 3));
	signature_set_clear(&set);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(samples) + 16];
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(samples); i++)
		tests[n++] = (struct CMUnitTest){ samples[i].id, test_sample, NULL, NULL, (void *)&samples[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_every_signature_has_a_sample);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_confirms_known);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_variants);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kind_filter);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_good);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_crlf_bom);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_bad);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_nested_repeat);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_long_line);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_truncated);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_literal);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_no_literal_fallback);
	return _cmocka_run_group_tests("signatures", tests, n, load_shipped, free_shipped);
}
