#pragma once
#include "cli/cli.h"

extern const struct command commands[];

/* The libvirt command runs in a helper binary (optimus-guest-libvirt) so that the boot path
 * never loads libxml2 and ICU; these are that binary's table and the help they share. */
extern const struct command helper_commands[];
extern const char commands_libvirt_usage[];
extern const char *const libvirt_subcommands[];
