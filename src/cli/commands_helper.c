/* The command table of optimus-guest-libvirt, the helper that carries the host-side
 * commands and their libraries (libxml2 and ICU, liblzma), and the guest commands the boot
 * service never runs (report, profiles, host, signatures), so that none of their code or
 * libraries is mapped on the guest's boot path. */
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
	{ .name = "report", .run = cmd_report, .usage = commands_report_usage,
	  .summary = "troubleshooting report for a bug (Markdown or JSON)",
	  .options = cli_report_options, .shortopts = "o:", .json = true },
	{ .name = "profiles", .run = cmd_profiles, .usage = commands_profiles_usage,
	  .summary = "list, show and validate profiles",
	  .options = cli_profiles_options, .shortopts = "v", .subcommands = profiles_subcommands, .json = true },
	{ .name = "host", .run = cmd_host, .usage = commands_host_usage,
	  .summary = "is this host ready to run the VM (IOMMU, GVT-g, vGPU, card)",
	  .subcommands = host_subcommands, .json = true },
	{ .name = "signatures", .run = cmd_signatures, .usage = commands_signatures_usage,
	  .summary = "validate log signature files",
	  .options = cli_signatures_options, .shortopts = "", .subcommands = signatures_subcommands },
	{ .name = NULL },
};
