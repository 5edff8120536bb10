/* The command table of optimus-guest-libvirt, the helper that carries the host-side
 * commands and their libraries (libxml2 and ICU, liblzma), so that none of them loads on the
 * guest's boot path. */
#include "cli/commands.h"

const struct command helper_commands[] = {
	{ .name = "vbios", .run = cmd_vbios, .usage = commands_vbios_usage,
	  .summary = "inspect a VBIOS file, or extract it from a BIOS update",
	  .options = cli_vbios_extract_options, .shortopts = "o:d:l", .subcommands = vbios_subcommands, .json = true },
	{ .name = "acpi-table", .run = cmd_acpi_table, .usage = commands_acpi_table_usage,
	  .summary = "ACPI _ROM table (SSDT) carrying the VBIOS, for QEMU",
	  .options = cli_acpi_table_options, .shortopts = "o:" },
	{ .name = "libvirt", .run = cmd_libvirt, .usage = commands_libvirt_usage,
	  .summary = "check or fix a libvirt domain (host)",
	  .options = cli_libvirt_options, .shortopts = "o:", .subcommands = libvirt_subcommands, .json = true },
	{ .name = NULL },
};
