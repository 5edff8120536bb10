/* ASL text of a definition-block tree, in the classic (ASL 1.0 functional) syntax that every
 * iasl accepts: what `acpi-table --asl` prints next to the AML. */
#pragma once
#include "acpi/acpi_aml.h"
#include "util/buf.h"

/* The ASL text of a complete table: DefinitionBlock ("", ...) { body }, the same table
 * aml_encode_table() (acpi_aml_encode.h) encodes. */
int asl_print_table(const struct aml_table_id *id, const struct aml_node *root, struct buf *out);
