/* sha256, diff, manifest parsing and the writer's API on a temporary root. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diff.h"
#include "apply/manifest.h"
#include "util/sha256.h"
#include "apply/write.h"

static void test_sha256_vectors(void **state)
{
	char h[65];
	sha256_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";  /* 448 bits: padding edge */
	sha256_hex(m, strlen(m), h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a': a long input */
	size_t n = 1000000;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	sha256_hex(big, n, h);
	free(big);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	(void)state;
}

static char *diff_of(const char *a, const char *b)
{
	struct buf out = {0};
	assert_int_equal(diff_unified(a, strlen(a), b, strlen(b), "a/x", "b/x", &out), 0);
	return out.s ? buf_steal(&out) : strdup("");
}

static void test_diff_forms(void **state)
{
	char *d = diff_of("same\n", "same\n");
	assert_string_equal(d, "");
	free(d);
	d = diff_of("", "one\ntwo\n");
	assert_string_equal(d, "--- a/x\n+++ b/x\n@@ -0,0 +1,2 @@\n+one\n+two\n");
	free(d);
	d = diff_of("one\n", "");
	assert_string_equal(d, "--- a/x\n+++ b/x\n@@ -1 +0,0 @@\n-one\n");
	free(d);
	d = diff_of("a\nb\nc\n", "a\nB\nc\n");
	assert_string_equal(d, "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
	free(d);
	d = diff_of("a\nb", "a\nb\n");
	assert_string_equal(d, "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
	free(d);
	/* two changes far apart: two hunks with 3 lines of context */
	d = diff_of("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY\n");
	assert_string_equal(d, "--- a/x\n+++ b/x\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+Y\n");
	free(d);
	(void)state;
}

/* Random texts: GNU patch applied to our diff gives the second text back. */
static void test_diff_random_patch(void **state)
{
	char dir[] = "/tmp/og-diff-XXXXXX";
	assert_non_null(mkdtemp(dir));
	unsigned seed = 12345;
	for (int round = 0; round < 60; round++) {
		char a[2048] = "", b[2048] = "";
		for (int k = 0; k < 2; k++) {
			char *t = k ? b : a;
			int n = (int)((seed = seed * 1103515245 + 12345) >> 16) % 40;
			for (int i = 0; i < n; i++) {
				char line[16];
				snprintf(line, sizeof(line), "l%u\n", ((seed = seed * 1103515245 + 12345) >> 16) % 8);
				strcat(t, line);
			}
		}
		char *d = diff_of(a, b);
		char p[128], cmd[512];
		snprintf(p, sizeof(p), "%s/x", dir);
		FILE *f = fopen(p, "w");
		fputs(a, f);
		fclose(f);
		snprintf(p, sizeof(p), "%s/d", dir);
		f = fopen(p, "w");
		fputs(d, f);
		fclose(f);
		free(d);
		snprintf(cmd, sizeof(cmd), "cd %s && patch -s -p1 < d > /dev/null 2>&1; cat x", dir);
		f = popen(cmd, "r");
		char got[2048] = "";
		size_t n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = 0;
		pclose(f);
		assert_string_equal(got, b);
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	(void)state;
}

static const char good[] =
	"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"profile\": \"gvt-only\",\n"
	" \"created_dirs\": [\"etc\", \"etc/X11\"],\n"
	" \"files\": [{\"name\": \"20-optimus-guest-gvt.conf\",\n"
	"   \"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\n"
	"   \"original\": {\"backup\": \"20-optimus-guest-gvt.conf.orig.e3b0c44298fc\",\n"
	"     \"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\n"
	"     \"mode\": 420, \"uid\": 0, \"gid\": 0, \"mtime_sec\": 1, \"mtime_nsec\": 2}}]}\n";

static void test_manifest_round_trip(void **state)
{
	struct manifest m = {0};
	struct err e = {0};
	assert_int_equal(manifest_parse(good, strlen(good), &m, &e), 0);
	assert_string_equal(m.profile, "gvt-only");
	assert_int_equal(m.n_files, 1);
	assert_true(m.files[0].has_original);
	char *t = manifest_format(&m);
	struct manifest m2 = {0};
	assert_int_equal(manifest_parse(t, strlen(t), &m2, &e), 0);
	char *t2 = manifest_format(&m2);
	assert_string_equal(t, t2);
	free(t);
	free(t2);
	manifest_clear(&m);
	manifest_clear(&m2);
	(void)state;
}

/* Every truncation and every single-byte corruption is refused or still a valid manifest, never a crash. */
static void test_manifest_truncated_and_mutated(void **state)
{
	size_t n = strlen(good);
	for (size_t len = 0; len < n - 2; len++) {
		struct manifest m = {0};
		struct err e = {0};
		assert_int_equal(manifest_parse(good, len, &m, &e), -EBADMSG);
		assert_true(e.msg[0] != 0);
	}
	char buf[sizeof(good)];
	for (size_t i = 0; i < n; i++) {
		memcpy(buf, good, sizeof(good));
		buf[i] ^= 0x20;
		struct manifest m = {0};
		struct err e = {0};
		int rc = manifest_parse(buf, n, &m, &e);
		assert_true(rc == 0 || rc == -EBADMSG);
		manifest_clear(&m);
	}
	(void)state;
}

static void test_manifest_hostile(void **state)
{
	static const char *const bad[] = {
		"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"profile\": null, \"created_dirs\": [\"../etc\"], \"files\": []}",
		"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"profile\": null, \"created_dirs\": [\"/etc\"], \"files\": []}",
		"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"profile\": null, \"created_dirs\": [], \"files\": [{\"name\": \"../../x-optimus-guest.conf\", \"sha256\": null}]}",
		"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"profile\": null, \"created_dirs\": [], \"files\": [{\"name\": \"xorg.conf\", \"sha256\": null}]}",
		"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"profile\": null, \"created_dirs\": [], \"files\": [{\"name\": \"a-optimus-guest.conf\", \"sha256\": \"zz\"}]}",
		"{\"format\": \"optimus-guest-manifest\", \"version\": 2, \"profile\": null, \"created_dirs\": [], \"files\": []}",
		"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"profile\": null, \"created_dirs\": [], \"files\": [], \"extra\": 1}",
		"{\"format\": \"optimus-guest-manifest\", \"version\": 1, \"version\": 1, \"profile\": null, \"created_dirs\": [], \"files\": []}",
		"[]", "null", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct manifest m = {0};
		struct err e = {0};
		assert_int_equal(manifest_parse(bad[i], strlen(bad[i]), &m, &e), -EBADMSG);
	}
	(void)state;
}

/* The writer's API: apply, idempotence, revert, on a temporary root. */
static void test_write_api(void **state)
{
	char root[] = "/tmp/og-write-XXXXXX";
	assert_non_null(mkdtemp(root));
	char content[] = "# Written by optimus-guest for a test\nSection \"ServerFlags\"\nEndSection\n";
	struct out_file f = { .name = "20-optimus-guest-test.conf", .content = content, .len = strlen(content) };
	struct rendered r = { .profile = "test", .files = &f, .n_files = 1 };
	struct write_opts o = {0};
	struct write_result res = {0};
	struct err e = {0};
	assert_int_equal(write_apply(root, &r, &o, &res, &e), 0);
	assert_true(res.changed);
	write_result_clear(&res);
	assert_int_equal(write_apply(root, &r, &o, &res, &e), 0);
	assert_false(res.changed);
	write_result_clear(&res);
	o.dry_run = true;
	content[2] = 'w';  /* header still there ("# written" is not the mark: must refuse) */
	assert_int_equal(write_apply(root, &r, &o, &res, &e), -EINVAL);
	content[2] = 'W';
	write_result_clear(&res);
	o.dry_run = false;
	assert_int_equal(write_revert(root, &o, &res, &e), 0);
	write_result_clear(&res);
	char p[128];
	snprintf(p, sizeof(p), "%s/etc", root);
	assert_int_equal(access(p, F_OK), -1);
	snprintf(p, sizeof(p), "%s/var", root);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(rmdir(root), 0);
	(void)state;
}

static void test_header(void **state)
{
	assert_true(write_has_header("# Written by optimus-guest\n", 27));
	assert_true(write_has_header("\n\n# Written by optimus-guest", 28));
	assert_false(write_has_header("Section # Written by optimus-guest\n", 35));
	assert_false(write_has_header("1\n2\n3\n4\n5\n# Written by optimus-guest\n", 37));
	assert_false(write_has_header("", 0));
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_diff_forms),
		cmocka_unit_test(test_diff_random_patch),
		cmocka_unit_test(test_manifest_round_trip),
		cmocka_unit_test(test_manifest_truncated_and_mutated),
		cmocka_unit_test(test_manifest_hostile),
		cmocka_unit_test(test_write_api),
		cmocka_unit_test(test_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
