/* AML encoder pieces, name paths, table splitting and the ROM check. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "acpi/acpi_aml.h"
#include "acpi/acpi_aml_encode.h"
#include "acpi/acpi_path.h"
#include "acpi/acpi_table.h"
#include "util/strv.h"

static void test_pkglen(void **state)
{
	(void)state;
	uint8_t b[4];
	/* one byte up to 63 including itself */
	assert_int_equal(aml_pkglen(0, b), 1);
	assert_int_equal(b[0], 1);
	assert_int_equal(aml_pkglen(62, b), 1);
	assert_int_equal(b[0], 63);
	/* 63 + 1 = 64 does not fit 6 bits: two bytes, total 65 = 0x41 */
	assert_int_equal(aml_pkglen(63, b), 2);
	assert_int_equal(b[0], 0x41);
	assert_int_equal(b[1], 0x04);
	/* 4096-byte buffer body + 3 bytes of size: 4099 + 3 = 4102 = 0x1006, three bytes */
	assert_int_equal(aml_pkglen(4099, b), 3);
	assert_int_equal(b[0], 0x86);
	assert_int_equal(b[1], 0x00);
	assert_int_equal(b[2], 0x01);
	/* boundary 0xFFF total: two bytes up to 0xFFD body */
	assert_int_equal(aml_pkglen(0xFFD, b), 2);
	assert_int_equal(aml_pkglen(0xFFE, b), 3);
	assert_int_equal(aml_pkglen(0xFFFFFFF - 4, b), 4);
	assert_int_equal(aml_pkglen(0xFFFFFFF, b), 0); /* too large */
}

static void test_namestring(void **state)
{
	(void)state;
	uint8_t b[64];
	assert_int_equal(aml_namestring("\\_SB.PCI0.S08.S00", b, sizeof(b)), 1 + 2 + 16);
	assert_memory_equal(b, "\\\x2f\x04_SB_PCI0S08_S00_", 19);
	assert_int_equal(aml_namestring("OGRS", b, sizeof(b)), 4);
	assert_memory_equal(b, "OGRS", 4);
	assert_int_equal(aml_namestring("\\OGV1", b, sizeof(b)), 5);
	assert_int_equal(aml_namestring("^^A.B", b, sizeof(b)), 2 + 1 + 8);
	assert_memory_equal(b, "^^\x2e" "A___B___", 11);
	assert_int_equal(aml_namestring("\\", b, sizeof(b)), 2);
	assert_memory_equal(b, "\\\0", 2);
	assert_int_equal(aml_namestring("\\_SB.PCI0", b, 3), 0); /* does not fit */
	assert_int_equal(aml_namestring("bad", b, sizeof(b)), 0);
}

static void test_path_parse(void **state)
{
	(void)state;
	struct acpi_path p;
	struct err e = {0};
	char out[64];
	const char *good[][2] = {
		{ "\\_SB.PCI0.S08.S00", "\\_SB.PCI0.S08.S00" },
		{ "\\_SB_.PCI0.S08_.S00_", "\\_SB.PCI0.S08.S00" },
		{ "^^PEGP", "^^PEGP" },
		{ "S00", "S00" },
		{ "\\", "\\" },
		{ "\\____", "\\_" },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(acpi_path_parse(good[i][0], strlen(good[i][0]), &p, &e), 0);
		assert_true(acpi_path_format(&p, out, sizeof(out)) > 0);
		assert_string_equal(out, good[i][1]);
	}
	const char *bad[] = { "", "\\_SB..S00", "\\_SB.PCI0.", "\\_sb", "\\_SB.12AB", "\\ABCDE", "^\\A", "\\^A", "^",
			      ".A", "\\A-B", "\\A B", "A\nB" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.msg[0] = 0;
		assert_int_equal(acpi_path_parse(bad[i], strlen(bad[i]), &p, &e), -EINVAL);
		assert_true(e.msg[0] != 0);
	}
	/* embedded NUL is a bad byte, not the end */
	assert_int_equal(acpi_path_parse("\\A\0B", 4, &p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "0x00"));
	assert_int_equal(acpi_path_parse("\\_SB.PCI0", 9, &p, &e), 0);
	assert_int_equal(acpi_path_format(&p, out, 4), -ENOSPC);
}

