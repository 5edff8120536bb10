/* providers_text.c, providers_map.c: realistic listings, bad input, the PCI mapping. */
#include "testutil.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probe.h"
#include "model/providers.h"
#include "probe/providers_text.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"

#define FIXP "tests/fixtures/providers/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

static int parse_file(const char *path, struct providers *p, struct err *e)
{
	size_t len;
	_cleanup_free_ char *t = slurp(path, &len);
	memset(e, 0, sizeof(*e));
	return providers_parse_text(t, len, path, p, e);
}

static void test_gvt_nouveau(void **state)
{
	struct providers p = {0};
	struct err e;
	assert_int_equal(parse_file(FIXP "gvt-nouveau.txt", &p, &e), 0);
	assert_true(p.supported);
	assert_null(p.randr_version);
	assert_string_equal(p.source, FIXP "gvt-nouveau.txt");
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].id, 0x47);
	assert_int_equal(p.v[0].caps, 0xf);
	assert_int_equal(p.v[0].crtcs, 3);
	assert_int_equal(p.v[0].outputs, 4);
	assert_int_equal(p.v[0].associated, 1);
	assert_string_equal(p.v[0].name, "modesetting");
	assert_int_equal(p.v[1].index, 1);
	assert_int_equal(p.v[1].caps, PROV_CAP_SOURCE_OUTPUT | PROV_CAP_SOURCE_OFFLOAD);
	assert_string_equal(p.v[1].name, "nouveau");

	struct snapshot *s = probe_fixture("gvt-nouveau-offload");
	providers_map_pci(&p, s);
	assert_string_equal(p.v[0].pci_slot, "0000:00:02.0");
	assert_string_equal(p.v[1].pci_slot, "0000:01:00.0");
	assert_ptr_equal(providers_find_role(&p, s, "gvt"), &p.v[0]);
	assert_ptr_equal(providers_find_role(&p, s, "nvidia-muxless"), &p.v[1]);
	assert_ptr_equal(providers_primary(&p, s), &p.v[0]);
	snapshot_free(s);
	providers_clear(&p);
}

static void test_nvidia_g0(void **state)
{
	struct providers p = {0};
	struct err e;
	assert_int_equal(parse_file(FIXP "gvt-nvidia-g0.txt", &p, &e), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[1].caps, 0);
	assert_int_equal(p.v[1].id, 0x1f8);
	assert_string_equal(p.v[1].name, "NVIDIA-G0");
	struct snapshot *s = probe_fixture("gvt-nvidia-acpi");
	providers_map_pci(&p, s);
	assert_string_equal(p.v[0].pci_slot, "0000:00:02.0");
	assert_string_equal(p.v[1].pci_slot, "0000:01:00.0");
	assert_ptr_equal(providers_primary(&p, s), &p.v[0]);
	providers_clear(&p);
	assert_int_equal(parse_file(FIXP "nvidia-primary.txt", &p, &e), 0);
	providers_map_pci(&p, s);
	assert_string_equal(p.v[0].pci_slot, "0000:01:00.0");
	assert_string_equal(p.v[1].pci_slot, "0000:00:02.0");
	assert_ptr_equal(providers_primary(&p, s), &p.v[0]);   /* NVIDIA-0: an X screen */
	snapshot_free(s);
	providers_clear(&p);
}

static void test_qxl(void **state)
{
	struct providers p = {0};
	struct err e;
	assert_int_equal(parse_file(FIXP "qxl-primary.txt", &p, &e), 0);
	assert_string_equal(p.randr_version, "1.6");
	assert_int_equal(p.n, 3);
	assert_int_equal(p.v[0].caps, PROV_CAP_SINK_OUTPUT);
	struct snapshot *s = probe_fixture("qxl-boot-vga");
	providers_map_pci(&p, s);
	/* boot VGA QXL first, then GVT; nouveau by name */
	assert_string_equal(p.v[0].pci_slot, "0000:00:01.0");
	assert_string_equal(p.v[1].pci_slot, "0000:00:02.0");
	assert_string_equal(p.v[2].pci_slot, "0000:01:00.0");
	assert_ptr_equal(providers_primary(&p, s), &p.v[0]);   /* QXL is X's primary */
	/* two modesetting providers on a guest with one candidate: ambiguous */
	struct snapshot *g = probe_fixture("gvt-nouveau-offload");
	providers_map_pci(&p, g);
	assert_null(p.v[0].pci_slot);
	assert_null(p.v[1].pci_slot);
	assert_string_equal(p.v[2].pci_slot, "0000:01:00.0");
	snapshot_free(g);
	snapshot_free(s);
	providers_clear(&p);
}

