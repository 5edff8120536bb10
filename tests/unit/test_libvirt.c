/* libvirt/: addresses, QEMU argument splitting, the ROM test, domain parsing (malformed and
 * hostile), reading, fixing and writing documents from inline text. */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt/domain_checks.h"
#include "libvirt/domain_fix.h"
#include "libvirt/domain_xml.h"
#include "libvirt/qemu_args.h"
#include "acpi/acpi_table.h"
#include "libvirt/romcheck.h"

static void test_pci_addr(void **state)
{
	unsigned d, b, s, f;
	assert_int_equal(vm_parse_pci_addr("0000:01:00.0", &d, &b, &s, &f), 0);
	assert_int_equal(b, 1);
	assert_int_equal(vm_parse_pci_addr("1:1f.7", &d, &b, &s, &f), 0);
	assert_int_equal(s, 0x1f);
	assert_int_equal(f, 7);
	const char *bad[] = { "", "01", "01:00", "01:00.8", "01:20.0", "100:00.0", "0000:01:00.0x", ":00.0", "g1:00.0",
			      "1:2:3:4.0", "-1:00.0", NULL };
	for (size_t i = 0; bad[i]; i++)
		assert_int_equal(vm_parse_pci_addr(bad[i], &d, &b, &s, &f), -EINVAL);
	char buf[16];
	struct vm_pci_hostdev h = { .domain = 0, .bus = 1, .slot = 0, .function = 0 };
	assert_string_equal(vm_pci_addr(&h, buf), "0000:01:00.0");
}

static void test_ull(void **state)
{
	unsigned long long x;
	assert_int_equal(vm_parse_ull("4136", 0xffffffff, &x), 0);
	assert_int_equal(x, 4136);
	assert_int_equal(vm_parse_ull("0x06e4", 0xffffffff, &x), 0);
	assert_int_equal(x, 0x6e4);
	assert_int_equal(vm_parse_ull("0x", 0xffffffff, &x), -EINVAL);
	assert_int_equal(vm_parse_ull("-1", 0xffffffff, &x), -EINVAL);
	assert_int_equal(vm_parse_ull(" 1", 0xffffffff, &x), -EINVAL);
	assert_int_equal(vm_parse_ull("4294967296", 0xffffffff, &x), -EINVAL);
	assert_int_equal(vm_parse_ull("99999999999999999999999", ~0ULL, &x), -EINVAL);
	assert_int_equal(vm_parse_ull(NULL, 1, &x), -EINVAL);
}

static void split(const char *text, size_t len, struct strv *out)
{
	struct err e = {0};
	assert_int_equal(qemu_args_split(text, len, "t", out, &e), 0);
}

static void test_split(void **state)
{
	struct strv a = {0};
	const char *ps = "qemu -device 'vfio-pci,host=01:00.0,romfile=/a b.rom' -name \"x\\\"y\" a\\ b \\\n -acpitable file=t.aml\n";
	split(ps, strlen(ps), &a);
	assert_int_equal(a.n, 8);
	assert_string_equal(a.v[2], "vfio-pci,host=01:00.0,romfile=/a b.rom");
	assert_string_equal(a.v[4], "x\"y");
	assert_string_equal(a.v[5], "a b");
	assert_string_equal(a.v[7], "file=t.aml");
	strv_clear(&a);

	const char *lines = "qemu-system-x86_64\n  -name  \nguest=a b\r\n\n-m\n";
	split(lines, strlen(lines), &a);
	assert_int_equal(a.n, 4);
	assert_string_equal(a.v[2], "guest=a b");
	strv_clear(&a);

	const char nul[] = "qemu\0-m\0\0004096";
	split(nul, sizeof(nul) - 1, &a);
	assert_int_equal(a.n, 4);
	assert_string_equal(a.v[2], "");
	strv_clear(&a);

	split("", 0, &a);
	assert_int_equal(a.n, 0);
	strv_clear(&a);

	struct err e = {0};
	assert_int_equal(qemu_args_split("qemu 'open", 10, "t", &a, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "offset 5"));
	assert_int_equal(qemu_args_split("qemu \"open\\\"", 12, "t", &a, &e), -EINVAL);
	assert_int_equal(a.n, 0);
}

