/* root_dir.c: files read through a directory held open stay inside the root, whatever the
 * symlinks say; the one-read attribute path; hostile hex and PCI addresses. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/root.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void dirs(const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "mkdir -p %s/%s", dir, rel);
	assert_int_equal(system(p), 0);
}

static void link_(const char *target, const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/og-rootdir-XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* a sysfs-like tree: bus/pci/devices/X -> ../../../devices/pci0/X */
	dirs("devices/pci0/0000:00:02.0/drm/card0");
	dirs("devices/pci0/0000:00:02.0/drm/renderD128");
	dirs("devices/pci0/0000:00:02.0/sub");
	dirs("bus/pci/devices");
	dirs("other");
	link_("../../../devices/pci0/0000:00:02.0", "bus/pci/devices/0000:00:02.0");
	put("devices/pci0/0000:00:02.0/vendor", "0x8086\n");
	put("devices/pci0/0000:00:02.0/spaced", "0x10de \t\r\nsecond line\n");
	put("other/x", "0x1234\n");
	link_("vendor", "devices/pci0/0000:00:02.0/in");              /* beneath the directory */
	link_("../../../other/x", "devices/pci0/0000:00:02.0/out");   /* leaves it, stays in the root */
	link_("/other/x", "devices/pci0/0000:00:02.0/abs");           /* absolute: the root's /other/x */
	link_("../../../../../../../../etc/hostname", "devices/pci0/0000:00:02.0/esc");   /* clamped at the root */
	link_("loop", "devices/pci0/0000:00:02.0/loop");
	link_("../../../../bus/pci/../../other", "devices/pci0/0000:00:02.0/odir");
	char p[256];
	snprintf(p, sizeof(p), "%s/devices/pci0/0000:00:02.0/fifo", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	/* a device that streams (what /dev/zero is): only a full first read asks what it is */
	snprintf(p, sizeof(p), "%s/devices/pci0/0000:00:02.0/zero", dir);
	if (mknod(p, S_IFCHR | 0644, makedev(1, 5)) < 0)
		assert_int_equal(symlink("fifo", p), 0);   /* not root: the FIFO stands in */
	put("devices/pci0/0000:00:02.0/empty", "");
	/* longer than the first read (512 bytes), and past the 64 KiB a line may have */
	char *big = malloc(70000);
	memset(big, '1', 69999);
	big[69999] = 0;
	put("devices/pci0/0000:00:02.0/huge", big);
	big[600] = '\n';
	big[2000] = 0;
	put("devices/pci0/0000:00:02.0/long", big);
	free(big);
	*state = NULL;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

#define DEV "bus/pci/devices/0000:00:02.0"

static void open_dev(struct root *r, struct root_dir *d)
{
	struct err e = {0};
	assert_int_equal(root_open_dir(r, dir, &e), 0);
	assert_int_equal(root_dir_open(r, DEV, d, &e), 0);
}

static void test_reads(void **state)
{
	struct root r = { .fd = -1 };
	struct root_dir d = { .fd = -1 };
	struct err e = {0};
	unsigned v = 0;
	char *s = NULL;
	open_dev(&r, &d);
	assert_int_equal(root_dir_read_hex(&d, "vendor", &v, &e), 0);
	assert_int_equal(v, 0x8086);
	assert_int_equal(root_dir_read_hex(&d, "in", &v, &e), 0);
	assert_int_equal(v, 0x8086);
	/* first line only, trailing blanks gone */
	assert_int_equal(root_dir_read_line(&d, "spaced", &s, &e), 0);
	assert_string_equal(s, "0x10de");
	free(s);
	/* a line past the first read comes whole */
	assert_int_equal(root_dir_read_line(&d, "long", &s, &e), 0);
	assert_int_equal(strlen(s), 600);
	free(s);
	root_dir_close(&d);
	root_close(&r);
}

static void test_symlinks_stay_in_root(void **state)
{
	struct root r = { .fd = -1 };
	struct root_dir d = { .fd = -1 };
	struct err e = {0};
	unsigned v = 0;
	char *s = NULL;
	open_dev(&r, &d);
	/* out of the directory: resolved from the root, as the whole path would be */
	assert_int_equal(root_dir_read_hex(&d, "out", &v, &e), 0);
	assert_int_equal(v, 0x1234);
	v = 0;
	assert_int_equal(root_dir_read_hex(&d, "abs", &v, &e), 0);
	assert_int_equal(v, 0x1234);
	/* '..' past the top stays at the root: its etc/hostname, absent, never the machine's */
	assert_int_equal(root_dir_read_line(&d, "esc", &s, &e), -ENOENT);
	assert_string_equal(e.msg, "");
	assert_false(root_dir_exists(&d, "esc"));
	assert_true(root_dir_exists(&d, "out"));
	assert_false(root_dir_exists(&d, "none"));
	assert_int_equal(root_dir_read_line(&d, "loop", &s, &e), -ELOOP);
	assert_non_null(strstr(e.msg, "too many levels"));
	/* a listing through a symlink that leaves the directory */
	char **names = NULL;
	size_t n = 0;
	e.msg[0] = 0;
	assert_int_equal(root_dir_list(&d, "odir", &names, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "x");
	root_list_free(names, n);
	root_dir_close(&d);
	root_close(&r);
}

static void test_refused(void **state)
{
	struct root r = { .fd = -1 };
	struct root_dir d = { .fd = -1 };
	struct err e = {0};
	char *s = NULL;
	open_dev(&r, &d);
	assert_int_equal(root_dir_read_line(&d, "fifo", &s, &e), -EINVAL);
	assert_non_null(strstr(e.msg, DEV "/fifo' under root"));
	assert_non_null(strstr(e.msg, "not a regular file"));
	e.msg[0] = 0;
	assert_int_equal(root_dir_read_line(&d, "zero", &s, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not a regular file"));
	e.msg[0] = 0;
	assert_int_equal(root_dir_read_line(&d, "sub", &s, &e), -EISDIR);
	e.msg[0] = 0;
	assert_int_equal(root_dir_read_line(&d, "huge", &s, &e), -EFBIG);
	assert_non_null(strstr(e.msg, DEV "/huge' under root"));
	assert_non_null(strstr(e.msg, "larger than"));
	e.msg[0] = 0;
	assert_int_equal(root_dir_read_line(&d, "none", &s, &e), -ENOENT);
	assert_string_equal(e.msg, "");
	assert_int_equal(root_dir_read_line(&d, "empty", &s, &e), 0);   /* empty, regular: "" */
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(root_dir_open(&r, "bus/pci/devices/none", &(struct root_dir){ .fd = -1 }, &e), -ENOENT);
	root_dir_close(&d);
	root_close(&r);
}

static void test_list_and_link(void **state)
{
	struct root r = { .fd = -1 };
	struct root_dir d = { .fd = -1 };
	struct err e = {0};
	char **names = NULL;
	size_t n = 0;
	char *s = NULL;
	open_dev(&r, &d);
	assert_int_equal(root_dir_list(&d, "drm", &names, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "card0");
	assert_string_equal(names[1], "renderD128");
	root_list_free(names, n);
	assert_int_equal(root_dir_list(&d, "none", &names, &n, &e), -ENOENT);
	assert_int_equal(root_dir_list(&d, "vendor", &names, &n, &e), -ENOTDIR);
	assert_int_equal(root_dir_readlink(&d, "out", &s), 0);
	assert_string_equal(s, "../../../other/x");
	free(s);
	assert_int_equal(root_dir_readlink(&d, "none", &s), -ENOENT);
	root_dir_close(&d);
	root_close(&r);
}

/* the real path: the kernel's name less the root's, and the walk when that is not known */
static void test_resolved(void **state)
{
	struct root r = { .fd = -1 };
	struct root_dir d = { .fd = -1 };
	struct err e = {0};
	char *a = NULL, *b = NULL;
	open_dev(&r, &d);
	assert_int_equal(root_dir_resolved(&d, &a, &e), 0);
	assert_string_equal(a, "devices/pci0/0000:00:02.0");
	char *real = r.real;
	r.real = NULL;
	assert_int_equal(root_dir_resolved(&d, &b, &e), 0);
	r.real = real;
	assert_string_equal(a, b);
	free(a);
	free(b);
	root_dir_close(&d);
	root_close(&r);
}

static void test_hostile_hex(void **state)
{
	static const struct { const char *text; int rc; unsigned v; } cases[] = {
		{ "0x10de\n", 0, 0x10de }, { "10DE\n", 0, 0x10de }, { " 0x1\n", 0, 1 },
		{ "0x00000000000010de\n", 0, 0x10de }, { "0xffffffff\n", 0, 0xffffffffu },
		{ "0x100000000\n", -EINVAL, 0 }, { "0x\n", -EINVAL, 0 }, { "\n", -EINVAL, 0 },
		{ "", -EINVAL, 0 }, { "+1\n", -EINVAL, 0 }, { "-1\n", -EINVAL, 0 }, { "0x1 2\n", -EINVAL, 0 },
		{ "0xqq\n", -EINVAL, 0 }, { "\x01\x02\xff\n", -EINVAL, 0 }, { "0x0x10\n", -EINVAL, 0 },
		{ "99999999999999999999999\n", -EINVAL, 0 },
	};
	struct root r = { .fd = -1 };
	struct root_dir d = { .fd = -1 };
	open_dev(&r, &d);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = {0};
		unsigned v = 0;
		put("devices/pci0/0000:00:02.0/h", cases[i].text);
		int rc = root_dir_read_hex(&d, "h", &v, &e);
		if (rc != cases[i].rc)
			fail_msg("'%s': %d, want %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0)
			assert_int_equal(v, cases[i].v);
		else
			assert_non_null(strstr(e.msg, "/h' under root"));
	}
	root_dir_close(&d);
	root_close(&r);
}

static void test_hostile_slot(void **state)
{
	unsigned a, b, c, f;
	assert_true(probe_parse_slot("0000:00:02.0", &a, &b, &c, &f));
	assert_true(a == 0 && b == 0 && c == 2 && f == 0);
	assert_true(probe_parse_slot("ABCD:ff:1f.7", &a, &b, &c, &f));
	assert_true(a == 0xabcd && b == 0xff && c == 0x1f && f == 7);
	static const char *const bad[] = {
		"0000:00:20.0", "0000:00:02.8", "000g:00:02.0", "0000-00:02.0", "0000:00:02.00", "0000:00:02.",
		"", "+000:00:02.0", " 000:00:02.0", "0000:0x:02.0", "0000:00:02:0", "devices",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (probe_parse_slot(bad[i], &a, &b, &c, &f))
			fail_msg("'%s' taken for a PCI address", bad[i]);
}

/* A real kernel's uevent (this development machine's 0000:00:00.0 and a bound device),
 * and texts that must not be trusted. */
static void test_uevent(void **state)
{
	struct pci_uevent u;
	assert_true(probe_parse_uevent("PCI_CLASS=60000\nPCI_ID=8086:0D57\nPCI_SUBSYS_ID=0000:0000\n"
				       "PCI_SLOT_NAME=0000:00:00.0\nMODALIAS=pci:v00008086d00000D57sv00000000sd00000000bc06sc00i00\n",
				       &u));
	assert_true(u.vendor == 0x8086 && u.device == 0x0d57 && u.class == 0x060000 && !u.driver[0]);
	assert_true(probe_parse_uevent("DRIVER=nouveau\nPCI_CLASS=30200\nPCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\n"
				       "PCI_SLOT_NAME=0000:01:00.0", &u));
	assert_true(u.vendor == 0x10de && u.device == 0x139b && u.subsystem_vendor == 0x1028 &&
		    u.subsystem_device == 0x07be && u.class == 0x030200);
	assert_string_equal(u.driver, "nouveau");
	static const char *const bad[] = {
		"",
		"PCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\n",                      /* no class */
		"PCI_CLASS=30200\nPCI_SUBSYS_ID=1028:07BE\n",                       /* no ids */
		"PCI_CLASS=30200\nPCI_ID=10DE:139B\n",                               /* no subsystem */
		"PCI_CLASS=30200\nPCI_ID=10DE139B\nPCI_SUBSYS_ID=1028:07BE\n",      /* no colon */
		"PCI_CLASS=30200\nPCI_ID=10DE:139BX\nPCI_SUBSYS_ID=1028:07BE\n",    /* trailing junk */
		"PCI_CLASS=1030200\nPCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\n",   /* 7 digits */
		"PCI_CLASS=30200\nPCI_ID=110DE:139B\nPCI_SUBSYS_ID=1028:07BE\n",    /* 5 digits */
		"PCI_CLASS=\nPCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\n",          /* empty */
		"PCI_CLASS=-30200\nPCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\n",
		"PCI_CLASS=30200\nPCI_ID=:\nPCI_SUBSYS_ID=1028:07BE\n",
		"PCI_CLASS=30200\nPCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\nDRIVER=../../x\n",
		"PCI_CLASS=30200\nPCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\nDRIVER="
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (probe_parse_uevent(bad[i], &u))
			fail_msg("uevent %zu trusted: '%s'", i, bad[i]);
	/* every prefix of a good text ends in a trusted parse or a refusal, never a read past it */
	static const char good[] = "PCI_CLASS=30200\nPCI_ID=10DE:139B\nPCI_SUBSYS_ID=1028:07BE\nDRIVER=nvidia\n";
	for (size_t n = 0; n <= sizeof(good) - 1; n++) {
		char *t = strndup(good, n);
		assert_non_null(t);
		probe_parse_uevent(t, &u);
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_symlinks_stay_in_root),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_list_and_link),
		cmocka_unit_test(test_resolved),
		cmocka_unit_test(test_hostile_hex),
		cmocka_unit_test(test_hostile_slot),
		cmocka_unit_test(test_uevent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
