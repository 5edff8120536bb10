/* Probe a recorded guest tree under tests/fixtures (suites run from the top directory). */
#pragma once
#include <stdio.h>

#include "probe/probe.h"
#include "testutil.h"

static inline struct snapshot *probe_fixture(const char *name)
{
	char path[256];
	struct root r = { .fd = -1 };
	struct err e = {0};
	struct snapshot *s = NULL;
	snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	assert_int_equal(root_open_dir(&r, path, &e), 0);
	assert_int_equal(probe_run(&r, &s, &e), 0);
	root_close(&r);
	return s;
}
