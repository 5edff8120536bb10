/* Redaction on a tree seeded with a host name, a user's home, a MAC and a serial number. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/redact.h"
#include "util/cleanup.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
	char p[512], cmd[600];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", p);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/og-redact-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	put("etc/hostname", "blackbox\n");
	put("sys/class/dmi/id/product_serial", "PF1XK2ZQ\n");
	put("sys/class/dmi/id/board_serial", "To be filled by O.E.M.\n");
	put("sys/class/dmi/id/product_uuid", "4C4C4544-0042-3610-8052-B4C04F4E3332\n");
	put("home/alice/.local/share/xorg/Xorg.0.log", "x\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void learn_all(struct redactor *r)
{
	struct root root = { .fd = -1 };
	struct err e = {0};
	assert_int_equal(root_open_dir(&root, dir, &e), 0);
	redact_learn_root(r, &root);
	root_close(&root);
}

static char *red(struct redactor *r, const char *s)
{
	char *t = redact_text(r, s);
	assert_non_null(t);
	return t;
}

static void test_seeded_tree(void **state)
{
	(void)state;
	struct redactor r;
	redact_init(&r, true);
	learn_all(&r);
	static const char line[] = "Nov 20 10:01:02 blackbox kernel: virtio_net virtio1 enp1s0: MAC 52:54:00:12:34:56, "
				   "log /home/alice/.local/share/xorg/Xorg.0.log, serial PF1XK2ZQ, uuid 4c4c4544-0042-3610-8052-b4c04f4e3332";
	redact_learn_text(&r, line, strlen(line));
	_cleanup_free_ char *t = red(&r, line);
	assert_string_equal(t, "Nov 20 10:01:02 <host-1> kernel: virtio_net virtio1 enp1s0: MAC <mac-1>, "
			       "log /home/<user-1>/.local/share/xorg/Xorg.0.log, serial <serial-1>, uuid <uuid-1>");
	assert_null(strstr(t, "blackbox"));
	assert_int_equal(redact_count(&r, RK_HOST), 1);
	assert_int_equal(redact_count(&r, RK_USER), 1);
	assert_int_equal(redact_count(&r, RK_MAC), 1);
	assert_int_equal(redact_count(&r, RK_SERIAL), 1);
	assert_int_equal(redact_count(&r, RK_UUID), 1);
	/* stable: the same values give the same placeholders again; a new MAC a new number */
	_cleanup_free_ char *t2 = red(&r, "blackbox 52:54:00:12:34:56 52-54-00-ab-cd-ef");
	assert_string_equal(t2, "<host-1> <mac-1> <mac-2>");
	redact_clear(&r);
}

static void test_serial_lines(void **state)
{
	(void)state;
	struct redactor r;
	redact_init(&r, true);
	static const char l1[] = "usb 1-1: SerialNumber: AB0238241677";
	static const char l2[] = "\tSerial Number: 5CG7123XYZ";
	static const char l3[] = "(II) modeset(0): Serial No: MON12345";
	redact_learn_text(&r, l1, strlen(l1));
	redact_learn_text(&r, l2, strlen(l2));
	redact_learn_text(&r, l3, strlen(l3));
	_cleanup_free_ char *a = red(&r, l1), *b = red(&r, l2), *c = red(&r, l3);
	assert_string_equal(a, "usb 1-1: SerialNumber: <serial-1>");
	assert_string_equal(b, "\tSerial Number: <serial-2>");
	assert_string_equal(c, "(II) modeset(0): Serial No: <serial-3>");
	/* junk values are not serials */
	redact_learn(&r, RK_SERIAL, "Not Specified");
	redact_learn(&r, RK_SERIAL, "0000000000");
	_cleanup_free_ char *d = red(&r, "Not Specified 0000000000");
	assert_string_equal(d, "Not Specified 0000000000");
	redact_clear(&r);
}

