/* host/: the iGPU table, mdevctl definitions, and the checks as pure functions of facts. */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_check.h"
#include "host/host_check_int.h"
#include "host/host_igpu.h"
#include "host/host_mdevctl.h"

static void test_igpu_table(void **state)
{
	assert_true(igpu_ids_n > 300);
	for (unsigned i = 1; i < igpu_ids_n; i++)
		assert_true(igpu_ids[i - 1].device < igpu_ids[i].device);   /* sorted, unique: bsearch works */
	static const struct { unsigned id; const char *plat; unsigned gen; bool gvt; } t[] = {
		{ 0x1616, "Broadwell", 8, true }, { 0x1916, "Skylake", 9, true }, { 0x5917, "Kaby Lake", 9, true },
		{ 0x591b, "Kaby Lake", 9, true }, { 0x87c0, "Kaby Lake", 9, true }, { 0x5a85, "Broxton", 9, true },
		{ 0x3e9b, "Coffee Lake", 9, true }, { 0x3ea0, "Coffee Lake", 9, true }, { 0x9bc4, "Comet Lake", 9, true },
		{ 0x9b41, "Comet Lake", 9, true }, { 0x3185, "Gemini Lake", 9, false }, { 0x22b0, "Cherryview", 8, false },
		{ 0x0416, "Haswell", 7, false }, { 0x8a52, "Ice Lake", 11, false }, { 0x9a49, "Tiger Lake", 12, false },
		{ 0x46a6, "Alder Lake-P", 12, false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct igpu_id *g = igpu_lookup(t[i].id);
		assert_non_null(g);
		assert_string_equal(g->platform, t[i].plat);
		assert_int_equal(g->gen, t[i].gen);
		assert_int_equal(igpu_has_gvt(g), t[i].gvt);
		if (!t[i].gvt)
			assert_non_null(strstr(igpu_no_gvt_instead(g), "GVT-g") ? "x" : strstr(igpu_no_gvt_instead(g), "virtualization"));
	}
	assert_null(igpu_lookup(0x1234));
	assert_null(igpu_lookup(0));
	assert_null(igpu_lookup(0xffffffff));
	assert_false(igpu_has_gvt(NULL));
}

static void test_uuid(void **state)
{
	assert_true(mdevctl_is_uuid("4b20d080-1b54-4048-85b3-a6a62d165c01"));
	assert_true(mdevctl_is_uuid("4B20D080-1B54-4048-85B3-A6A62D165C01"));
	assert_false(mdevctl_is_uuid("4b20d080-1b54-4048-85b3-a6a62d165c0"));
	assert_false(mdevctl_is_uuid("4b20d080-1b54-4048-85b3-a6a62d165c011"));
	assert_false(mdevctl_is_uuid("4b20d0801-b54-4048-85b3-a6a62d165c01"));
	assert_false(mdevctl_is_uuid("4b20d080-1b54-4048-85b3-a6a62d165g01"));
	assert_false(mdevctl_is_uuid("../../../../etc/passwd-00000000000"));
	assert_false(mdevctl_is_uuid(""));
}

static int parse(const char *text, size_t len, struct mdevctl_def *d, struct err *e)
{
	memset(e, 0, sizeof(*e));
	return mdevctl_parse(text, len, "/etc/mdevctl.d/P/U", "0000:00:02.0", "4b20d080-1b54-4048-85b3-a6a62d165c01", d, e);
}

static void test_mdevctl_good(void **state)
{
	struct mdevctl_def d;
	struct err e;
	const char *a = "{\n  \"mdev_type\": \"i915-GVTg_V5_4\",\n  \"start\": \"auto\",\n  \"attrs\": []\n}";
	assert_int_equal(parse(a, strlen(a), &d, &e), 0);
	assert_string_equal(d.type, "i915-GVTg_V5_4");
	assert_string_equal(d.parent, "0000:00:02.0");
	assert_true(d.autostart);
	mdevctl_def_clear(&d);
	/* as mdevctl: anything but "auto" is manual; no attrs is fine; the last duplicate wins */
	const char *b[] = { "{\"mdev_type\": \"t\", \"start\": \"manual\"}", "{\"mdev_type\": \"t\", \"start\": 1}",
			    "{\"mdev_type\": \"t\", \"start\": \"sometimes\", \"attrs\": [{\"x\": \"1\"}]}" };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(parse(b[i], strlen(b[i]), &d, &e), 0);
		assert_false(d.autostart);
		mdevctl_def_clear(&d);
	}
	const char *c = "{\"mdev_type\": \"t1\", \"start\": \"auto\", \"mdev_type\": \"t2\"}";
	assert_int_equal(parse(c, strlen(c), &d, &e), 0);
	assert_string_equal(d.type, "t2");
	mdevctl_def_clear(&d);
}