static void test_bdf_and_q35(void **state)
{
	(void)state;
	struct pci_bdf g, r;
	struct err e = {0};
	char path[64];
	assert_int_equal(pci_bdf_parse("01:00.0", false, &g, &e), 0);
	assert_int_equal(pci_bdf_parse("01.0", true, &r, &e), 0);
	assert_int_equal(qemu_q35_path(&g, &r, path, sizeof(path), &e), 0);
	assert_string_equal(path, "\\_SB.PCI0.S08.S00");
	assert_int_equal(pci_bdf_parse("0000:02:00.1", false, &g, &e), 0);
	assert_int_equal(pci_adr(&g), 1);
	assert_int_equal(pci_bdf_parse("1c.4", true, &r, &e), 0);
	assert_int_equal(pci_adr(&r), 0x001C0004);
	assert_int_equal(qemu_q35_path(&g, &r, path, sizeof(path), &e), 0);
	assert_string_equal(path, "\\_SB.PCI0.SE4.S01");
	assert_int_equal(pci_bdf_parse("00:05.0", false, &g, &e), 0);
	assert_int_equal(qemu_q35_path(&g, NULL, path, sizeof(path), &e), 0);
	assert_string_equal(path, "\\_SB.PCI0.S28");
	assert_int_equal(pci_bdf_parse("01:00.0", false, &g, &e), 0);
	assert_int_equal(qemu_q35_path(&g, NULL, path, sizeof(path), &e), -EINVAL);
	assert_non_null(strstr(e.msg, "--root-port"));
	const char *bad[] = { "01:20.0", "01:00.8", "1:2", "x1:00.0", "0001:01:00.0", "01:00.", ":00.0", "100:00.0", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pci_bdf_parse(bad[i], false, &g, &e), -EINVAL);
	assert_int_equal(pci_bdf_parse("01.0", false, &g, &e), -EINVAL);
}

/* One x86 image of LEN bytes (a multiple of 512): NVIDIA 3D controller, last image,
 * good checksum, placed at OFF in a buffer of OFF + LEN bytes. */
static uint8_t *fake_rom(size_t len, size_t off)
{
	uint8_t *b = calloc(1, off + len), *r = b + off;
	for (size_t i = 0; i < len; i++)
		r[i] = (uint8_t)(i * 7 + 3);
	r[0] = 0x55, r[1] = 0xAA, r[2] = (uint8_t)(len / 512), r[0x18] = 0x90, r[0x19] = 0x01;
	static const uint8_t pcir[24] = { 'P', 'C', 'I', 'R', 0xde, 0x10, 0x9b, 0x13, 0, 0, 0x18, 0, 3, 0, 2, 3 };
	memcpy(r + 0x190, pcir, sizeof(pcir));
	r[0x190 + 0x10] = (uint8_t)(len / 512), r[0x190 + 0x11] = 0;
	r[0x190 + 0x14] = 0, r[0x190 + 0x15] = 0x80;
	uint8_t s = 0;
	for (size_t i = 0; i < len - 1; i++)
		s = (uint8_t)(s + r[i]);
	r[len - 1] = (uint8_t)(0x100 - s);
	return b;
}

