/* The command table: name, entry point, help. */
#include "cli/commands.h"

#include <stddef.h>

#include "acpi/acpi_table.h"

/* Shared with the helper binary of the host commands (commands_helper.c). */
const char commands_libvirt_usage[] =
	"Usage: optimus-guest [--root DIR] [--json] libvirt check DOMAIN.xml [--hostdev ALIAS|ADDR]\n"
	"                                         [--goal nouveau|nvidia|windows]\n"
	"       optimus-guest [--root DIR] [--json] libvirt check --qemu-args FILE [...]\n"
	"       optimus-guest [--root DIR] libvirt fix DOMAIN.xml [--vbios FILE] [--acpi-table FILE]...\n"
	"                                         [--hostdev ALIAS|ADDR] [--goal G] [--force] [-o FILE]\n"
	"\n"
	"On the host. 'check' holds a libvirt domain (virsh dumpxml) against what the guest\n"
	"needs: q35, OVMF, the NVIDIA hostdev's subsystem ids (<qemu:override>) and ROM\n"
	"(<rom file=>), a PCIe root port, the GVT-g vGPU with display='on', a remote display,\n"
	"direct kernel boot or a loader with EFI hand-over, the ACPI _ROM table (goals nvidia\n"
	"and windows) and no emulated display the guest would take as primary. The card's real\n"
	"ids come from the host's sysfs (--root DIR reads a recorded tree; ROM and table paths\n"
	"in the domain are read below it too). --qemu-args FILE checks a QEMU command line\n"
	"instead: a launch script (comments, '\\' continuations, $VAR it can expand; the ones it\n"
	"cannot are named), one argument per line, /proc/PID/cmdline, or one line as ps shows it.\n"
	"\n"
	"'fix' prints the domain with the fixes applied (qemu namespace, a 'ua-' alias on the\n"
	"NVIDIA hostdev, <qemu:override> with the host card's subsystem ids in place of old\n"
	"'-set' arguments (every -set of the card moved or removed), <rom file=FILE> with\n"
	"--vbios and no bar='off' (goal nouveau), '-acpitable file=FILE' per --acpi-table and\n"
	"for each data table a _ROM table reads); untouched text is copied byte for byte and\n"
	"stderr says what changed, or that nothing did. A --vbios of another device id is\n"
	"refused unless --force. -o FILE writes a new file atomically. It never writes the\n"
	"input. Load the result with 'virsh define FILE'.\n"
	"\n"
	"  --hostdev ALIAS|ADDR  the NVIDIA hostdev when the domain passes more than one card\n"
	"  --goal G              nouveau (default), nvidia (binary driver) or windows\n"
	"\n"
	"Exit status: 0 no error, 3 a check failed with an error, 1 bad input, 2 usage.\n";

const char *const profiles_subcommands[] = { "list", "show", "validate", NULL };
const char *const vbios_subcommands[] = { "inspect", "extract", NULL };
const char *const signatures_subcommands[] = { "validate", NULL };
const char *const host_subcommands[] = { "check", NULL };
const char *const libvirt_subcommands[] = { "check", "fix", NULL };
const char commands_vbios_usage[] =
	"Usage: optimus-guest [--json] vbios inspect [FILE]\n"
	"       optimus-guest [--json] vbios extract FILE [-o DIR] [--device VID:DID] [--list]\n"
	"\n"
	"inspect parses a PCI option ROM (a VBIOS file): every image in the chain with\n"
	"its signature, PCIR data (vendor, device, class, revision, length, code type,\n"
	"last-image bit; NVIDIA's NPDS/NPDE too), the x86 image's checksum and the EFI\n"
	"image header, then a verdict: usable as the NVIDIA card's ROM for nouveau in\n"
	"the guest (NVIDIA vendor, display class, chain well formed, checksum good).\n"
	"Without FILE it reads the NVIDIA card's sys/bus/pci/devices/*/rom below --root\n"
	"(on the live host it enables the ROM first: run as root). Muxless cards\n"
	"usually give nothing there: use extract.\n"
	"Exit status: 0 usable, 1 unreadable or no ROM in it, 3 parsed but not usable.\n"
	"\n"
	"extract searches a laptop firmware image or BIOS update for NVIDIA option ROMs:\n"
	"stored raw anywhere, inside UEFI firmware volumes (FFS files, sections,\n"
	"GUID-defined sections) and inside LZMA-, LZMA+x86-, EFI- and Tiano-compressed\n"
	"sections. Brotli-compressed and unknown sections are not opened; they are\n"
	"listed as 'not searched'. An Inno Setup installer (.exe) is unpacked with\n"
	"innoextract first. Each ROM found is written whole (all images, in order)\n"
	"to DIR (default: the current directory) as VID-DID-0xOFFSET.rom (OFFSET in\n"
	"FILE; for compressed data VID-DID-0xSECTION-0xOFFSET.rom) and inspected;\n"
	"the same bytes found twice are written once.\n"
	"  -o, --output DIR      where to write the ROMs (created if missing)\n"
	"  -d, --device VID:DID  only ROMs for this card (ids in hex, as lspci -nn shows)\n"
	"  -l, --list            also print every volume, file and section walked\n"
	"Memory: FILE is mapped, not read into memory; decompressed sections take at\n"
	"most 256 MiB in all, plus at most 64 MiB for the LZMA decoder.\n"
	"Exit status: 0 a usable ROM was written, 1 error or no NVIDIA ROM found,\n"
	"3 NVIDIA ROMs found but none usable.\n";

