/* The command table of optimus-guest-libvirt, the helper that carries libxml2. */
#include "cli/commands.h"

const struct command helper_commands[] = {
	{ .name = "libvirt", .run = cmd_libvirt, .usage = commands_libvirt_usage,
	  .summary = "check or fix a libvirt domain (host)",
	  .options = cli_libvirt_options, .shortopts = "o:", .subcommands = libvirt_subcommands, .json = true },
	{ .name = NULL },
};
