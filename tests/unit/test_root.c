/* root.c: resolution stays inside the root whatever the symlinks say. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/root.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/og-root-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char p[256];
	snprintf(p, sizeof(p), "%s/a/b", dir);
	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/a/b", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/a/b/f", dir);
	FILE *f = fopen(p, "w");
	fputs("0x10de\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/up", dir);
	assert_int_equal(symlink("../../../../../a/b", p), 0);   /* .. past the top is clamped */
	snprintf(p, sizeof(p), "%s/abs", dir);
	assert_int_equal(symlink("/a/b/f", p), 0);               /* absolute: inside the root */
	snprintf(p, sizeof(p), "%s/loop", dir);
	assert_int_equal(symlink("loop", p), 0);
	*state = NULL;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void test_resolve_clamped(void **state)
{
	struct root r = { .fd = -1 };
	struct err e = {0};
	char *res = NULL;
	assert_int_equal(root_open_dir(&r, dir, &e), 0);
	assert_int_equal(root_resolve(&r, "up/f", &res, &e), 0);
	assert_string_equal(res, "a/b/f");
	free(res);
	unsigned v = 0;
	assert_int_equal(root_read_hex(&r, "abs", &v, &e), 0);
	assert_int_equal(v, 0x10de);
	root_close(&r);
}

static void test_loop(void **state)
{
	struct root r = { .fd = -1 };
	struct err e = {0};
	char *s = NULL;
	assert_int_equal(root_open_dir(&r, dir, &e), 0);
	assert_int_equal(root_read_line(&r, "loop", &s, &e), -ELOOP);
	assert_non_null(strstr(e.msg, "too many levels"));
	root_close(&r);
}

static void test_missing_is_silent(void **state)
{
	struct root r = { .fd = -1 };
	struct err e = {0};
	char *s = NULL;
	assert_int_equal(root_open_dir(&r, dir, &e), 0);
	assert_int_equal(root_read_line(&r, "a/none", &s, &e), -ENOENT);
	assert_string_equal(e.msg, "");
	root_close(&r);
}

static void test_bad_hex(void **state)
{
	struct root r = { .fd = -1 };
	struct err e = {0};
	unsigned v;
	char p[256];
	snprintf(p, sizeof(p), "%s/a/hex", dir);
	FILE *f = fopen(p, "w");
	fputs("0xqq\n", f);
	fclose(f);
	assert_int_equal(root_open_dir(&r, dir, &e), 0);
	assert_int_equal(root_read_hex(&r, "a/hex", &v, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "a/hex"));
	assert_non_null(strstr(e.msg, "not a hex number"));
	root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_clamped),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_missing_is_silent),
		cmocka_unit_test(test_bad_hex),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
