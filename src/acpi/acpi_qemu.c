/* What loads the tables: QEMU arguments and libvirt XML; and the
 * option-ROM check (vbios inspect's rules) applied before anything is built. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_table.h"
#include "vbios/vbios.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/strv.h"


int acpi_rom_check(const uint8_t *rom, size_t len, struct err *e)
{
	/* vbios inspect's rules, and the image must start the file: _ROM serves it from 0 */
	struct vbios_rom r;
	_cleanup_buf_ struct buf why = {0};
	int rc = vbios_parse(rom, len, &r, e);
	if (rc < 0)
		return rc;
	if (r.start != 0) {
		err_set(e, "the option ROM starts at offset 0x%zx, not 0: cut it out first ('optimus-guest vbios extract' does)",
			r.start);
		rc = -EINVAL;
	} else if (!vbios_usable(&r, &why)) {
		err_set(e, "%s ('optimus-guest vbios inspect' shows the details)", why.s ? why.s : "not a usable NVIDIA option ROM");
		rc = -EINVAL;
	}
	vbios_rom_clear(&r);
	return rc;
}

/* QEMU option values: ',' doubles. */
static void qemu_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ',')
			buf_puts(b, ",");
		buf_append(b, s, 1);
	}
}

static void xml_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '\'': buf_puts(b, "&apos;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_append(b, s, 1);
		}
	}
}

/* Shell quoting for the printed command line. */
static void sh_quote(struct buf *b, const char *s)
{
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-=,:+@") == strlen(s)) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_append(b, s, 1);
	}
	buf_puts(b, "'");
}

static void arg_values(struct buf *v, size_t i, const char *const *paths, size_t n, const char *fw_name,
		       const char *rom)
{
	(void)n;
	if (i < n) {
		buf_puts(v, "file=");
		qemu_escape(v, paths[i]);
	} else {
		buf_puts(v, "name=");
		qemu_escape(v, fw_name);
		buf_puts(v, ",file=");
		qemu_escape(v, rom);
	}
}

int acpi_qemu_argv(const char *const *paths, size_t n, const char *fw_name, const char *rom, struct strv *ret)
{
	size_t total = n + (fw_name && rom ? 1 : 0);
	for (size_t i = 0; i < total; i++) {
		struct buf v = {0};
		arg_values(&v, i, paths, n, fw_name, rom);
		_cleanup_free_ char *val = buf_steal(&v);
		if (!val || strv_push(ret, i < n ? "-acpitable" : "-fw_cfg") < 0)
			return -ENOMEM;
		if (strv_push_take(ret, TAKE_PTR(val)) < 0) /* frees val */
			return -ENOMEM;
	}
	return 0;
}

char *acpi_qemu_args(const char *const *paths, size_t n, const char *fw_name, const char *rom)
{
	_cleanup_buf_ struct buf b = {0};
	size_t total = n + (fw_name && rom ? 1 : 0);
	for (size_t i = 0; i < total; i++) {
		_cleanup_buf_ struct buf v = {0};
		arg_values(&v, i, paths, n, fw_name, rom);
		buf_printf(&b, "%s%s ", i ? " " : "", i < n ? "-acpitable" : "-fw_cfg");
		sh_quote(&b, v.s ? v.s : "");
	}
	buf_puts(&b, "\n");
	return buf_steal(&b);
}

char *acpi_libvirt_xml(const char *const *paths, size_t n, const char *fw_name, const char *rom)
{
	_cleanup_buf_ struct buf b = {0};
	size_t total = n + (fw_name && rom ? 1 : 0);
	buf_puts(&b, "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
		     "  <!-- ... -->\n"
		     "  <qemu:commandline>\n");
	for (size_t i = 0; i < total; i++) {
		_cleanup_buf_ struct buf v = {0};
		arg_values(&v, i, paths, n, fw_name, rom);
		buf_printf(&b, "    <qemu:arg value='%s'/>\n", i < n ? "-acpitable" : "-fw_cfg");
		buf_puts(&b, "    <qemu:arg value='");
		xml_escape(&b, v.s ? v.s : "");
		buf_puts(&b, "'/>\n");
	}
	buf_puts(&b, "  </qemu:commandline>\n</domain>\n");
	return buf_steal(&b);
}
