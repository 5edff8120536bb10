/* The SSDT set that gives the GPU's ACPI node a _ROM method (pure functions:
 * bytes in, tables out; no I/O). Used by `acpi-table` and `libvirt fix`. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define ACPI_OEM_ID "OPTGST"
#define ACPI_OEM_TABLE_ROM "VBIOSROM"
#define ACPI_TABLE_MAX 65535u          /* QEMU -acpitable refuses larger tables */
#define ACPI_ROM_CHUNK 4096u           /* one Buffer per 4 KiB, and _ROM's largest reply */
#define ACPI_EMBEDDED_MAX (1u << 20)    /* embedded carrier: at most 1 MiB (about 18 tables) */
#define ACPI_FWCFG_MAX (16u << 20)      /* fw_cfg carrier: read into guest memory at run time */
#define ACPI_FWCFG_NAME_DEFAULT "opt/optimus-guest/vbios"

enum acpi_source { ACPI_SOURCE_EMBEDDED, ACPI_SOURCE_FWCFG };

enum acpi_declare {
	ACPI_DECLARE_NONE,   /* QEMU already has the GPU node: External + Scope */
	ACPI_DECLARE_DEVICE, /* QEMU has the root port only: declare the GPU Device with _ADR */
	ACPI_DECLARE_ALL,    /* QEMU has neither: declare root port and GPU (old q35 machines) */
};

enum acpi_fwcfg_transport {
	ACPI_FWCFG_IOPORT,   /* the real thing: selector 0x510 (16 bit), data 0x511 (8 bit) */
	ACPI_FWCFG_TEST,     /* acpiexec harness: \OGTD (Package of file images) stands in */
};

struct acpi_table_opts {
	const char *device_path;        /* ASL name path of the GPU node (absolute) */
	enum acpi_source source;
	const char *fw_cfg_name;        /* NULL: ACPI_FWCFG_NAME_DEFAULT */
	enum acpi_fwcfg_transport transport;
	bool battery;
	enum acpi_declare declare;
	uint32_t gpu_adr;               /* _ADR of declared nodes */
	uint32_t port_adr;
	size_t max_table;               /* 0: ACPI_TABLE_MAX */
};

struct acpi_ssdt {
	char oem_table_id[9];           /* VBIOSROM, VBIOSD01, ... */
	char suffix[8];                 /* "" for the _ROM table, "-d01", ... for data tables */
	uint8_t *aml;
	size_t aml_len;
	char *asl;
};

struct acpi_ssdt_set {
	struct acpi_ssdt *t;           /* t[0] holds _ROM */
	size_t n;
};

/* Build the tables for rom (rom_len bytes). Returns 0, -EINVAL (bad option:
 * path, fw_cfg name, size; e says which), -EFBIG (too large for the carrier)
 * or -ENOMEM. */
int acpi_tables_build(const uint8_t *rom, size_t rom_len, const struct acpi_table_opts *o,
		      struct acpi_ssdt_set *ret, struct err *e);
void acpi_ssdt_set_free(struct acpi_ssdt_set *s);

/* A fw_cfg file name QEMU and our AML accept: "opt/" prefix, 1..55 bytes,
 * printable ASCII without ',' (QEMU option syntax). */
int acpi_fwcfg_name_check(const char *name, struct err *e);

/* Minimal PCI option ROM check: 55 AA at 0 and a PCIR structure with vendor
 * 0x10de. 0, or -EINVAL with the reason in e. */
int acpi_rom_check(const uint8_t *rom, size_t len, struct err *e);

/* What a table file is, as far as acpi-table's sets go: ours (OEM id OPTGST), the _ROM table
 * (VBIOSROM) with the numbers of the data tables it reads, or data table VBIOSDnn. */
#define ACPI_IDENT_MAX_DATA 36
enum acpi_ident_kind { ACPI_IDENT_OTHER, ACPI_IDENT_ROM, ACPI_IDENT_DATA };
struct acpi_table_ident {
	char signature[5], oem_id[7], oem_table_id[9];
	enum acpi_ident_kind kind;
	unsigned data_no;                       /* ACPI_IDENT_DATA: nn of VBIOSDnn */
	unsigned needs[ACPI_IDENT_MAX_DATA];    /* ACPI_IDENT_ROM: the data tables it reads */
	size_t n_needs;
};
/* -EINVAL when D is too short for an ACPI table header. */
int acpi_table_ident(const uint8_t *d, size_t len, struct acpi_table_ident *ret);
/* The names acpi-table writes: OUT with its extension replaced by SUFFIX EXT ("t.aml", "-d01",
 * ".aml" -> "t-d01.aml"); and data table N of the set whose _ROM table is ROM_TABLE. malloc'd. */
char *acpi_table_file_name(const char *out, const char *suffix, const char *ext);
char *acpi_data_table_file(const char *rom_table, unsigned n);

/* QEMU arguments and the libvirt <qemu:commandline> that load the tables
 * (absolute paths in aml_paths) and, for fw_cfg, the ROM file. Returned
 * strings are malloc'd; NULL on OOM. */
/* The same as a vector of QEMU arguments, pairs like "-acpitable",
 * "file=/abs/t.aml" (QEMU-escaped, not shell-quoted), for inserting
 * <qemu:arg value=.../> elements into a domain. 0 or -ENOMEM. */
struct strv;
int acpi_qemu_argv(const char *const *aml_paths, size_t n, const char *fw_cfg_name, const char *rom_path,
		   struct strv *ret);
char *acpi_qemu_args(const char *const *aml_paths, size_t n, const char *fw_cfg_name, const char *rom_path);
char *acpi_libvirt_xml(const char *const *aml_paths, size_t n, const char *fw_cfg_name, const char *rom_path);
