/* drm_crosscheck.c (pure), the drm part of the snapshot round trip, and the
 * libdrm probe on a machine without DRM devices. */
#include "testutil.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/probe_drm.h"
#include "probe/probe.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"

/* libdrm's view of the gvt-nouveau-offload guest, agreeing with its sysfs */
static void fill(struct snapshot *s)
{
	s->drm.probed = true;
	s->drm.n = 2;
	s->drm.v = calloc(2, sizeof(*s->drm.v));
	struct drm_device *g = &s->drm.v[0], *n = &s->drm.v[1];
	g->pci_slot = strdup("0000:00:02.0");
	g->primary = strdup("/dev/dri/card0");
	g->render = strdup("/dev/dri/renderD128");
	g->driver = strdup("i915");
	g->driver_version = strdup("1.6.0");
	/* the same connectors sysfs shows */
	const struct pci_device *p = snapshot_find_slot(s, "0000:00:02.0");
	g->connectors = calloc(p->n_connectors, sizeof(*g->connectors));
	for (size_t i = 0; i < p->n_connectors; i++) {
		g->connectors[i].name = strdup(p->connectors[i].name);
		g->connectors[i].status = strdup(p->connectors[i].status);
	}
	g->n_connectors = p->n_connectors;
	assert_int_equal(strcmp(g->connectors[0].name, "DP-1"), 0);
	n->pci_slot = strdup("0000:01:00.0");
	n->primary = strdup("/dev/dri/card1");
	n->render = strdup("/dev/dri/renderD129");
	n->driver = strdup("nouveau");
	n->driver_version = strdup("1.3.1");
}

static size_t check(const struct snapshot *s, struct strv *f)
{
	strv_clear(f);
	return drm_crosscheck(s, f);
}

static bool has(const struct strv *f, const char *want)
{
	for (size_t i = 0; i < f->n; i++)
		if (strstr(f->v[i], want))
			return true;
	return false;
}

static void test_agree(void **state)
{
	struct snapshot *s = probe_fixture("gvt-nouveau-offload");
	struct strv f = {0};
	assert_int_equal(check(s, &f), 0);   /* not probed: nothing to compare */
	fill(s);
	size_t n = check(s, &f);
	for (size_t i = 0; i < f.n; i++)
		print_message("%s\n", f.v[i]);
	assert_int_equal(n, 0);
	strv_clear(&f);
	snapshot_free(s);
}

static void test_disagree(void **state)
{
	struct snapshot *s = probe_fixture("gvt-nouveau-offload");
	struct strv f = {0};
	fill(s);
	struct drm_device *g = &s->drm.v[0], *n = &s->drm.v[1];
	free(g->connectors[0].status);
	g->connectors[0].status = strdup("connected");
	free(n->driver);
	n->driver = strdup("nvidia-drm");
	free(n->primary);
	n->primary = strdup("/dev/dri/card7");
	assert_int_equal(check(s, &f), 3);
	assert_true(has(&f, "0000:00:02.0: connector DP-1 is connected for libdrm but disconnected in sysfs"));
	assert_true(has(&f, "0000:01:00.0: libdrm reports driver 'nvidia-drm' but sysfs has 'nouveau' bound"));
	assert_true(has(&f, "0000:01:00.0: libdrm node /dev/dri/card7 is not among sysfs's DRM cards"));

	/* connectors on one side only */
	free(g->connectors[0].name);
	g->connectors[0].name = strdup("eDP-1");
	check(s, &f);
	assert_true(has(&f, "connector eDP-1 is known to libdrm but not in sysfs"));
	assert_true(has(&f, "connector DP-1 is in sysfs but libdrm does not list it"));
	snapshot_free(s);
	strv_clear(&f);
}

static void test_permission_and_missing(void **state)
{
	struct snapshot *s = probe_fixture("gvt-nouveau-offload");
	struct strv f = {0};
	fill(s);
	struct drm_device *g = &s->drm.v[0];
	g->error = strdup("cannot open /dev/dri/card0: Permission denied (run as root or add the user to the 'video' group); using sysfs");
	connectors_free(g->connectors, g->n_connectors);
	g->connectors = NULL;
	g->n_connectors = 0;
	assert_int_equal(check(s, &f), 1);   /* no connector findings: they were not read */
	assert_true(has(&f, "0000:00:02.0: cannot open /dev/dri/card0: Permission denied"));
	/* a device libdrm lists that the PCI scan does not know, and the other way round */
	free(s->drm.v[1].pci_slot);
	s->drm.v[1].pci_slot = strdup("0000:05:00.0");
	check(s, &f);
	assert_true(has(&f, "0000:05:00.0: libdrm lists a DRM device (nouveau) that the PCI scan did not record"));
	assert_true(has(&f, "0000:01:00.0: sysfs shows DRM node card1 but libdrm does not list the device"));
	snapshot_free(s);
	strv_clear(&f);
}

static void test_aliases(void **state)
{
	assert_true(drm_driver_matches("virtio_gpu", "virtio-pci"));
	assert_true(drm_driver_matches("nvidia-drm", "nvidia"));
	assert_true(drm_driver_matches("qxl", "qxl"));
	assert_false(drm_driver_matches("nouveau", "nvidia"));
	assert_false(drm_driver_matches("i915", NULL));
}

static void test_round_trip(void **state)
{
	struct snapshot *s = probe_fixture("gvt-nouveau-offload");
	struct err e = {0};
	fill(s);
	s->drm.v[1].error = strdup("cannot open /dev/dri/card1: Permission denied");
	_cleanup_free_ char *a = snapshot_to_string(s);
	struct snapshot *r = NULL;
	assert_int_equal(snapshot_from_string(a, strlen(a), "a", &r, &e), 0);
	assert_true(r->drm.probed);
	assert_int_equal(r->drm.n, 2);
	assert_string_equal(r->drm.v[0].connectors[0].name, "DP-1");
	assert_string_equal(r->drm.v[1].driver_version, "1.3.1");
	_cleanup_free_ char *b = snapshot_to_string(r);
	assert_string_equal(a, b);
	snapshot_free(r);
	snapshot_free(s);
}

static void test_live_none(void **state)
{
	struct drm_live d;
	struct err e = {0};
	if (access("/dev/dri", F_OK) == 0)
		skip();   /* tests/sh/41-drm.sh covers a machine with nodes */
	assert_int_equal(probe_drm(&d, &e), 0);
	assert_false(d.probed);
	assert_int_equal(d.n, 0);
	drm_live_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),
		cmocka_unit_test(test_disagree),
		cmocka_unit_test(test_permission_and_missing),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_live_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
