/* probe_randr against a real Xvfb: version, zero providers, a server that
 * goes away mid-query, a display nobody answers on. */
#include "testutil.h"

#include "model/providers.h"
#include "probe/probe_randr.h"
#include "xserver.h"

static void test_version_and_none(void **state)
{
	struct xserver x;
	if (xserver_start(&x) < 0)
		skip();
	struct providers p = {0};
	struct err e = {0};
	int rc = probe_randr(x.display, NULL, &p, &e);
	xserver_stop(&x);
	if (rc < 0)
		fail_msg("%s", e.msg);
	assert_string_equal(p.source, "live");
	assert_string_equal(p.randr_version, "1.6");
	assert_true(p.supported);
	assert_int_equal(p.n, 0);
	providers_clear(&p);
}

static void kill_server(void *ctx)
{
	xserver_stop(ctx);
}

static void test_server_goes_away(void **state)
{
	struct xserver x;
	if (xserver_start(&x) < 0)
		skip();
	struct providers p = {0};
	struct err e = {0};
	struct randr_hooks h = { .after_version = kill_server, .ctx = &x };
	int rc = probe_randr(x.display, &h, &p, &e);
	xserver_stop(&x);
	assert_true(rc < 0);
	if (!strstr(e.msg, "went away while"))
		fail_msg("message: %s", e.msg);
	assert_non_null(strstr(e.msg, x.display));
	assert_null(p.source);
	/* the process is still here, and Xlib still works for a new connection */
	assert_int_equal(xserver_start(&x), 0);
	rc = probe_randr(x.display, NULL, &p, &e);
	xserver_stop(&x);
	assert_int_equal(rc, 0);
	providers_clear(&p);
}

static void test_unreachable(void **state)
{
	struct providers p = {0};
	struct err e = {0};
	assert_true(probe_randr(":4711", NULL, &p, &e) < 0);
	assert_non_null(strstr(e.msg, "cannot open X display ':4711'"));
	unsetenv("DISPLAY");
	assert_true(probe_randr(NULL, NULL, &p, &e) < 0);
	assert_non_null(strstr(e.msg, "DISPLAY is not set"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_and_none),
		cmocka_unit_test(test_server_goes_away),
		cmocka_unit_test(test_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