static void test_word_boundaries(void **state)
{
	(void)state;
	struct redactor r;
	redact_init(&r, true);
	redact_learn(&r, RK_HOST, "guest");
	_cleanup_free_ char *t = red(&r, "Linux guest 6.1 on guest. optimus-guest <host-1>.example.org guest-2 guests");
	assert_string_equal(t, "Linux <host-1> 6.1 on <host-1>. optimus-guest <host-1>.example.org guest-2 guests");
	/* PCI slots and timestamps are not MACs; a 7-group string is not one either */
	_cleanup_free_ char *u = red(&r, "0000:01:00.0 10:01:02 00:11:22:33:44:55:66 aa:bb:cc:dd:ee:ff");
	assert_string_equal(u, "0000:01:00.0 10:01:02 00:11:22:33:44:55:66 <mac-1>");
	redact_clear(&r);
}

static void test_disabled(void **state)
{
	(void)state;
	struct redactor r;
	redact_init(&r, false);
	learn_all(&r);
	_cleanup_free_ char *t = red(&r, "blackbox 52:54:00:12:34:56 /home/alice");
	assert_string_equal(t, "blackbox 52:54:00:12:34:56 /home/alice");
	redact_clear(&r);
}

static void test_json(void **state)
{
	(void)state;
	struct redactor r;
	redact_init(&r, true);
	learn_all(&r);
	json_t *j = json_pack("{s:s, s:[s, i], s:{s:s}}", "cmdline", "root=UUID=4c4c4544-0042-3610-8052-b4c04f4e3332 quiet",
			      "list", "/home/alice/x", 3, "o", "host", "blackbox");
	assert_non_null(j);
	assert_int_equal(redact_json(&r, j), 0);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"cmdline\":\"root=UUID=<uuid-1> quiet\",\"list\":[\"/home/<user-1>/x\",3],\"o\":{\"host\":\"<host-1>\"}}");
	free(s);
	json_decref(j);
	redact_clear(&r);
}

/* IPv4 and IPv6 go, in every line shape they come in; what only looks like them stays. */
static void test_ip_addresses(void **state)
{
	(void)state;
	struct redactor r;
	redact_init(&r, true);
	static const struct { const char *in, *out; } cases[] = {
		{ "Nov 30 10:01:02 vm NetworkManager[700]: <info>  [1701338462.1234] dhcp4 (enp1s0): address 192.168.122.57",
		  "Nov 30 10:01:02 vm NetworkManager[700]: <info>  [1701338462.1234] dhcp4 (enp1s0): address <ip-1>" },
		{ "sshd[1]: Accepted publickey for x from 10.0.0.5 port 51022 ssh2; again 192.168.122.57.",
		  "sshd[1]: Accepted publickey for x from <ip-2> port 51022 ssh2; again <ip-1>." },
		{ "ip=192.168.122.57::192.168.122.1:255.255.255.0:vm:enp1s0:none nfsroot=10.0.0.5:/srv",
		  "ip=<ip-1>::<ip-3>:255.255.255.0:vm:enp1s0:none nfsroot=<ip-2>:/srv" },
		{ "inet6 fe80::5054:ff:fe12:3456/64 scope link, 2001:db8:0:1::2a, [2001:db8::1]:22 %fe80::1%enp1s0",
		  "inet6 <ip-4>/64 scope link, <ip-5>, [<ip-6>]:22 %<ip-7>%enp1s0" },
		{ "full 2001:0db8:0000:0000:0000:ff00:0042:8329 mapped ::ffff:192.0.2.128 loopback ::1 127.0.0.1 0.0.0.0",
		  "full <ip-8> mapped <ip-9> loopback ::1 127.0.0.1 0.0.0.0" },
		{ "from fe80::5054:ff:fe12:3456: hello, 10.0.0.5: again",
		  "from <ip-4>: hello, <ip-2>: again" },
		/* what must stay: versions, PCI addresses, times, time stamps, MACs, names with :: */
		{ "NVRM: loading NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023",
		  "NVRM: loading NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023" },
		{ "[    3.123456] nouveau 0000:01:00.0: DRM: VRAM: 2048 MiB at 10:01:02.123456",
		  "[    3.123456] nouveau 0000:01:00.0: DRM: VRAM: 2048 MiB at 10:01:02.123456" },
		{ "X.Org X Server 1.21.1.7 mesa-23.1.2.1 v1.2.3.4 Version 4.3.2.1 1.2.3.4.5 1.02.3.4 300.1.2.3",
		  "X.Org X Server 1.21.1.7 mesa-23.1.2.1 v1.2.3.4 Version 4.3.2.1 1.2.3.4.5 1.02.3.4 300.1.2.3" },
		{ "std::string Bad::Face dead::beef ab::cd 1:2:3:4:5:6:7 a::b::c 1:2:3:4:5:6:7:8:9 00:11:22:33:44:55:66",
		  "std::string Bad::Face dead::beef ab::cd 1:2:3:4:5:6:7 a::b::c 1:2:3:4:5:6:7:8:9 00:11:22:33:44:55:66" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *t = red(&r, cases[i].in);
		if (strcmp(t, cases[i].out) != 0)
			fail_msg("case %zu:\n in  %s\n got %s\n want %s", i, cases[i].in, t, cases[i].out);
	}
	assert_int_equal(redact_count(&r, RK_IP), 9);
	assert_string_equal(redact_kind_name(RK_IP), "IP address");
	/* a version field keeps its dotted quad; the same text elsewhere is an address */
	_cleanup_free_ char *v = redact_field(&r, "xorg_version", "1.21.1.7");
	assert_string_equal(v, "1.21.1.7");
	_cleanup_free_ char *w = redact_field(&r, "cmdline", "1.21.1.7");
	assert_string_equal(w, "<ip-10>");
	json_t *j = json_pack("{s:s, s:[s]}", "driver_version", "1.2.3.4", "addresses", "10.0.0.5");
	assert_non_null(j);
	assert_int_equal(redact_json(&r, j), 0);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"addresses\":[\"<ip-2>\"],\"driver_version\":\"1.2.3.4\"}");
	free(s);
	json_decref(j);
	redact_clear(&r);
}

