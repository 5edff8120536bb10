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
	{ .name = "libvirt", .run = cmd_libvirt,
	  .usage = "Usage: optimus-guest [--root DIR] [--json] libvirt check DOMAIN.xml [--hostdev ALIAS|ADDR]\n"
	  "                                         [--goal nouveau|nvidia|windows]\n"
	  "       optimus-guest [--root DIR] [--json] libvirt check --qemu-args FILE [...]\n"
	  "       optimus-guest [--root DIR] libvirt fix DOMAIN.xml [--vbios FILE] [--acpi-table FILE]...\n"
	  "                                         [--hostdev ALIAS|ADDR] [-o FILE]\n"
	  "\n"
	  "On the host. 'check' holds a libvirt domain (virsh dumpxml) against what the guest\n"
	  "needs: q35, OVMF, the NVIDIA hostdev's subsystem ids (<qemu:override>) and ROM\n"
	  "(<rom file=>), a PCIe root port, the GVT-g vGPU with display='on', a remote display,\n"
	  "direct kernel boot or a loader with EFI hand-over, the ACPI _ROM table (goals nvidia\n"
	  "and windows) and no emulated display the guest would take as primary. The card's real\n"
	  "ids come from the host's sysfs (--root DIR reads a recorded tree; ROM and table paths\n"
	  "in the domain are read below it too). --qemu-args FILE checks a QEMU command line\n"
	  "instead (one argument per line, or one line as ps shows it).\n"
	  "\n"
	  "'fix' prints the domain with the fixes applied (qemu namespace, a 'ua-' alias on the\n"
	  "NVIDIA hostdev, <qemu:override> with the host card's subsystem ids in place of old\n"
	  "'-set' arguments, <rom file=FILE> with --vbios, '-acpitable file=FILE' per\n"
	  "--acpi-table), the rest unchanged; -o FILE writes a new file atomically. It never\n"
	  "writes the input. Load the result with 'virsh define FILE'.\n"
	  "\n"
	  "  --hostdev ALIAS|ADDR  the NVIDIA hostdev when the domain passes more than one card\n"
	  "  --goal G              nouveau (default), nvidia (binary driver) or windows\n"
	  "\n"
	  "Exit status: 0 no error, 3 a check failed with an error, 1 bad input, 2 usage.\n",
	  .summary = "check or fix a libvirt domain (host)" },
	{ .name = NULL },
};