static void test_opts(void **state)
{
	struct strv it = {0};
	assert_int_equal(qemu_opts_split("vfio-pci,romfile=/a,,b.rom,x-pci-sub-vendor-id=4136,,", &it), 0);
	assert_string_equal(qemu_opt(&it, ""), "vfio-pci");
	assert_string_equal(qemu_opt(&it, "romfile"), "/a,b.rom");
	assert_null(qemu_opt(&it, "host"));
	strv_clear(&it);

	char *a = NULL, *p = NULL, *v = NULL;
	assert_int_equal(qemu_parse_set("device.hostdev0.x-pci-sub-vendor-id=4136", &a, &p, &v), 0);
	assert_string_equal(a, "hostdev0");
	assert_string_equal(p, "x-pci-sub-vendor-id");
	assert_string_equal(v, "4136");
	free(a);
	free(p);
	free(v);
	const char *bad[] = { "device.x=1", "device..p=1", "global.x.p=1", "device.a.p", "device.a.=1", NULL };
	for (size_t i = 0; bad[i]; i++)
		assert_int_equal(qemu_parse_set(bad[i], &a, &p, &v), -EINVAL);

	struct strv f = {0};
	assert_int_equal(qemu_acpitable_files("sig=SSDT,file=a.aml:b.aml", &f), 0);
	assert_int_equal(qemu_acpitable_files("data=c.dat", &f), 0);
	assert_int_equal(qemu_acpitable_files("sig=SSDT", &f), 0);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.v[1], "b.aml");
	strv_clear(&f);
}

/* A one-image x86 ROM as NVIDIA ships it: 1024 bytes, PCIR at 0x190, last image, checksum. */
static void rom(uint8_t *r, size_t len, unsigned vendor)
{
	memset(r, 0, len);
	r[0] = 0x55;
	r[1] = 0xaa;
	r[2] = 2;
	r[0x18] = 0x90;
	r[0x19] = 0x01;
	memcpy(r + 0x190, "PCIR", 4);
	r[0x194] = vendor & 0xff;
	r[0x195] = vendor >> 8;
	r[0x196] = 0x9b;
	r[0x197] = 0x13;
	r[0x19a] = 0x18;
	r[0x19c] = 3;
	r[0x19e] = 0x02;
	r[0x19f] = 0x03;
	r[0x1a0] = 2;
	r[0x1a5] = 0x80;
	unsigned sum = 0;
	for (size_t i = 0; i < 1023; i++)
		sum += r[i];
	r[1023] = (uint8_t)(0x100 - (sum & 0xff));
}

static void test_rom(void **state)
{
	uint8_t r[1024 + 1536];
	struct rom_id id;
	char why[256];
	rom(r, 1024, 0x10de);
	assert_int_equal(rom_check_nvidia(r, 1024, &id, why, sizeof(why)), 0);
	assert_int_equal(id.device, 0x139b);
	assert_int_equal(id.class_code, 0x030200);
	assert_int_equal(rom_check_nvidia(r, 0x10, &id, why, sizeof(why)), -EINVAL);
	assert_int_equal(rom_check_nvidia(r, 0x195, &id, why, sizeof(why)), -EINVAL); /* truncated PCIR */
	r[0x10] ^= 1;
	assert_int_equal(rom_check_nvidia(r, 1024, &id, why, sizeof(why)), -EINVAL); /* checksum */
	r[0x10] ^= 1;
	r[0x19] = 0xff;
	assert_int_equal(rom_check_nvidia(r, 1024, &id, why, sizeof(why)), -EINVAL);
	rom(r, 1024, 0x1002);
	assert_int_equal(rom_check_nvidia(r, 1024, &id, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "1002"));
	rom(r, 1024, 0x10de);
	r[0x190] = 'X';
	assert_int_equal(rom_check_nvidia(r, 1024, &id, why, sizeof(why)), -EINVAL);
	memset(r, 0xff, 1536);
	rom(r + 1536, 1024, 0x10de);
	assert_int_equal(rom_check_nvidia(r, sizeof(r), &id, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "offset 0x600"));
}