const char commands_acpi_table_usage[] =
	"Usage: optimus-guest acpi-table --vbios FILE [-o OUT.aml|OUT.dsl]\n"
	"         [--device-path PATH | --slot BB:DD.F [--root-port DD.F]] [--declare none|device|all]\n"
	"         [--source embedded|fw_cfg] [--fw-cfg-name opt/NAME] [--battery] [--iasl] [--force]\n"
	"\n"
	"Write the ACPI table(s) (SSDT) that give the NVIDIA GPU's ACPI node a _ROM\n"
	"method returning its VBIOS, for the NVIDIA binary driver and Windows guests.\n"
	"Prints the QEMU arguments and the libvirt XML that load them.\n"
	"\n"
	"  --vbios FILE         the card's VBIOS (a PCI option ROM; --force skips the check)\n"
	"  -o OUT.aml|OUT.dsl   compiled tables or ASL source (default ssdt-vbios.aml);\n"
	"                       extra data tables are written as OUT-d01.aml, OUT-d02.aml ...\n"
	"  --device-path PATH   the GPU's ACPI path, e.g. \\_SB.PCI0.S08.S00 (in a Linux guest:\n"
	"                       /sys/bus/pci/devices/0000:BB:DD.F/firmware_node/path)\n"
	"  --slot BB:DD.F       the GPU's guest PCI address; with --root-port DD.F (the\n"
	"                       pcie-root-port it sits behind) the path is QEMU's q35 name\n"
	"  --declare MODE       none: add _ROM to the node QEMU declares (QEMU >= 6.1 q35\n"
	"                       with ACPI PCI hotplug, the default); device: declare the GPU\n"
	"                       Device with _ADR; all: declare root port and GPU (old q35)\n"
	"  --source SRC         embedded (VBIOS inside the tables, split under QEMU's 64 KiB\n"
	"                       table limit) or fw_cfg (read from -fw_cfg at run time)\n"
	"  --fw-cfg-name NAME   fw_cfg file name (default " ACPI_FWCFG_NAME_DEFAULT ")\n"
	"  --battery            add a fake battery (PNP0C0A) for the Windows driver\n"
	"  --iasl               compile with iasl instead of the built-in AML encoder\n"
	"  --fw-cfg-transport ioport|test   test: acpiexec stand-in for fw_cfg (tests only)\n";

const char commands_report_usage[] =
	"Usage: optimus-guest [--root DIR | --snapshot FILE] report [-o FILE] [--format md|json]\n"
	"                     [--log FILE]... [--no-redact]\n"
	"\n"
	"A troubleshooting report to attach to a bug: the guest's devices and environment,\n"
	"the decision and its checks, the Xorg configuration files (ours and others'), and\n"
	"the known failures found in the logs, each with the matched line, its line number\n"
	"and the fix. Logs: ROOT/var/log/Xorg.*.log, kern.log, dmesg and every user's\n"
	"~/.local/share/xorg/Xorg.*.log; on the running system (root '/') also the kernel\n"
	"log of this boot (journalctl -k -b, else /dev/kmsg). With --snapshot only --log\n"
	"files are scanned. It reads only; nothing in the guest changes.\n"
	"\n"
	"  -o, --output FILE   write the report to FILE (atomically) instead of stdout\n"
	"  --format md|json    Markdown for a GitHub issue (default), or one JSON object\n"
	"                      with snapshot, decision and findings (--json is --format json)\n"
	"  --log FILE          also scan FILE (any log; every signature applies); repeatable\n"
	"  --no-redact         keep host names, user names, MAC addresses, serial numbers and\n"
	"                      UUIDs; by default they become <host-1>, <user-1>, ...\n"
	"\n"
	"Lines longer than 4096 bytes are cut, binary lines skipped, invalid UTF-8 replaced;\n"
	"memory stays under about 1 MiB whatever the size of the logs.\n";