static void test_mdevctl_bad(void **state)
{
	static const struct { const char *text; const char *says; } t[] = {
		{ "", "/etc/mdevctl.d/P/U:1:0: not an mdevctl definition" },
		{ "{\"mdev_type\": \"i915-GVTg_V5_4\", \"sta", "/etc/mdevctl.d/P/U:1:36:" },
		{ "[1]", "a JSON object is expected" },
		{ "\"auto\"", "/etc/mdevctl.d/P/U:1:6: not an mdevctl definition" },
		{ "{\"start\": \"auto\"}", "\"mdev_type\" is missing" },
		{ "{\"mdev_type\": 7, \"start\": \"auto\"}", "\"mdev_type\" is missing or not a type name" },
		{ "{\"mdev_type\": \"\", \"start\": \"auto\"}", "not a type name" },
		{ "{\"mdev_type\": \"../../x\", \"start\": \"auto\"}", "not a type name" },
		{ "{\"mdev_type\": \"a b\", \"start\": \"auto\"}", "not a type name" },
		{ "{\"mdev_type\": \"a\\nb\", \"start\": \"auto\"}", "not a type name" },
		{ "{\"mdev_type\": \"a\\u0000b\", \"start\": \"auto\"}", "is not allowed" },
		{ "{\"mdev_type\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"start\": \"auto\"}", "not a type name" },
		{ "{\"mdev_type\": \"t\"}", "\"start\" is missing" },
		{ "{\"mdev_type\": \"t\", \"start\": \"auto\", \"attrs\": 5}", "\"attrs\" is not an array" },
		{ "{\"mdev_type\": \"t\", \"start\": \"auto\"} trailing", "not an mdevctl definition" },
		{ "\xff\xfe{", "not an mdevctl definition" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct mdevctl_def d;
		struct err e;
		assert_int_equal(parse(t[i].text, strlen(t[i].text), &d, &e), -EINVAL);
		if (!strstr(e.msg, t[i].says))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, t[i].says);
		assert_null(d.type);
	}
	/* an embedded NUL in the file itself */
	struct mdevctl_def d;
	struct err e;
	assert_int_equal(parse("{\"mdev_type\"\0: \"t\"}", 19, &d, &e), -EINVAL);
}

static void test_cmdline(void **state)
{
	assert_true(hc_cmdline_has("intel_iommu=on", "intel_iommu=on"));
	assert_true(hc_cmdline_has("ro quiet\tintel_iommu=on iommu=pt", "intel_iommu=on"));
	assert_false(hc_cmdline_has("intel_iommu=onx", "intel_iommu=on"));
	assert_false(hc_cmdline_has("xintel_iommu=on", "intel_iommu=on"));
	assert_false(hc_cmdline_has("", "intel_iommu=on"));
	assert_false(hc_cmdline_has(NULL, "intel_iommu=on"));
}

/* Facts of a ready Skylake host, to change one thing at a time. */
static struct host_dev devs[5];
static struct host_mdev_type types[1];
static struct host_mdev mdevs[1];
static struct mdevctl_def defs[1];

