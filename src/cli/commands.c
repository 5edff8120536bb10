/* The command table: name, entry point, help. */
#include "cli/commands.h"

#include <stddef.h>

#include "acpi_table.h"

const struct command commands[] = {
	{ .name = "probe", .run = cmd_probe,
	  .usage = "Usage: optimus-guest [--root DIR] [--json] probe\n"
	  "\n"
	  "Describe the guest: PCI display devices with their ids, drivers, roles and\n"
	  "DRM nodes, then the environment (hypervisor, machine type, firmware, EFI ROM\n"
	  "hand-over, modules, Xorg drivers and configuration). --json prints the\n"
	  "snapshot that --snapshot FILE replays.\n",
	  .summary = "what the guest has" },
	{ .name = "acpi-table", .run = cmd_acpi_table,
	  .usage = "Usage: optimus-guest acpi-table --vbios FILE [-o OUT.aml|OUT.dsl]\n"
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
	  "  --fw-cfg-transport ioport|test   test: acpiexec stand-in for fw_cfg (tests only)\n",
	  .summary = "ACPI _ROM table (SSDT) carrying the VBIOS, for QEMU" },
	{ .name = NULL },
};
