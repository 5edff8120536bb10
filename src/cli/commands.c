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
	{ .name = "plan", .run = cmd_plan,
	  .usage = "Usage: optimus-guest [--root DIR | --snapshot FILE] [--json] plan [PROFILE]\n"
	  "\n"
	  "Evaluate every profile (a row of the topology matrix) against the guest and say\n"
	  "which one works here and why, each check with its fix, why the others were not\n"
	  "chosen, and what 'apply' would write. With PROFILE, evaluate only that row: a\n"
	  "broken or never row is refused with the matrix's explanation and fix.\n"
	  "\n"
	  "Exit status: 0 a profile was chosen, 1 error, 2 usage, 3 refused or nothing works.\n",
	  .summary = "which topology works here and why" },
	{ .name = "profiles", .run = cmd_profiles,
	  .usage = "Usage: optimus-guest profiles [list [--verbose] [--checks] | show NAME | validate [FILE...]]\n"
	  "\n"
	  "list       every profile with its status and summary; --verbose adds the file it came\n"
	  "           from and why it matches this guest or not; --checks lists the check ids\n"
	  "show NAME  one profile's full data and its source file\n"
	  "validate   parse the shipped profiles (or the FILEs given) and report every error as\n"
	  "           FILE:LINE: what; what to do (exit 1 when any file is invalid)\n",
	  .summary = "list, show and validate profiles" },
	{ .name = NULL },
};
