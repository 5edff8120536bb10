/* The AML bodies put into the GPU's scope (internal to acpi_table.c). */
#pragma once
#include <stddef.h>

#include "acpi/acpi_aml.h"
#include "acpi/acpi_table.h"

/* Embedded carrier: OGRS/OGRC, OGCH (chunk i -> Buffer) and _ROM. packages[i]
 * is the root name of package i (\OGV0 ...), counts[i] its chunk count. */
int rom_aml_embedded(struct aml_node *scope, size_t rom_len, size_t nchunks, char (*packages)[8],
		     const size_t *counts, size_t npackages);
/* fw_cfg carrier: region/fields (or the test stand-in), loader and _ROM. */
int rom_aml_fwcfg(struct aml_node *scope, const char *fw_cfg_name, enum acpi_fwcfg_transport t);
/* _ROM's common head and tail: Local0 = min(Arg1, 0x1000); pad Local2 (of
 * Local3 bytes) with zeros to Local0 and return it. */
void rom_aml_clamp_len(struct aml_node *m);
void rom_aml_pad_return(struct aml_node *blk);
/* Fake battery device \_SB.OGBT (PNP0C0A) with _STA, _BIF, _BST. */
struct aml_node *rom_aml_battery(void);