static struct host_facts ready(void)
{
	memset(devs, 0, sizeof(devs));
	devs[0] = (struct host_dev){ "0000:00:01.0", { 0x8086, 0x1901, 0x1028, 0x07be, 0x060400 }, "pcieport", 1 };
	devs[1] = (struct host_dev){ "0000:00:02.0", { 0x8086, 0x1916, 0x1028, 0x07be, 0x030000 }, "i915", 2 };
	devs[2] = (struct host_dev){ "0000:01:00.0", { 0x10de, 0x139b, 0x1028, 0x07be, 0x030200 }, "vfio-pci", 1 };
	types[0] = (struct host_mdev_type){ "i915-GVTg_V5_4", "low_gm_size: 128MB", 1 };
	mdevs[0] = (struct host_mdev){ "4b20d080-1b54-4048-85b3-a6a62d165c01", "0000:00:02.0", "i915-GVTg_V5_4" };
	defs[0] = (struct mdevctl_def){ "0000:00:02.0", "4b20d080-1b54-4048-85b3-a6a62d165c01", "i915-GVTg_V5_4", true };
	return (struct host_facts){
		.cmdline = "ro intel_iommu=on", .n_iommu_units = 1, .n_iommu_groups = 3, .mod_i915 = true, .mod_kvmgt = true,
		.mod_vfio_pci = true, .mod_mdev = true, .enable_gvt = 1, .devs = devs, .n_devs = 3, .igpu = 1, .nvidia = 2,
		.types = types, .n_types = 1, .mdevs = mdevs, .n_mdevs = 1, .mdevctl_dir = true, .defs = defs, .n_defs = 1,
		.rom = HOST_ROM_ABSENT,
	};
}

static const struct host_check *find(const struct host_report *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->checks[i].id, id))
			return &r->checks[i];
	fail_msg("no check %s", id);
	return NULL;
}

/* Run the checks on F; check ID failed with severity SEV and MESSAGE/FIX containing the words. */
static void expect(const struct host_facts *f, bool ready_, const char *id, bool passed, const char *msg, const char *fix)
{
	struct host_report r;
	assert_int_equal(host_check(f, &r), 0);
	assert_int_equal(r.ready, ready_);
	const struct host_check *c = find(&r, id);
	assert_int_equal(c->passed, passed);
	if (msg && !strstr(c->message, msg))
		fail_msg("%s: '%s' lacks '%s'", id, c->message, msg);
	if (fix && (!c->fix || !strstr(c->fix, fix)))
		fail_msg("%s: fix '%s' lacks '%s'", id, c->fix ? c->fix : "(none)", fix);
	host_report_clear(&r);
}

