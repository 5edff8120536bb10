/* The command table of optimus-guest-libvirt, the helper that carries libxml2. */
#include "cli/commands.h"

const struct command helper_commands[] = {
	{ .name = "libvirt", .run = cmd_libvirt, .usage = commands_libvirt_usage,
	  .summary = "check or fix a libvirt domain (host)" },
	{ .name = NULL },
};