/* virtio-gpu: PCI driver virtio-pci, DRM driver virtio_gpu. X's MatchDriver sees the latter,
 * so an OutputClass with MatchDriver "virtio_gpu" and PrimaryGPU makes it X's primary. */
static void test_virtio_gpu_primary_by_drm_name(void **state)
{
	struct providers p = {0};
	struct err e;
	assert_int_equal(parse_file(FIXP "qxl-virtio-modesetting.txt", &p, &e), 0);
	struct snapshot *s = probe_fixture("qxl-virtio-gpu");
	providers_map_pci(&p, s);
	assert_string_equal(p.v[0].pci_slot, "0000:00:02.0");   /* configured primary first */
	assert_string_equal(p.v[1].pci_slot, "0000:00:01.0");   /* then the boot VGA QXL */
	assert_ptr_equal(providers_primary(&p, s), &p.v[0]);
	snapshot_free(s);
	providers_clear(&p);
}

static void test_randr13_and_none(void **state)
{
	struct providers p = {0};
	struct err e;
	assert_int_equal(parse_file(FIXP "randr13.txt", &p, &e), 0);
	assert_false(p.supported);
	assert_string_equal(p.randr_version, "1.3");
	assert_int_equal(p.n, 0);
	providers_clear(&p);
	assert_int_equal(parse_file(FIXP "none.txt", &p, &e), 0);
	assert_true(p.supported);
	assert_int_equal(p.n, 0);
	providers_clear(&p);
	assert_int_equal(parse_file(FIXP "crlf-spaces.txt", &p, &e), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].name, "Intel Graphics (with spaces)");
	assert_int_equal(p.v[0].caps, 0xb);
	providers_clear(&p);
}

static void bad(const char *file, const char *want)
{
	struct providers p = {0};
	struct err e;
	char path[256];
	snprintf(path, sizeof(path), FIXP "bad/%s", file);
	assert_true(parse_file(path, &p, &e) < 0);
	if (!strstr(e.msg, want))
		fail_msg("%s: message '%s' lacks '%s'", file, e.msg, want);
	assert_int_equal(p.n, 0);
}

static void test_bad(void **state)
{
	bad("truncated-line.txt", "bad/truncated-line.txt:3: truncated provider line: it ends before 'outputs:'");
	bad("unknown-word.txt", ":2: unknown capability word 'Sink Teleport'");
	bad("duplicate-id.txt", ":3: provider id 0x47 is also provider 0's");
	bad("too-few.txt", ":3: truncated listing: line 1 announces 3 providers but 1 follow");
	bad("too-many.txt", ":3: more provider lines than the 1 that line 1 announces");
	bad("caps-mismatch.txt", ":2: cap 0xb means 'Source Output, Sink Output, Sink Offload' but the line says 'Source Output, Sink Offload'");
	bad("not-providers.txt", ":1: expected 'Providers: number : N'");
	bad("empty.txt", ":1: no 'Providers: number : N' line");
}

static void parse_str(const char *t, int want_rc, const char *want)
{
	struct providers p = {0};
	struct err e = {0};
	int rc = providers_parse_text(t, strlen(t), "x", &p, &e);
	if ((rc == 0) != (want_rc == 0))
		fail_msg("'%s': rc %d (%s)", t, rc, e.msg);
	if (want && !strstr(e.msg, want))
		fail_msg("'%s': message '%s' lacks '%s'", t, e.msg, want);
	if (rc == 0)
		providers_clear(&p);
}

