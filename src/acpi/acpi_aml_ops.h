/* Operator table shared by the AML encoder and the ASL printer (internal). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "acpi/acpi_aml.h"

struct aml_opinfo {
	const char *asl;
	uint8_t code;
	uint8_t nargs;  /* operands before the optional Target */
	bool target;
};

extern const struct aml_opinfo aml_ops[OP__MAX];
