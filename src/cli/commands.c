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
	{ .name = "vbios", .run = cmd_vbios,
	  .usage = "Usage: optimus-guest [--json] vbios inspect [FILE]\n"
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
	  "3 NVIDIA ROMs found but none usable.\n",
	  .summary = "inspect a VBIOS file, or extract it from a BIOS update" },
	{ .name = NULL },
};