static void test_checks(void **state)
{
	struct host_facts f = ready();
	expect(&f, true, "igpu-gvt", true, "Skylake (Gen 9)", NULL);
	expect(&f, true, "vgpu", true, "started at boot; it exists now", NULL);

	f = ready(); f.n_iommu_units = 0;
	expect(&f, false, "iommu", false, "although the kernel command line has intel_iommu=on", "enable VT-d");
	f = ready(); f.enable_gvt = -1;
	expect(&f, false, "gvt-enabled", false, "without CONFIG_DRM_I915_GVT", "CONFIG_DRM_I915_GVT=y");
	f = ready(); f.enable_gvt = -1; f.mod_i915 = false;
	expect(&f, false, "gvt-enabled", false, "i915 is not loaded", "blacklist i915");
	f = ready(); f.mod_vfio_pci = false;
	expect(&f, true, "modules", false, "not loaded: vfio_pci", "modprobe -a vfio_pci");
	f = ready(); f.mod_kvmgt = false; f.n_types = 0;
	expect(&f, false, "modules", false, "not loaded: kvmgt", "'kvmgt' in /etc/modules-load.d/optimus-guest.conf");
	/* built in: no sys/module entry, but the bus, the driver and the types are there */
	f = ready(); f.mod_kvmgt = f.mod_mdev = f.mod_vfio_pci = false; f.bus_mdev = f.drv_vfio_pci = true;
	expect(&f, true, "modules", true, "are loaded", NULL);
	f.bus_mdev = false;
	expect(&f, false, "modules", false, "not loaded: mdev", NULL);
	f = ready(); types[0].available = 0; f.n_mdevs = 0;
	expect(&f, false, "vgpu-types", false, "0 available", "mdevctl stop");
	f = ready(); f.n_defs = 0;
	expect(&f, true, "vgpu", false, "gone after a reboot", "mdevctl define --auto -u 4b20d080");
	f = ready(); defs[0].autostart = false;
	expect(&f, true, "vgpu", false, "not started at boot", "mdevctl modify --auto");
	f = ready(); devs[1].id.device = 0x9a49;
	expect(&f, false, "igpu-gvt", false, "Tiger Lake (Gen 12): no GVT-g", "SR-IOV");
	f = ready(); devs[1].id.device = 0x1234;
	expect(&f, false, "igpu-gvt", false, "not in i915's list", NULL);
	f = ready(); f.igpu = -1;
	expect(&f, false, "vgpu", false, "no iGPU with GVT-g", "see igpu-gvt");

	f = ready(); devs[2].id.class_code = 0x030000;
	expect(&f, false, "nvidia-card", false, "has display outputs", NULL);
	f = ready(); f.nvidia = -1;
	expect(&f, false, "nvidia-card", false, "no NVIDIA display device", "lspci -nn -d 10de:");
	f = ready(); devs[2].driver = NULL;
	expect(&f, true, "nvidia-vfio", true, "no driver bound", NULL);
	f = ready(); devs[2].driver = "nvidia";
	expect(&f, true, "nvidia-vfio", false, "bound to nvidia", "softdep nvidia pre: vfio-pci");
	f = ready(); devs[2].group = -1;
	expect(&f, false, "nvidia-iommu-group", false, "in no IOMMU group", "see iommu");
	/* a USB controller elsewhere sharing the group: named, and the host loses it */
	f = ready(); devs[3] = (struct host_dev){ "0000:00:14.0", { 0x8086, 0xa12f, 0x1028, 0x07be, 0x0c0330 }, "xhci_hcd", 1 };
	f.n_devs = 4;
	expect(&f, false, "nvidia-iommu-group", false, "0000:00:14.0 8086:a12f (USB controller, class 0x0c0330)", "the host loses it");
	/* the same with no driver, or vfio-pci: fine */
	devs[3].driver = NULL;
	expect(&f, true, "nvidia-iommu-group", true, "0000:00:14.0 (USB controller, no driver)", NULL);
	f = ready(); devs[2].id.sub_vendor = devs[2].id.sub_device = 0;
	expect(&f, true, "nvidia-subsystem-ids", false, "0000:0000", "lspci -nnv -s 01:00.0");
	f = ready(); f.rom = HOST_ROM_UNREADABLE; f.rom_errno = EINVAL;
	expect(&f, true, "nvidia-vbios", false, "reading it failed (Invalid argument", "vbios inspect");
	uint8_t junk[64] = { 0x55, 0xaa, 1 };
	f = ready(); f.rom = HOST_ROM_READ; f.rom_data = junk; f.rom_len = sizeof(junk);
	expect(&f, true, "nvidia-vbios", false, "gives no usable VBIOS", "vbios extract");
	f = ready(); f.rom = HOST_ROM_READ; f.rom_data = junk; f.rom_len = 0;
	expect(&f, true, "nvidia-vbios", false, "it is empty", "vbios extract");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_igpu_table),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_mdevctl_good),
		cmocka_unit_test(test_mdevctl_bad),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