const char commands_profiles_usage[] =
	"Usage: optimus-guest profiles [list [--verbose] [--checks] | show NAME | validate [FILE...]]\n"
	"\n"
	"list       every profile with its status and summary; --verbose adds the file it came\n"
	"           from and why it matches this guest or not; --checks lists the check ids\n"
	"show NAME  one profile's full data and its source file\n"
	"validate   parse the shipped profiles (or the FILEs given) and report every error as\n"
	"           FILE:LINE: what; what to do (exit 1 when any file is invalid)\n";

const char commands_host_usage[] =
	"Usage: optimus-guest [--root DIR] [--json] host check\n"
	"\n"
	"On the host. Is it ready to run the VM? Checks, each with its evidence and fix:\n"
	"  igpu-gvt              the Intel iGPU, its generation, and whether GVT-g exists for it\n"
	"  iommu                 /sys/class/iommu and /sys/kernel/iommu_groups (intel_iommu=on)\n"
	"  gvt-enabled           i915's enable_gvt parameter (i915.enable_gvt=1)\n"
	"  modules               kvmgt, vfio_pci and mdev loaded (modules-load.d)\n"
	"  vgpu-types            the iGPU's GVT-g vGPU types, their sizes and free instances\n"
	"  vgpu                  an existing vGPU, and its mdevctl definition (/etc/mdevctl.d)\n"
	"  nvidia-card           the NVIDIA card: muxless (3D controller) or with outputs\n"
	"  nvidia-vfio           the driver bound to it now\n"
	"  nvidia-iommu-group    every other device in its IOMMU group (bridges stay with the host)\n"
	"  nvidia-subsystem-ids  its subsystem ids (0000:0000 after a reset: how to get the real ones)\n"
	"  nvidia-vbios          whether its sysfs ROM gives a VBIOS (else 'vbios extract')\n"
	"Everything is read below --root DIR (default /), so a recorded host tree replays. It\n"
	"changes nothing. --json prints {root, ready, checks: [{id, severity, passed, message, fix}]}.\n"
	"\n"
	"Exit status: 0 ready (warnings allowed), 3 an error-level check failed, 1 the tree\n"
	"could not be read, 2 usage.\n";

const char commands_signatures_usage[] =
	"Usage: optimus-guest signatures validate [FILE...]\n"
	"\n"
	"Check log signature files the way 'report' loads them: strict INI (one\n"
	"[signature-id] per signature; log, pattern, severity, diagnosis, fix, confirms),\n"
	"each pattern a POSIX extended regular expression that compiles, matches no empty\n"
	"line and has no back-reference, nested repetition ('(a+)+') or repetition large\n"
	"enough to make the regex compiler explode. Without FILE the shipped signatures\n"
	"(DATADIR/signatures/*.ini) are checked. Errors are FILE:LINE: what; what to do.\n"
	"\n"
	"Exit status: 0 every file is valid, 1 a file is not, 2 usage.\n";

