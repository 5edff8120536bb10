/* The AML back end of the definition-block tree (acpi_aml.h): the whole table as
 * bytes, and the encodings it is built from. Pure: no I/O. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "acpi/acpi_aml.h"

/* Encode a complete table: header + the body (top-level nodes: the kids of
 * root), length and checksum filled in. Returns 0 or -errno (-ENOMEM,
 * -EINVAL for a malformed tree; *why* says what). *ret is malloc'd. */
int aml_encode_table(const struct aml_table_id *id, const struct aml_node *root, uint8_t **ret,
		     size_t *ret_len, const char **why);

/* Building blocks exposed for tests and the fuzzer. */
/* PkgLength for a body of n bytes (the encoding includes its own length).
 * Writes 1-4 bytes to out, returns the count, or 0 when n is too large. */
size_t aml_pkglen(size_t body, uint8_t out[4]);
/* Encode an ASL name path (\A.B, ^^A, A.B.C, single segment) as an AML
 * NameString. Returns bytes written (<= cap), or 0 for an invalid path. */
size_t aml_namestring(const char *path, uint8_t *out, size_t cap);
