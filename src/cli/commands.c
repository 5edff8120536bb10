/* The command table: name, entry point, help. */
#include "cli/commands.h"

#include <stddef.h>

const struct command commands[] = {
	{ .name = "probe", .run = cmd_probe,
	  .usage = "Usage: optimus-guest [--root DIR] [--json] probe\n"
	  "\n"
	  "Describe the guest: PCI display devices with their ids, drivers, roles and\n"
	  "DRM nodes, then the environment (hypervisor, machine type, firmware, EFI ROM\n"
	  "hand-over, modules, Xorg drivers and configuration). --json prints the\n"
	  "snapshot that --snapshot FILE replays.\n",
	  .summary = "what the guest has" },
	{ .name = NULL },
};