static int parse(const char *xml, struct lv_doc *d, struct err *e)
{
	return lv_doc_parse(xml, strlen(xml), "t.xml", d, e);
}

static void test_parse_bad(void **state)
{
	struct lv_doc d = {0};
	struct err e = {0};
	assert_int_equal(parse("<domain>\n  <devices>\n  <hostdev>\n</domain>\n", &d, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "t.xml:4:"));
	assert_int_equal(parse("", &d, &e), -EINVAL);
	assert_int_equal(parse("<network/>", &d, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not a libvirt <domain>"));
	assert_int_equal(parse("<x:domain xmlns:x='urn:x'/>", &d, &e), -EINVAL);
	assert_int_equal(parse("<domain a='1' a='2'/>", &d, &e), -EINVAL);
	assert_int_equal(parse("<domain>\xff\xfe</domain>", &d, &e), -EINVAL);
}

static void test_parse_hostile(void **state)
{
	/* Entities are neither expanded nor fetched: a billion laughs stays small, a file stays unread. */
	const char *xml = "<?xml version='1.0'?>\n<!DOCTYPE domain [\n<!ENTITY a 'aaaaaaaaaa'>\n"
			  "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n"
			  "<!ENTITY x SYSTEM 'file:///etc/passwd'>\n]>\n<domain><name>&c;&x;</name></domain>\n";
	struct lv_doc d = {0};
	struct vmconf vm = {0};
	struct err e = {0};
	if (parse(xml, &d, &e) == 0) {
		assert_int_equal(lv_doc_read(&d, &vm, &e), 0);
		assert_true(!vm.name || !strstr(vm.name, "root:"));
		char *out = NULL;
		size_t len = 0;
		assert_int_equal(lv_doc_write(&d, &out, &len), 0);
		assert_null(strstr(out, "root:"));
		free(out);
		vmconf_clear(&vm);
		lv_doc_free(&d);
	}
}

static const char *DOM =
	"<domain type=\"kvm\" xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\">\n"
	"\t<name>t&amp;'x</name>\n"
	"\t<os><type machine=\"q35\">hvm</type></os>\n"
	"\t<devices>\n"
	"\t\t<hostdev mode=\"subsystem\" type=\"usb\"><source/></hostdev>\n"
	"\t\t<hostdev mode=\"subsystem\" type=\"pci\">\n"
	"\t\t\t<source><address domain=\"0x0000\" bus=\"0x01\" slot=\"0x00\" function=\"0x0\"/></source>\n"
	"\t\t</hostdev>\n"
	"\t\t<hostdev mode=\"subsystem\" type=\"mdev\" model=\"vfio-pci\" display=\"on\"><source><address uuid=\"u\"/></source></hostdev>\n"
	"\t</devices>\n"
	"\t<qemu:commandline>\n"
	"\t\t<qemu:arg value=\"-set\"/>\n"
	"\t\t<qemu:arg value=\"device.hostdev1.x-pci-sub-vendor-id=4136\"/>\n"
	"\t\t<qemu:arg value=\"-set\"/>\n"
	"\t\t<qemu:arg value=\"device.hostdev1.x-pci-sub-device-id=0x6e4\"/>\n"
	"\t\t<qemu:arg value=\"-set\"/>\n"
	"\t\t<qemu:arg value=\"device.hostdev7.x-pci-sub-device-id=1\"/>\n"
	"\t</qemu:commandline>\n"
	"</domain>\n";

static void test_read_fix_write(void **state)
{
	struct lv_doc d = {0};
	struct vmconf vm = {0}, after = {0};
	struct err e = {0};
	assert_int_equal(parse(DOM, &d, &e), 0);
	assert_int_equal(d.quote, '"');
	assert_int_equal(lv_doc_read(&d, &vm, &e), 0);
	assert_string_equal(vm.name, "t&'x");
	assert_int_equal(vm.n_pci, 1);
	assert_string_equal(vm.pci[0].auto_alias, "hostdev1"); /* the USB hostdev is hostdev0 */
	assert_int_equal(vm.pci[0].sub_via, SUB_SET);
	assert_int_equal(vm.pci[0].sub_device, 0x6e4);
	assert_true(vm.pci[0].set_form);
	assert_int_equal(vm.stray_aliases.n, 1);
	assert_int_equal(vm.n_mdev, 1);
	assert_int_equal(vm.mdev[0].display, 1);

	struct host_pci h = { 0x10de, 0x139b, 0x1028, 0x06e4, 0x030200 };
	struct lv_checks c = {0};
	assert_int_equal(lv_checks_run(NULL, &vm, 0, &h, LV_GOAL_NOUVEAU, &c), 0);
	bool set_form = false;
	for (size_t i = 0; i < c.n; i++)
		set_form |= strcmp(c.v[i].id, "qemu-set-form") == 0 && !c.v[i].passed;
	assert_true(set_form);
	lv_checks_clear(&c);

	struct strv acpi = {0}, done = {0};
	strv_push(&acpi, "/t/a&b.aml");
	struct lv_fix_opts o = { .vbios = "/t/v'b.rom", .acpi = &acpi };
	assert_int_equal(lv_fix_apply(&d, &vm, 0, &h, &o, &done, &e), 0);
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(lv_doc_write(&d, &out, &len), 0);
	/* tabs kept, double quotes kept, the stray -set (another alias) kept, ours gone */
	assert_non_null(strstr(out, "\t\t\t<alias name=\"ua-nvidia\"/>\n\t\t</hostdev>"));
	assert_non_null(strstr(out, "\t\t\t<rom file=\"/t/v'b.rom\"/>\n"));
	assert_non_null(strstr(out, "\t\t<qemu:arg value=\"device.hostdev7.x-pci-sub-device-id=1\"/>\n"));
	assert_null(strstr(out, "hostdev1.x-pci"));
	assert_non_null(strstr(out, "\t\t\t\t<qemu:property name=\"x-pci-sub-device-id\" type=\"unsigned\" value=\"1764\"/>\n"));
	assert_non_null(strstr(out, "value=\"file=/t/a&amp;b.aml\""));
	assert_non_null(strstr(out, "<name>t&amp;'x</name>"));

	struct lv_doc d2 = {0};
	assert_int_equal(lv_doc_parse(out, len, "out.xml", &d2, &e), 0);
	assert_int_equal(lv_doc_read(&d2, &after, &e), 0);
	assert_int_equal(after.pci[0].sub_via, SUB_OVERRIDE);
	assert_false(after.pci[0].set_form);
	assert_string_equal(after.pci[0].alias, "ua-nvidia");
	assert_string_equal(after.pci[0].rom_file, "/t/v'b.rom");
	assert_string_equal(after.acpi_tables.v[0], "/t/a&b.aml");
	free(out);
	strv_clear(&acpi);
	strv_clear(&done);
	vmconf_clear(&vm);
	vmconf_clear(&after);
	lv_doc_free(&d);
	lv_doc_free(&d2);
}

static void test_fix_flat(void **state)
{
	/* A document without any whitespace gets no indentation, and stays one line. */
	const char *xml = "<domain><devices><hostdev type='pci'><source><address bus='1' slot='0' function='0'/></source></hostdev></devices></domain>";
	struct lv_doc d = {0};
	struct vmconf vm = {0};
	struct err e = {0};
	struct strv done = {0};
	assert_int_equal(parse(xml, &d, &e), 0);
	assert_int_equal(lv_doc_read(&d, &vm, &e), 0);
	struct host_pci h = { 0x10de, 0x139b, 0x1028, 0x06e4, 0x030200 };
	struct lv_fix_opts o = {0};
	assert_int_equal(lv_fix_apply(&d, &vm, 0, &h, &o, &done, &e), 0);
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(lv_doc_write(&d, &out, &len), 0);
	assert_non_null(strstr(out, "<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><devices>"));
	h.sub_device = 0;
	assert_int_equal(lv_fix_apply(&d, &vm, 0, &h, &o, &done, &e), -EINVAL);
	assert_int_equal(lv_fix_apply(&d, &vm, -1, &h, &o, &done, &e), -EINVAL);
	free(out);
	strv_clear(&done);
	vmconf_clear(&vm);
	lv_doc_free(&d);
}

static void test_qemu_read(void **state)
{
	const char *cmd = "qemu-system-x86_64 -M pc -device '{\"driver\":\"vfio-pci\",\"host\":\"0000:01:00.0\",\"id\":\"gpu\",\"rombar\":0,"
			  "\"x-pci-sub-vendor-id\":4136}' -set device.gpu.x-pci-sub-device-id=1764 -device '{\"driver\":' "
			  "-device vfio-pci,host=zz -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/u1 -vnc :0";
	struct strv a = {0};
	struct vmconf vm = {0};
	struct err e = {0};
	split(cmd, strlen(cmd), &a);
	assert_int_equal(qemu_args_read(&a, &vm, &e), 0);
	assert_string_equal(vm.machine, "pc");
	assert_int_equal(vm.n_pci, 2);
	assert_int_equal(vm.pci[0].bus, 1);
	assert_int_equal(vm.pci[0].rom_bar, 0);
	assert_int_equal(vm.pci[0].sub_vendor, 4136);
	assert_int_equal(vm.pci[0].sub_device, 1764);
	assert_int_equal(vm.pci[1].domain, 0xffffffffu);
	assert_string_equal(vm.mdev[0].uuid, "u1");
	assert_string_equal(vm.video.v[0], "VGA"); /* QEMU's default without -nodefaults */
	assert_false(vm.firmware_efi);
	strv_clear(&a);
	vmconf_clear(&vm);
}

static void test_script(void **state)
{
	const char *sh = "#!/bin/bash\n# comment -device vfio-pci,host=02:00.0\nexport ROM=/r/v.rom\nBASE=/usr/share/OVMF\n"
			 "cp a b &&\nLC_ALL=C taskset 0xf qemu-system-x86_64 -name 'w x' \\\n  -drive if=pflash,file=${BASE}/C.fd \\\n"
			 "  -device vfio-pci,host=01:00.0,romfile=$ROM \\\n  -drive file=$IMG,if=virtio -m \"$(nproc)\" `id -u` ;\n"
			 "# -device virtio-net-pci\n";
	struct strv a = {0}, u = {0};
	struct err e = {0};
	assert_int_equal(qemu_args_split_script(sh, strlen(sh), "t", &a, &u, &e), 0);
	assert_string_equal(a.v[0], "qemu-system-x86_64");
	assert_string_equal(a.v[2], "w x");
	assert_string_equal(a.v[4], "if=pflash,file=/usr/share/OVMF/C.fd");
	assert_string_equal(a.v[6], "vfio-pci,host=01:00.0,romfile=/r/v.rom");
	assert_string_equal(a.v[8], "file=$IMG,if=virtio");
	assert_int_equal(a.n, 12);
	assert_int_equal(u.n, 3);
	assert_string_equal(u.v[0], "$IMG");
	assert_string_equal(u.v[1], "$(nproc)");
	assert_string_equal(u.v[2], "`id -u`");
	strv_clear(&a);
	strv_clear(&u);

	/* several commands, none of them QEMU: refused */
	const char *none = "#!/bin/sh\nset -e\nvirsh start w\n";
	assert_int_equal(qemu_args_split_script(none, strlen(none), "t", &a, &u, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "no qemu-system"));
	/* truncated and hostile: unclosed $( ${ ` and quotes, runs of $ and continuations */
	const char *bad[] = { "qemu-system-x86_64 -m $(nproc", "qemu-system-x86_64 -m ${X", "qemu-system-x86_64 -m `id",
			      "qemu-system-x86_64 -m \"$X", "qemu-system-x86_64 -m $", "qemu-system-x86_64 \\", "\\\n\\\n#",
			      "qemu-system-x86_64 -m ${}", "qemu-system-x86_64 ${A${B}}", NULL };
	for (size_t i = 0; bad[i]; i++) {
		int rc = qemu_args_split_script(bad[i], strlen(bad[i]), "t", &a, &u, &e);
		assert_true(rc == 0 || rc == -EINVAL);
		strv_clear(&a);
		strv_clear(&u);
	}
	size_t n = 200000;
	char *big = malloc(n + 1);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = "$\\\n({`"[i % 6];
	big[n] = 0;
	int rc = qemu_args_split_script(big, n, "t", &a, &u, &e);
	assert_true(rc == 0 || rc == -EINVAL);
	strv_clear(&a);
	strv_clear(&u);
	free(big);

	/* not QEMU at all: refused by the reader, not judged as an empty VM */
	struct vmconf vm = {0};
	strv_push(&a, "hello");
	strv_push(&a, "world");
	assert_int_equal(qemu_args_read(&a, &vm, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not a QEMU command line"));
	vmconf_clear(&vm);
	strv_clear(&a);
}

static void test_acpi_ident(void **state)
{
	uint8_t t[80] = {0};
	struct acpi_table_ident id;
	assert_int_equal(acpi_table_ident(t, 35, &id), -EINVAL); /* truncated header */
	memcpy(t, "SSDT", 4);
	memcpy(t + 10, "OPTGST", 6);
	memcpy(t + 16, "VBIOSROM", 8);
	const uint8_t ext[] = { 0x15, '\\', 'O', 'G', 'V', '2', 4, 0, 0x15, '\\', 'O', 'G', 'V', '1', 4, 0,
				0x15, '\\', 'O', 'G', 'V', '1', 4, 0,  /* twice: counted once */
				0x15, '\\', 'O', 'G', 'V', '0', 4, 0,  /* the _ROM table's own package */
				0x15, '\\', 'O', 'G', 'V', '?', 4, 0 }; /* not base36 */
	memcpy(t + 36, ext, sizeof(ext));
	assert_int_equal(acpi_table_ident(t, sizeof(t), &id), 0);
	assert_int_equal(id.kind, ACPI_IDENT_ROM);
	assert_int_equal(id.n_needs, 2);
	assert_int_equal(id.needs[0], 2);
	assert_int_equal(id.needs[1], 1);
	assert_int_equal(acpi_table_ident(t, 36 + 5, &id), 0); /* an External cut short: not counted */
	assert_int_equal(id.n_needs, 0);
	memcpy(t + 16, "VBIOSD07", 8);
	assert_int_equal(acpi_table_ident(t, sizeof(t), &id), 0);
	assert_int_equal(id.kind, ACPI_IDENT_DATA);
	assert_int_equal(id.data_no, 7);
	memcpy(t + 16, "VBIOSDxy", 8);
	assert_int_equal(acpi_table_ident(t, sizeof(t), &id), 0);
	assert_int_equal(id.kind, ACPI_IDENT_OTHER);
	memcpy(t + 10, "BOCHS ", 6);
	assert_int_equal(acpi_table_ident(t, sizeof(t), &id), 0);
	assert_int_equal(id.kind, ACPI_IDENT_OTHER);
	char *f = acpi_data_table_file("/a.b/vbios-rom.aml", 3);
	assert_string_equal(f, "/a.b/vbios-rom-d03.aml");
	free(f);
	f = acpi_data_table_file("/a.b/noext", 12);
	assert_string_equal(f, "/a.b/noext-d12.aml");
	free(f);
}

/* fix copies what it did not change byte for byte: comments with tags in them, CDATA, '>' in an
 * attribute, a start tag over several lines, odd spacing, text after the root */
static void test_untouched_text(void **state)
{
	const char *xml =
		"\n<!-- <hostdev> in a comment -->\n<domain type = 'kvm'\n        id='1'>\n"
		"  <description><![CDATA[ <rom bar='off'/> ]]></description>\n"
		"  <devices>\n\n"
		"    <hostdev mode='subsystem' type='pci'  managed='yes'>\n"
		"      <source><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source>\n"
		"      <rom bar='off'/>\n"
		"    </hostdev>\n"
		"    <interface type='user' note='a > b'>\n      <model   type='virtio'/>\n    </interface>\n"
		"  </devices>\n</domain>\n<!-- after -->\n\n";
	struct lv_doc d = {0};
	struct vmconf vm = {0};
	struct err e = {0};
	struct strv done = {0};
	assert_int_equal(parse(xml, &d, &e), 0);
	assert_non_null(d.spans);
	assert_int_equal(lv_doc_read(&d, &vm, &e), 0);
	assert_int_equal(vm.pci[0].rom_bar, 0);
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(lv_doc_write(&d, &out, &len), 0); /* nothing changed: the input as it is */
	assert_int_equal(len, strlen(xml));
	assert_memory_equal(out, xml, len);
	free(out);
	struct host_pci h = { 0x10de, 0x139b, 0x1028, 0x06e4, 0x030200 };
	struct lv_fix_opts o = {0};
	assert_int_equal(lv_fix_apply(&d, &vm, 0, &h, &o, &done, &e), 0);
	assert_int_equal(lv_doc_write(&d, &out, &len), 0);
	assert_non_null(strstr(out, "\n<!-- <hostdev> in a comment -->\n"));
	assert_non_null(strstr(out, "  <description><![CDATA[ <rom bar='off'/> ]]></description>\n  <devices>\n\n"));
	assert_non_null(strstr(out, "    <hostdev mode='subsystem' type='pci'  managed='yes'>\n"));
	assert_non_null(strstr(out, "    <interface type='user' note='a > b'>\n      <model   type='virtio'/>\n    </interface>\n"));
	assert_non_null(strstr(out, "</domain>\n<!-- after -->\n\n"));
	assert_null(strstr(out, "      <rom bar='off'/>")); /* the one thing fixed */
	free(out);
	strv_clear(&done);
	vmconf_clear(&vm);
	lv_doc_free(&d);

	/* a DOCTYPE: no spans, the document is written anew and still parses */
	const char *dt = "<!DOCTYPE domain [<!ENTITY n 'x'>]>\n<domain><name>&n;</name></domain>\n";
	assert_int_equal(parse(dt, &d, &e), 0);
	assert_null(d.spans);
	assert_int_equal(lv_doc_write(&d, &out, &len), 0);
	struct lv_doc d2 = {0};
	assert_int_equal(lv_doc_parse(out, len, "o.xml", &d2, &e), 0);
	lv_doc_free(&d2);
	free(out);
	lv_doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pci_addr),
		cmocka_unit_test(test_ull),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_rom),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_read_fix_write),
		cmocka_unit_test(test_fix_flat),
		cmocka_unit_test(test_qemu_read),
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_acpi_ident),
		cmocka_unit_test(test_untouched_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
