#pragma once
#include "cli/cli.h"

extern const struct command commands[];

/* The host-side commands (vbios, acpi-table, libvirt) and the guest commands off the boot
 * path (report, profiles, host, signatures) run in a helper binary (optimus-guest-libvirt)
 * so that the guest binary, whose boot path pays for every page it maps (its code is mapped
 * in 64 KiB blocks as it runs), carries neither their code nor libxml2, ICU and liblzma;
 * these are that binary's table and the help they share. */
extern const struct command helper_commands[];
extern const char commands_libvirt_usage[];
extern const char *const libvirt_subcommands[];
extern const char *const vbios_subcommands[];
extern const char commands_vbios_usage[];
extern const char commands_acpi_table_usage[];
extern const char commands_report_usage[];
extern const char commands_profiles_usage[];
extern const char commands_host_usage[];
extern const char commands_signatures_usage[];
extern const char *const profiles_subcommands[];
extern const char *const host_subcommands[];
extern const char *const signatures_subcommands[];