static void test_hostile(void **state)
{
	parse_str("Providers: number : 99999999999\n", -1, "x:1: provider count is not a number");
	parse_str("Providers: number : 100000\n", -1, "more than the 256");
	parse_str("Providers: number : 1\nProvider 0: id: 0xfffffffff cap: 0x0 crtcs: 0 outputs: 0 associated providers: 0 name:a\n",
		  -1, "x:2: the id is not a hexadecimal number");
	parse_str("Providers: number : 1\nProvider 1: id: 0x1 cap: 0x0 crtcs: 0 outputs: 0 associated providers: 0 name:a\n", -1,
		  "x:2: provider index 1 out of order, expected 0");
	parse_str("Providers: number : 1\nProvider 0: id: 0x1 cap: 0x3, Sink Output, Source Output crtcs: 0 outputs: 0 associated providers: 0 name:\n",
		  0, NULL);   /* order of words is free, empty name allowed */
	parse_str("Providers: number : 1\nProvider 0: id: 0x1 cap: 0x2, Sink Output, Sink Output crtcs: 0 outputs: 0 associated providers: 0 name:a\n",
		  -1, "listed twice");
	parse_str("Providers: number : 1\nProvider 0: id: 0x1 cap: 0x10 crtcs: 0 outputs: 0 associated providers: 0 name:a\n", 0, NULL);
	parse_str("RandR 1.4 not supported\nProvider 0: x\n", -1, "x:2: unexpected text after 'RandR 1.4 not supported'");
	parse_str("Server reports RandR version 1.x\n", -1, "x:1: RandR version is not MAJOR.MINOR");
	struct providers p = {0};
	struct err e = {0};
	assert_true(providers_parse_text("Providers: number : 0\n\0junk", 28, "x", &p, &e) < 0);
	assert_non_null(strstr(e.msg, "x:2: NUL byte"));
	assert_true(providers_parse_text(NULL, 0, NULL, &p, &e) < 0);

	/* every prefix and every single-byte change of a real listing: never a crash */
	size_t len;
	_cleanup_free_ char *t = slurp(FIXP "qxl-primary.txt", &len);
	for (size_t n = 0; n <= len; n++) {
		if (providers_parse_text(t, n, "x", &p, &e) == 0)
			providers_clear(&p);
	}
	const char subst[] = { 0, '\n', ' ', ',', ':', 'x', '9', (char)0xff };
	for (size_t i = 0; i < len; i++) {
		char keep = t[i];
		for (size_t k = 0; k < sizeof(subst); k++) {
			t[i] = subst[k];
			if (providers_parse_text(t, len, "x", &p, &e) == 0)
				providers_clear(&p);
		}
		t[i] = keep;
	}
}

/* Listings as pasted into issues (tests/fixtures/providers/pasted/README gives the sources). */
static void pasted(const char *file, size_t n, const char *name0, unsigned caps0, const char *name_last, unsigned caps_last)
{
	struct providers p = {0};
	struct err e;
	char path[256];
	snprintf(path, sizeof(path), FIXP "pasted/%s", file);
	if (parse_file(path, &p, &e) != 0)
		fail_msg("%s: %s", file, e.msg);
	assert_true(p.supported);
	if (p.n != n)
		fail_msg("%s: %zu providers, want %zu", file, p.n, n);
	assert_string_equal(p.v[0].name, name0);
	assert_int_equal(p.v[0].caps, caps0);
	assert_string_equal(p.v[n - 1].name, name_last);
	assert_int_equal(p.v[n - 1].caps, caps_last);
	providers_clear(&p);
}

