#pragma once
#include "cli/cli.h"

extern const struct command commands[];

/* The host-side commands (vbios, acpi-table, libvirt) run in a helper binary
 * (optimus-guest-libvirt) so that the guest binary, whose boot path pays for every page it
 * maps, carries neither their code nor libxml2, ICU and liblzma; these are that binary's
 * table and the help they share. */
extern const struct command helper_commands[];
extern const char commands_libvirt_usage[];
extern const char *const libvirt_subcommands[];
extern const char *const vbios_subcommands[];
extern const char commands_vbios_usage[];
extern const char commands_acpi_table_usage[];
