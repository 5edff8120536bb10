/* vbios: dispatch, and `vbios inspect [FILE]` (a ROM file, or the card's sysfs rom). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/vbios_print.h"
#include "util/cleanup.h"
#include "util/mapfile.h"
#include "vbios/vbios.h"
#include "vbios/vbios_json.h"

int cmd_vbios_extract(struct options *o, int argc, char **argv);

/* Parse and print one ROM; exit code 0 usable, 3 not usable, 1 unparseable. */
static int inspect_buffer(struct options *o, const uint8_t *buf, size_t len, const char *name)
{
	struct vbios_rom rom;
	struct err e = {0};
	bool rom_first = len >= 2 && buf[0] == 0x55 && buf[1] == 0xaa;
	if (!rom_first && vbios_looks_like_firmware(buf, len)) {
		cli_error(o, "%s is a firmware image (it holds UEFI firmware volumes), not an option ROM; "
			  "get the ROMs out of it with: %s vbios extract %s -o DIR", name, o->prog, name);
		return EXIT_FAIL;
	}
	if (vbios_parse(buf, len, &rom, &e) < 0) {
		cli_error(o, "%s: %s", name, e.msg);
		return EXIT_FAIL;
	}
	bool ok;
	if (o->json) {
		json_t *j = json_object(), *r = vbios_rom_json(&rom);
		json_object_set_new(j, "file", json_string(name));
		json_object_update(j, r);
		json_decref(r);
		ok = json_is_true(json_object_get(json_object_get(j, "verdict"), "usable"));
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		printf("%s: %zu bytes\n", name, len);
		vbios_print_images(stdout, &rom, "");
		ok = vbios_print_verdict(stdout, &rom, "");
	}
	vbios_rom_clear(&rom);
	if (fflush(stdout) != 0)
		return EXIT_FAIL;
	return ok ? EXIT_OK : EXIT_REFUSED;
}

static void explain_no_rom(struct options *o)
{
	fprintf(stderr,
		"  This is normal for a muxless (Optimus) card: it has no ROM of its own behind its\n"
		"  PCI ROM BAR, so the kernel finds no 55 aa signature there ('Invalid PCI ROM header\n"
		"  signature' in dmesg). Its VBIOS is part of the laptop's system firmware, which hands\n"
		"  it to the driver through the ACPI _ROM method. Get it from the laptop's BIOS update:\n"
		"    %s vbios extract BIOS-UPDATE-FILE -o DIR\n"
		"  (see 'Getting your VBIOS' in the README).\n", o->prog);
}

/* The sysfs rom attribute of one device: on the live host enable, read, disable. */
static int read_sysfs_rom(const struct root *r, const char *dev, char **ret, size_t *ret_len, struct err *e)
{
	char rel[512];
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/rom", dev);
	bool live = root_is_slash(r);
	if (live) {
		char abs[520];
		snprintf(abs, sizeof(abs), "/%s", rel);
		_cleanup_close_ int fd = open(abs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "1", 1) != 1) {
			int errsv = errno;
			err_set(e, "cannot enable %s for reading: %s%s", abs, strerror(errsv),
				errsv == EACCES || errsv == EPERM ? " (run as root)" : "");
			return -errsv;
		}
	}
	int rc = root_read_file(r, rel, ROOT_MAX_FILE, ret, ret_len, e);
	if (rc < 0 && !e->msg[0])
		err_set(e, "reading %s: %s", rel, strerror(-rc));
	if (live) {
		char abs[520];
		snprintf(abs, sizeof(abs), "/%s", rel);
		_cleanup_close_ int fd = open(abs, O_WRONLY | O_CLOEXEC);
		if (fd >= 0 && write(fd, "0", 1) != 1) {
			/* disabling failed: nothing more to do, the ROM stays readable */
		}
	}
	return rc;
}

static int inspect_sysfs(struct options *o)
{
	struct root r = { .fd = -1 };
	struct err e = {0};
	char **names = NULL;
	size_t n = 0;
	int worst = -1;
	if (root_open_dir(&r, o->root_path, &e) < 0) {
		cli_error(o, "%s", e.msg);
		return EXIT_FAIL;
	}
	if (root_list(&r, "sys/bus/pci/devices", &names, &n, &e) < 0) {
		cli_error(o, "%s", e.msg[0] ? e.msg : "cannot list sys/bus/pci/devices");
		root_close(&r);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		char rel[512];
		unsigned vendor = 0, device = 0, class = 0;
		struct err ie = {0};
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/vendor", names[i]);
		if (root_read_hex(&r, rel, &vendor, &ie) < 0 || vendor != VBIOS_VENDOR_NVIDIA)
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/class", names[i]);
		if (root_read_hex(&r, rel, &class, &ie) < 0 || class >> 16 != 0x03)
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/device", names[i]);
		root_read_hex(&r, rel, &device, &ie);
		char label[160];
		snprintf(label, sizeof(label), "%s (%04x:%04x class %06x) sysfs rom", names[i], vendor, device, class);
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		struct err re = {0};
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/rom", names[i]);
		int rc;
		if (!root_exists(&r, rel)) {
			cli_error(o, "%s: the device has no 'rom' attribute in sysfs (no ROM BAR)", label);
			explain_no_rom(o);
			rc = EXIT_FAIL;
		} else if (read_sysfs_rom(&r, names[i], &data, &len, &re) < 0) {
			cli_error(o, "%s: %s", label, re.msg);
			explain_no_rom(o);
			rc = EXIT_FAIL;
		} else if (len == 0) {
			cli_error(o, "%s: empty", label);
			explain_no_rom(o);
			rc = EXIT_FAIL;
		} else {
			rc = inspect_buffer(o, (const uint8_t *)data, len, label);
			if (rc == EXIT_FAIL)
				explain_no_rom(o);
		}
		worst = worst < 0 || rc == EXIT_FAIL || (rc == EXIT_REFUSED && worst == EXIT_OK) ? rc : worst;
	}
	root_list_free(names, n);
	if (worst < 0) {
		cli_error(o, "no NVIDIA display device under %s/sys/bus/pci/devices; name a ROM file: %s vbios inspect FILE",
			  strcmp(o->root_path, "/") == 0 ? "" : o->root_path, o->prog);
		worst = EXIT_FAIL;
	}
	root_close(&r);
	return worst;
}

const struct option cli_vbios_inspect_options[] = { { 0, 0, 0, 0 } };

static int cmd_inspect(struct options *o, int argc, char **argv)
{
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", cli_vbios_inspect_options, NULL)) != -1)
		return cli_usage_error(o, "vbios", "unknown option '%s' for vbios inspect", argv[optind - 1]);
	if (argc - optind > 1)
		return cli_usage_error(o, "vbios", "vbios inspect takes one FILE, got '%s' too", argv[optind + 1]);
	if (argc - optind == 0)
		return inspect_sysfs(o);
	const char *path = argv[optind];
	struct mapfile m;
	struct err e = {0};
	if (mapfile_open(&m, path, &e) < 0) {
		cli_error(o, "%s", e.msg);
		return EXIT_FAIL;
	}
	int rc = inspect_buffer(o, m.data, m.len, path);
	mapfile_close(&m);
	return rc;
}

int cmd_vbios(struct options *o, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(o, "vbios", "missing sub-command (inspect or extract)");
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(o, argc - 1, argv + 1);
	if (strcmp(argv[1], "extract") == 0)
		return cmd_vbios_extract(o, argc - 1, argv + 1);
	return cli_usage_error(o, "vbios", "unknown sub-command '%s' (inspect or extract)", argv[1]);
}