/* Hostile text: address-like runs of every length, cut at every point, never read past the end. */
static void test_ip_hostile(void **state)
{
	(void)state;
	struct redactor r;
	redact_init(&r, true);
	static const char *const texts[] = {
		"1.2.3.4", "192.168.1.", "fe80::", "::", ":::", "::::::::::::::::", "1:2:3:4:5:6:7:8",
		"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "999.1.1.1", "1.1.1.256", "12345::1",
		"::ffff:1.2.3", "1.2.3.4/32", "2001:db8::1%", "2001:db8:::1",
	};
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		size_t n = strlen(texts[i]);
		for (size_t k = 0; k <= n; k++) {
			char *cut = strndup(texts[i], k);   /* exactly K bytes on the heap: ASan sees overreads */
			assert_non_null(cut);
			_cleanup_free_ char *t = red(&r, cut);
			assert_true(strlen(t) <= strlen(cut) + 8);
			free(cut);
		}
	}
	/* more addresses and MACs than a kind learnt from logs may hold: every one is replaced */
	for (int i = 0; i < 3 * REDACT_MAX_PER_KIND; i++) {
		char ip[64];
		snprintf(ip, sizeof(ip), "10.0.%d.%d 52:54:00:00:%02x:%02x", i / 200, i % 200 + 1, i / 256, i % 256);
		_cleanup_free_ char *t = red(&r, ip);
		if (strncmp(t, "<ip-", 4) != 0 || !strstr(t, " <mac-"))
			fail_msg("%s left: %s", ip, t);
	}
	_cleanup_free_ char *a = red(&r, "999.1.1.1 1.1.1.256 12345::1 2001:db8:::1 ::ffff:1.2.3");
	assert_string_equal(a, "999.1.1.1 1.1.1.256 12345::1 2001:db8:::1 ::ffff:1.2.3");
	redact_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeded_tree),
		cmocka_unit_test(test_serial_lines),
		cmocka_unit_test(test_word_boundaries),
		cmocka_unit_test(test_disabled),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_ip_addresses),
		cmocka_unit_test(test_ip_hostile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