static void test_pasted(void **state)
{
	pasted("displaylink-debian-90.txt", 1, "ARUBA @ pci:0000:00:01.0", 0xf, "ARUBA @ pci:0000:00:01.0", 0xf);
	pasted("displaylink-debian-135.txt", 2, "modesetting", 0x9, "modesetting", 0x4);
	pasted("displaylink-debian-299.txt", 1, "Intel", 0x9, "Intel", 0x9);
	pasted("xrandr-extend-7.txt", 1, "Unknown AMD Radeon GPU @ pci:0000:03:00.0", 0xf, "Unknown AMD Radeon GPU @ pci:0000:03:00.0", 0xf);
	pasted("xrandr-extend-12.txt", 2, "NVIDIA-0", 0x1, "modesetting", 0x6);
	pasted("indented.txt", 2, "modesetting", 0xf, "nouveau", 0x5);
	pasted("wrapped-80.txt", 2, "modesetting", 0xf, "nouveau", 0x5);
	pasted("wrapped-words.txt", 2, "modesetting", 0xf, "nouveau", 0x5);
	pasted("commented.txt", 2, "modesetting", 0xf, "nouveau", 0x5);
	/* near misses: what cannot be read is still refused, with the line */
	parse_str("    Providers: number : 2\n    garbage that is no provider\n", -1,
		  "x:2: expected 'Provider 0: ...' but found 'garbage that is no provider'");
	parse_str("> Providers: number : 2\n> Provider 0: id: 0x47 cap: 0x2, Sink Output crtcs: 1 outputs: 1 associated providers: 0 name:a\n",
		  -1, "x:3: truncated listing: line 1 announces 2 providers but 1 follow");
	parse_str("Provider 0: id: 0x47 cap: 0x2, Sink Output crtcs: 1 outputs: 1 associated providers: 0 name:a\n"
		  "Provider 0: id: 0x48 cap: 0x2, Sink Output crtcs: 1 outputs: 1 associated providers: 0 name:b\n",
		  -1, "x:2: provider index 0 out of order, expected 1");
	parse_str("# only a comment\n```\n```\n", -1, "no 'Providers: number : N' line");
	parse_str("Providers: number : 1\nProvider 0: id: 0x47 cap: 0x2, Sink\nTeleport crtcs: 1 outputs: 1 associated providers: 0 name:a\n",
		  -1, "x:2: unknown capability word");
	parse_str("Providers: number : 1\nProvider 0: id: 0x47 cap: 0x2, Sink Output crtcs: 1 outputs: 1 associated providers: 0 name:a\n"
		  "x\nx\nx\nx\nx\nx\nx\nx\n", -1, "wrapped into more than 8 lines");
	/* a wrap inside the name joins without a blank (terminal wrap), a wrap in the words with one */
	struct providers p = {0};
	struct err e = {0};
	const char *t = "Providers: number : 1\nProvider 0: id: 0x47 cap: 0x2, Sink\nOutput crtcs: 1 outputs: 1 associated providers: 0 name:modeset\nting\n";
	assert_int_equal(providers_parse_text(t, strlen(t), "x", &p, &e), 0);
	assert_string_equal(p.v[0].name, "modesetting");
	providers_clear(&p);
}

static void test_caps_text(void **state)
{
	char b[96];
	assert_string_equal(provider_caps_text(0, b, sizeof(b)), "none");
	assert_string_equal(provider_caps_text(0x9, b, sizeof(b)), "Source Output, Sink Offload");
	assert_string_equal(provider_cap_word(PROV_CAP_SINK_OUTPUT), "Sink Output");
	assert_null(provider_cap_word(0x10));
}

/* providers recorded in a snapshot replay byte for byte */
static void test_round_trip(void **state)
{
	struct providers p = {0};
	struct err e;
	struct snapshot *s = probe_fixture("qxl-boot-vga");
	assert_int_equal(parse_file(FIXP "qxl-primary.txt", &p, &e), 0);
	providers_clear(&s->providers);
	s->providers = p;
	providers_map_pci(&s->providers, s);
	s->providers.v[1].offload_sink = 0x48;
	s->providers.v[2].output_source = 0x1c0;
	_cleanup_free_ char *a = snapshot_to_string(s);
	struct snapshot *r = NULL;
	assert_int_equal(snapshot_from_string(a, strlen(a), "a", &r, &e), 0);
	assert_int_equal(r->providers.n, 3);
	assert_int_equal(r->providers.v[1].offload_sink, 0x48);
	assert_string_equal(r->providers.v[0].pci_slot, "0000:00:01.0");
	_cleanup_free_ char *b = snapshot_to_string(r);
	assert_string_equal(a, b);
	snapshot_free(r);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gvt_nouveau),
		cmocka_unit_test(test_nvidia_g0),
		cmocka_unit_test(test_qxl),
		cmocka_unit_test(test_virtio_gpu_primary_by_drm_name),
		cmocka_unit_test(test_randr13_and_none),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_pasted),
		cmocka_unit_test(test_caps_text),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
