/* session_resolve (pure): decision links -> provider XIDs, capability checks, idempotence. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probe.h"
#include "apply/session.h"
#include "probe/providers_text.h"
#include "util/cleanup.h"

static struct snapshot *load(const char *root, const char *listing)
{
	char path[256];
	struct root r = { .fd = -1 };
	struct err e = {0};
	struct snapshot *s = NULL;
	snprintf(path, sizeof(path), "tests/fixtures/%s", root);
	assert_int_equal(root_open_dir(&r, path, &e), 0);
	assert_int_equal(probe_run(&r, &s, &e), 0);
	root_close(&r);
	snprintf(path, sizeof(path), "tests/fixtures/providers/%s", listing);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	providers_clear(&s->providers);
	assert_int_equal(providers_parse_text(buf, n, path, &s->providers, &e), 0);
	providers_map_pci(&s->providers, s);
	return s;
}

static struct session_link link_of(char *kind, char *provider, char *target)
{
	return (struct session_link){ .kind = kind, .provider = provider, .target = target };
}

static void test_offload_sink(void **state)
{
	struct snapshot *s = load("gvt-nouveau-offload", "gvt-nouveau.txt");
	struct session_link l = link_of("offload-sink", "nvidia-muxless", "gvt");
	struct decision d = { .links = &l, .n_links = 1 };
	struct link_action *a = NULL;
	size_t n = 0;
	struct err e = {0};
	assert_int_equal(session_resolve(&d, &s->providers, s, &a, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].provider_id, 0x7d);
	assert_int_equal(a[0].target_id, 0x47);
	assert_string_equal(a[0].provider_name, "nouveau");
	assert_false(a[0].already);
	free(a);
	/* the server already has it: nothing to do */
	s->providers.v[1].offload_sink = 0x47;
	assert_int_equal(session_resolve(&d, &s->providers, s, &a, &n, &e), 0);
	assert_true(a[0].already);
	free(a);
	snapshot_free(s);
}

static void test_qxl_sink_offload(void **state)
{
	struct snapshot *s = load("qxl-boot-vga", "qxl-primary.txt");
	struct session_link l = link_of("offload-sink", "nvidia-muxless", "qxl");
	struct decision d = { .links = &l, .n_links = 1 };
	struct link_action *a = NULL;
	size_t n = 0;
	struct err e = {0};
	assert_int_equal(session_resolve(&d, &s->providers, s, &a, &n, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "provider modesetting (0x48, the qxl device) lacks Sink Offload (it offers: Sink Output)"));
	assert_null(a);
	snapshot_free(s);
}

static void test_missing_and_bad(void **state)
{
	struct snapshot *s = load("gvt-nouveau-offload", "none.txt");
	struct session_link l = link_of("offload-sink", "nvidia-muxless", "gvt");
	struct decision d = { .links = &l, .n_links = 1 };
	struct link_action *a = NULL;
	size_t n = 0;
	struct err e = {0};
	assert_int_equal(session_resolve(&d, &s->providers, s, &a, &n, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "no RandR provider drives the nvidia-muxless device 0000:01:00.0"));
	snapshot_free(s);
	s = load("gvt-nouveau-offload", "gvt-nouveau.txt");
	l.kind = "mirror";
	assert_int_equal(session_resolve(&d, &s->providers, s, &a, &n, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "unknown link kind 'mirror'"));
	d.n_links = 0;
	assert_int_equal(session_resolve(&d, &s->providers, s, &a, &n, &e), 0);
	assert_int_equal(n, 0);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offload_sink),
		cmocka_unit_test(test_qxl_sink_offload),
		cmocka_unit_test(test_missing_and_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