static void test_rom_check(void **state)
{
	(void)state;
	struct err e = {0};
	uint8_t *r = fake_rom(4096, 0);
	assert_int_equal(acpi_rom_check(r, 4096, &e), 0);
	assert_int_equal(acpi_rom_check(r, 0x100, &e), -EINVAL); /* cut before the PCIR */
	r[0x194] = 0x02, r[0x195] = 0x10;                         /* AMD's vendor id */
	e.msg[0] = 0;
	assert_int_equal(acpi_rom_check(r, 4096, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "1002"));
	r[0x190] = 'X';
	assert_int_equal(acpi_rom_check(r, 4096, &e), -EINVAL);
	r[0] = 0;
	assert_int_equal(acpi_rom_check(r, 4096, &e), -EINVAL);
	assert_int_equal(acpi_rom_check(r, 0, &e), -EINVAL);
	r[0x18] = 0xFF, r[0x19] = 0xFF, r[0] = 0x55;
	assert_int_equal(acpi_rom_check(r, 4096, &e), -EINVAL);
	free(r);
	/* a good image that does not start the file: _ROM serves from offset 0 */
	r = fake_rom(4096, 1536);
	e.msg[0] = 0;
	assert_int_equal(acpi_rom_check(r, 4096 + 1536, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "offset 0x600"));
	free(r);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

static void test_split(void **state)
{
	(void)state;
	struct err e = {0};
	const size_t sizes[] = { 1, 4095, 4096, 4097, 61440, 61441, 65536, 262144, 262145, 1 << 20 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint8_t *r = fake_rom(sizes[k] < 0x200 ? 0x200 : sizes[k], 0);
		struct acpi_table_opts o = { .device_path = "\\_SB.PCI0.S08.S00", .battery = k % 2 };
		struct acpi_ssdt_set set;
		assert_int_equal(acpi_tables_build(r, sizes[k], &o, &set, &e), 0);
		size_t data = 0;
		for (size_t i = 0; i < set.n; i++) {
			const uint8_t *t = set.t[i].aml;
			assert_true(set.t[i].aml_len <= ACPI_TABLE_MAX);
			assert_memory_equal(t, "SSDT", 4);
			assert_int_equal(t[4] | t[5] << 8 | t[6] << 16 | (uint32_t)t[7] << 24, set.t[i].aml_len);
			assert_int_equal(sum(t, set.t[i].aml_len), 0);
			assert_memory_equal(t + 10, "OPTGST", 6);
			assert_memory_equal(t + 16, i ? "VBIOSD" : "VBIOSROM", i ? 6 : 8);
			assert_non_null(set.t[i].asl);
			assert_non_null(strstr(set.t[i].asl, "DefinitionBlock"));
			data += set.t[i].aml_len;
		}
		/* every ROM byte is in there once, plus small overhead per 4 KiB */
		assert_true(data >= sizes[k]);
		assert_true(data < sizes[k] + 8 * (sizes[k] / 4096 + 1) + 3000 * set.n);
		assert_non_null(strstr(set.t[0].asl, "Method (_ROM, 2, Serialized)"));
		acpi_ssdt_set_free(&set);
		free(r);
	}
}

static void test_build_errors(void **state)
{
	(void)state;
	struct err e = {0};
	uint8_t *r = fake_rom(4096, 0);
	struct acpi_ssdt_set set;
	struct acpi_table_opts o = { .device_path = "\\_SB.PCI0.S08.S00" };
	assert_int_equal(acpi_tables_build(r, 0, &o, &set, &e), -EINVAL);
	o.device_path = "S00";
	assert_int_equal(acpi_tables_build(r, 4096, &o, &set, &e), -EINVAL);
	o.device_path = "\\_SB.PCI0.S08";
	o.declare = ACPI_DECLARE_ALL;
	assert_int_equal(acpi_tables_build(r, 4096, &o, &set, &e), -EINVAL);
	o.declare = ACPI_DECLARE_NONE;
	assert_int_equal(acpi_tables_build(r, ACPI_EMBEDDED_MAX + 1, &o, &set, &e), -EFBIG);
	o.source = ACPI_SOURCE_FWCFG;
	o.fw_cfg_name = "etc/foo";
	assert_int_equal(acpi_tables_build(r, 4096, &o, &set, &e), -EINVAL);
	o.fw_cfg_name = "opt/0123456789012345678901234567890123456789012345678901";
	assert_int_equal(acpi_tables_build(r, 4096, &o, &set, &e), -EINVAL);
	o.fw_cfg_name = "opt/ok";
	assert_int_equal(acpi_tables_build(r, 4096, &o, &set, &e), 0);
	assert_int_equal(set.n, 1);
	assert_true(set.t[0].aml_len < 1024);
	assert_non_null(strstr(set.t[0].asl, "SystemIO, 0x0510"));
	acpi_ssdt_set_free(&set);
	/* a limit below one chunk cannot be met */
	o.source = ACPI_SOURCE_EMBEDDED;
	o.max_table = 2000;
	assert_int_equal(acpi_tables_build(r, 4096, &o, &set, &e), -EFBIG);
	free(r);
}

static void test_loader_text(void **state)
{
	(void)state;
	const char *paths[] = { "/v/a b.aml", "/v/c,d.aml" };
	char *q = acpi_qemu_args(paths, 2, "opt/x", "/r/o'm");
	assert_string_equal(q, "-acpitable 'file=/v/a b.aml' -acpitable file=/v/c,,d.aml -fw_cfg 'name=opt/x,file=/r/o'\\''m'\n");
	free(q);
	char *x = acpi_libvirt_xml(paths, 1, NULL, NULL);
	assert_non_null(strstr(x, "<qemu:arg value='file=/v/a b.aml'/>"));
	assert_null(strstr(x, "fw_cfg"));
	free(x);
	struct strv v = {0};
	assert_int_equal(acpi_qemu_argv(paths, 2, "opt/x", "/r/m", &v), 0);
	assert_int_equal(v.n, 6);
	assert_string_equal(v.v[0], "-acpitable");
	assert_string_equal(v.v[3], "file=/v/c,,d.aml");
	assert_string_equal(v.v[5], "name=opt/x,file=/r/m");
	strv_clear(&v);
	x = acpi_libvirt_xml(paths, 0, "opt/x", "/r/<&'>");
	assert_non_null(strstr(x, "value='name=opt/x,file=/r/&lt;&amp;&apos;&gt;'"));
	free(x);
}

static void test_tree_errors(void **state)
{
	(void)state;
	struct aml_table_id id = { .signature = "SSDT", .oem_id = "OPTGST", .oem_table_id = "X", .revision = 2 };
	uint8_t *t = NULL;
	size_t n = 0;
	const char *why = NULL;
	struct aml_node *root = aml_scope("\\");
	aml_add(root, aml_name("bad name", aml_int(1)));
	assert_int_equal(aml_encode_table(&id, root, &t, &n, &why), -EINVAL);
	assert_non_null(why);
	aml_free(root);
	root = aml_scope("\\");
	aml_add(root, NULL); /* a failed allocation below */
	assert_int_equal(aml_encode_table(&id, root, &t, &n, &why), -ENOMEM);
	aml_free(root);
	/* integers pick the shortest encoding, like iasl */
	root = aml_scope("\\");
	const uint64_t v[] = { 0, 1, 2, 0x100, 0x10000, 0x100000000ull, UINT64_MAX };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		aml_add(root, aml_name("X", aml_int(v[i])));
	assert_int_equal(aml_encode_table(&id, root, &t, &n, &why), 0);
	static const uint8_t want[] = { 8, 'X', '_', '_', '_', 0x00, 8, 'X', '_', '_', '_', 0x01, 8, 'X', '_', '_', '_', 0x0A, 2,
					8, 'X', '_', '_', '_', 0x0B, 0, 1, 8, 'X', '_', '_', '_', 0x0C, 0, 0, 1, 0,
					8, 'X', '_', '_', '_', 0x0E, 0, 0, 0, 0, 1, 0, 0, 0, 8, 'X', '_', '_', '_', 0xFF };
	assert_int_equal(n, 36 + sizeof(want));
	assert_memory_equal(t + 36, want, sizeof(want));
	free(t);
	aml_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkglen),     cmocka_unit_test(test_namestring),   cmocka_unit_test(test_path_parse),
		cmocka_unit_test(test_bdf_and_q35), cmocka_unit_test(test_rom_check),   cmocka_unit_test(test_split),
		cmocka_unit_test(test_build_errors), cmocka_unit_test(test_loader_text), cmocka_unit_test(test_tree_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
