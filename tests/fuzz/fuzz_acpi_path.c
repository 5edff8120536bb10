/* libFuzzer: the ACPI name-path parser (--device-path) and the AML NameString
 * encoder. Round trip: a path that parses must format to canonical text that
 * parses to the same path, and must encode as a NameString of the size the
 * AML grammar gives. Also runs the option-ROM check on the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_aml.h"
#include "acpi/acpi_aml_encode.h"
#include "acpi/acpi_path.h"
#include "acpi/acpi_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct acpi_path *p = malloc(sizeof(*p)), *q = malloc(sizeof(*q));
	char text[4 + 255 * 5 + 256];
	uint8_t ns[2048];
	if (!p || !q)
		abort();
	acpi_rom_check(data, size, &e);
	if (acpi_path_parse((const char *)data, size, p, &e) == 0) {
		int n = acpi_path_format(p, text, sizeof(text));
		if (n < 0)
			abort();
		if (acpi_path_parse(text, (size_t)n, q, &e) != 0)
			abort();
		if (p->root != q->root || p->parents != q->parents || p->n != q->n ||
		    memcmp(p->seg, q->seg, sizeof(p->seg[0]) * p->n) != 0)
			abort();
		size_t want = (p->root ? 1 : 0) + p->parents + 4 * p->n + (p->n == 0 ? 1 : p->n == 2 ? 1 : p->n > 2 ? 2 : 0);
		if (aml_namestring(text, ns, sizeof(ns)) != want)
			abort();
	} else {
		/* what does not parse must not encode either (NUL-free inputs) */
		if (size < sizeof(text) && !memchr(data, 0, size)) {
			memcpy(text, data, size);
			text[size] = 0;
			if (aml_namestring(text, ns, sizeof(ns)) != 0)
				abort();
		}
	}
	free(p);
	free(q);
	return 0;
}
