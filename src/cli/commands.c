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
	{ .name = "run", .run = cmd_run, .args_verbatim = true,
	  .usage = "Usage: optimus-guest [GLOBAL OPTIONS] run [--profile NAME] [--] PROGRAM [ARGS...]\n"
	  "       optimus-guest [GLOBAL OPTIONS] run [--profile NAME] --print\n"
	  "\n"
	  "Run PROGRAM rendering on the NVIDIA card, like prime-run: plan (the best\n"
	  "profile, or --profile NAME), add the profile's render offload variables to\n"
	  "the environment (nouveau: DRI_PRIME=pci-DDDD_BB_DD_F; the NVIDIA driver:\n"
	  "__NV_PRIME_RENDER_OFFLOAD=1 __GLX_VENDOR_LIBRARY_NAME=nvidia\n"
	  "__VK_LAYER_NV_optimus=NVIDIA_only) and exec PROGRAM in place of this process,\n"
	  "so its exit status and signals reach the caller unchanged (a shell reports a\n"
	  "program killed by SIGTERM as 143). Everything after PROGRAM is its own, options\n"
	  "included.\n"
	  "\n"
	  "  --print          print 'export NAME=value' lines for a shell's eval:\n"
	  "                   eval \"$(optimus-guest run --print)\"\n"
	  "  --profile NAME   use profile NAME instead of the automatic choice\n"
	  "\n"
	  "Exit status: PROGRAM's; 3 when no profile here offloads rendering (gvt-only,\n"
	  "compute-only, refused) and nothing was run; 127 PROGRAM not found, 126 not\n"
	  "executable; 1/2 errors before PROGRAM starts.\n",
	  .summary = "run a program on the NVIDIA card (render offload)" },
	{ .name = "session", .run = cmd_session,
	  .usage = "Usage: optimus-guest [GLOBAL OPTIONS] session [--profile NAME] [--dry-run]\n"
	  "\n"
	  "Run at the start of an X session (data/optimus-guest-session.desktop for XDG\n"
	  "autostart, data/90optimus-guest for /etc/X11/Xsession.d). When the chosen\n"
	  "profile needs RandR provider links, make them on the X server of $DISPLAY (or\n"
	  "--display): output-source is 'xrandr --setprovideroutputsource', offload-sink\n"
	  "'xrandr --setprovideroffloadsink'; after a new output source it runs\n"
	  "'xrandr --auto' so the outputs it adds light up. A link that is already there\n"
	  "is left alone, so running it twice changes nothing. Profiles without links\n"
	  "(render offload on servers that bind GPU screens themselves) need nothing.\n"
	  "\n"
	  "  --dry-run        say what would be linked, from the providers known without\n"
	  "                   changing anything (works with --providers FILE)\n"
	  "  --profile NAME   use profile NAME instead of the automatic choice\n"
	  "\n"
	  "Exit status: 0 linked or nothing to do, 1 the X server is unreachable or refused\n"
	  "a link, 3 the topology is refused.\n",
	  .summary = "link RandR providers at session start" },
	{ .name = NULL },
};
