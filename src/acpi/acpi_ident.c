/* Recognising the tables acpi-table writes, and the file names it gives them, so that
 * `libvirt check` can tell whether a VM loads the whole set. Pure: bytes in, facts out. */
#include "acpi/acpi_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char base36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

int acpi_table_ident(const uint8_t *d, size_t len, struct acpi_table_ident *ret)
{
	*ret = (struct acpi_table_ident){0};
	if (len < 36)
		return -EINVAL;
	memcpy(ret->signature, d, 4);
	memcpy(ret->oem_id, d + 10, 6);
	memcpy(ret->oem_table_id, d + 16, 8);
	if (memcmp(ret->oem_id, ACPI_OEM_ID, 6) != 0)
		return 0;
	if (memcmp(ret->oem_table_id, ACPI_OEM_TABLE_ROM, 8) == 0) {
		ret->kind = ACPI_IDENT_ROM;
		/* the _ROM table names each data table's package: External (\OGVn, PackageObj) */
		for (size_t i = 36; i + 7 <= len; i++) {
			if (d[i] != 0x15 || memcmp(d + i + 1, "\\OGV", 4) != 0 || d[i + 6] != 4)
				continue;
			const char *c = d[i + 5] ? strchr(base36, d[i + 5]) : NULL;
			unsigned n = c ? (unsigned)(c - base36) : 0;
			if (n == 0 || n >= ACPI_IDENT_MAX_DATA)
				continue;
			bool seen = false;
			for (size_t k = 0; k < ret->n_needs; k++)
				seen |= ret->needs[k] == n;
			if (!seen)
				ret->needs[ret->n_needs++] = n;
		}
		return 0;
	}
	if (memcmp(ret->oem_table_id, "VBIOSD", 6) == 0 && d[22] >= '0' && d[22] <= '9' && d[23] >= '0' && d[23] <= '9') {
		ret->kind = ACPI_IDENT_DATA;
		ret->data_no = (unsigned)(d[22] - '0') * 10 + (unsigned)(d[23] - '0');
	}
	return 0;
}

char *acpi_table_file_name(const char *out, const char *suffix, const char *ext)
{
	const char *dot = strrchr(out, '.');
	const char *slash = strrchr(out, '/');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - out) : strlen(out);
	char *s = NULL;
	if (asprintf(&s, "%.*s%s%s", (int)stem, out, suffix, ext) < 0)
		return NULL;
	return s;
}

char *acpi_data_table_file(const char *rom_table, unsigned n)
{
	char suffix[8];
	snprintf(suffix, sizeof(suffix), "-d%02u", n % 100);
	return acpi_table_file_name(rom_table, suffix, ".aml");
}