const struct command commands[] = {
	{ .name = "probe", .run = cmd_probe,
	  .usage = "Usage: optimus-guest [--root DIR] [--json] probe\n"
	  "\n"
	  "Describe the guest: PCI display devices with their ids, drivers, roles and\n"
	  "DRM nodes, then the environment (hypervisor, machine type, firmware, EFI ROM\n"
	  "hand-over, modules, Xorg drivers and configuration). --json prints the\n"
	  "snapshot that --snapshot FILE replays.\n",
	  .summary = "what the guest has",
	  .shortopts = "", .json = true },
	{ .name = "plan", .run = cmd_plan,
	  .usage = "Usage: optimus-guest [--root DIR | --snapshot FILE] [--json] plan [PROFILE]\n"
	  "\n"
	  "Evaluate every profile (a row of the topology matrix) against the guest and say\n"
	  "which one works here and why, each check with its fix, why the others were not\n"
	  "chosen, and what 'apply' would write. With PROFILE, evaluate only that row: a\n"
	  "broken or never row is refused with the matrix's explanation and fix.\n"
	  "\n"
	  "Exit status: 0 a profile was chosen, 1 error, 2 usage, 3 refused or nothing works.\n",
	  .summary = "which topology works here and why",
	  .options = cli_plan_options, .shortopts = "", .json = true },
	{ .name = "apply", .run = cmd_apply,
	  .usage = "Usage: optimus-guest [--root DIR] [--json] apply [PROFILE] [--dry-run] [--boot] [--force]\n"
	  "\n"
	  "Plan (the chosen PROFILE, or the best one that works here), render and write the\n"
	  "Xorg configuration: files named *optimus-guest*.conf in ROOT/etc/X11/xorg.conf.d,\n"
	  "each replaced atomically; what was written is recorded with its SHA-256 in\n"
	  "ROOT/var/lib/optimus-guest/manifest.json. A second apply with the same result\n"
	  "changes nothing. Files of ours that are no longer needed are removed; a file of\n"
	  "ours that was edited is saved under var/lib/optimus-guest/backups first; a file\n"
	  "without optimus-guest's header is never touched. A refused topology exits 3.\n"
	  "\n"
	  "  --dry-run  print what would change as a unified diff (stdout), write nothing\n"
	  "  --boot     boot service mode: any problem keeps the existing configuration, is\n"
	  "             logged on stderr, and exits 0; optimus-guest=off on the kernel\n"
	  "             command line makes it do nothing\n"
	  "  --force    apply despite a conflicting Xorg file of the admin's (left untouched);\n"
	  "             rebuild a corrupted manifest from the files carrying our header\n",
	  .summary = "write the Xorg configuration (auto-selects without PROFILE)",
	  .options = cli_apply_options, .shortopts = "", .json = true },
	{ .name = "revert", .run = cmd_revert,
	  .usage = "Usage: optimus-guest [--root DIR] [--json] revert [--dry-run] [--force]\n"
	  "\n"
	  "Remove the files apply wrote, put back byte for byte (with mode, owner and time)\n"
	  "what it replaced, and remove ROOT/var/lib/optimus-guest and the directories apply\n"
	  "created. A file of ours edited since apply stops revert (nothing changes) unless\n"
	  "--force, which keeps a copy in var/lib/optimus-guest/backups. Only the files the\n"
	  "manifest lists with the hash apply wrote are ours: without a manifest nothing is\n"
	  "deleted (a file carrying optimus-guest's header is named, and left in place).\n"
	  "\n"
	  "By hand: delete /etc/X11/xorg.conf.d/*optimus-guest*.conf that start with\n"
	  "'# Written by optimus-guest', copy back the files listed as \"original\" in\n"
	  "/var/lib/optimus-guest/manifest.json from /var/lib/optimus-guest/backups/, then\n"
	  "delete /var/lib/optimus-guest.\n",
	  .summary = "restore what apply replaced, remove what it wrote",
	  .options = cli_revert_options, .shortopts = "", .json = true },
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
	  .summary = "run a program on the NVIDIA card (render offload)",
	  .options = cli_run_options, .shortopts = "" },
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
	  .summary = "link RandR providers at session start",
	  .options = cli_session_options, .shortopts = "n" },
	{ .name = "report", .run = cmd_host_helper, .usage = commands_report_usage,
	  .summary = "troubleshooting report for a bug (Markdown or JSON)", .json = true },
	{ .name = "profiles", .run = cmd_host_helper, .usage = commands_profiles_usage,
	  .summary = "list, show and validate profiles",
	  .subcommands = profiles_subcommands, .json = true },
	{ .name = "vbios", .run = cmd_host_helper, .usage = commands_vbios_usage,
	  .summary = "inspect a VBIOS file, or extract it from a BIOS update",
	  .subcommands = vbios_subcommands, .json = true },
	{ .name = "acpi-table", .run = cmd_host_helper, .usage = commands_acpi_table_usage,
	  .summary = "ACPI _ROM table (SSDT) carrying the VBIOS, for QEMU" },
	{ .name = "host", .run = cmd_host_helper, .usage = commands_host_usage,
	  .summary = "is this host ready to run the VM (IOMMU, GVT-g, vGPU, card)",
	  .subcommands = host_subcommands, .json = true },
	{ .name = "libvirt", .run = cmd_host_helper, .usage = commands_libvirt_usage,
	  .summary = "check or fix a libvirt domain (host)",
	  .subcommands = libvirt_subcommands, .json = true },
	{ .name = "signatures", .run = cmd_host_helper, .usage = commands_signatures_usage,
	  .summary = "validate log signature files",
	  .subcommands = signatures_subcommands },
	{ .name = NULL },
};
