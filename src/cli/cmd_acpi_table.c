/* acpi-table: write the SSDT(s) that give the GPU's ACPI node a _ROM method. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acpi/acpi_path.h"
#include "acpi/acpi_table.h"
#include "cli/cli.h"
#include "cli/conventions.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fileio.h"

#define CMD "acpi-table"
#define ROM_READ_MAX (32u << 20)

/* Compile each table's ASL with iasl in a temp dir; replace .aml. */
static int run_iasl(const struct options *o, struct acpi_ssdt_set *set)
{
	char dir[] = "/tmp/optimus-guest-iasl.XXXXXX";
	if (!mkdtemp(dir)) {
		cli_error(o, "cannot create a temp dir for iasl: %s", strerror(errno));
		return -errno;
	}
	int rc = 0;
	for (size_t i = 0; i < set->n && rc == 0; i++) {
		char dsl[128], prefix[96], aml[128], log[128];
		snprintf(prefix, sizeof(prefix), "%s/t%zu", dir, i);
		snprintf(dsl, sizeof(dsl), "%s.dsl", prefix);
		snprintf(aml, sizeof(aml), "%s.aml", prefix);
		snprintf(log, sizeof(log), "%s.log", prefix);
		FILE *f = fopen(dsl, "w");
		if (!f || fputs(set->t[i].asl, f) < 0 || fclose(f) != 0) {
			cli_error(o, "cannot write %s", dsl);
			rc = -EIO;
			break;
		}
		pid_t pid = fork();
		if (pid == 0) {
			int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execlp("iasl", "iasl", "-p", prefix, dsl, (char *)NULL);
			_exit(127);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			cli_error(o, "iasl failed on table %s%s (see %s)", set->t[i].oem_table_id,
				  WIFEXITED(st) && WEXITSTATUS(st) == 127 ? ": iasl not found (Debian: acpica-tools)" : "", log);
			rc = -EIO;
			break;
		}
		_cleanup_free_ uint8_t *bytes = NULL;
		size_t len = 0;
		if (file_read_all(aml, ROM_READ_MAX, (char **)&bytes, &len) < 0) {
			cli_error(o, "iasl wrote no %s", aml);
			rc = -EIO;
			break;
		}
		if (len > ACPI_TABLE_MAX) {
			cli_error(o, "iasl made table %s %zu bytes, over QEMU's %u", set->t[i].oem_table_id, len, ACPI_TABLE_MAX);
			rc = -EFBIG;
			break;
		}
		free(set->t[i].aml);
		set->t[i].aml = TAKE_PTR(bytes);
		set->t[i].aml_len = len;
		unlink(dsl), unlink(aml), unlink(log);
	}
	if (rc == 0)
		rmdir(dir);
	return rc;
}

struct args {
	const char *vbios, *out, *path, *slot, *port, *fw_name;
	struct acpi_table_opts t;
	bool force, iasl;
};

enum { OPT_VBIOS = 256, OPT_PATH, OPT_SLOT, OPT_PORT, OPT_SOURCE, OPT_FWNAME, OPT_BATTERY, OPT_FORCE, OPT_DECLARE, OPT_IASL, OPT_TRANSPORT };

const struct option cli_acpi_table_options[] = {
	{ "vbios", required_argument, NULL, OPT_VBIOS },
	{ "output", required_argument, NULL, 'o' },
	{ "device-path", required_argument, NULL, OPT_PATH },
	{ "slot", required_argument, NULL, OPT_SLOT },
	{ "root-port", required_argument, NULL, OPT_PORT },
	{ "declare", required_argument, NULL, OPT_DECLARE },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "fw-cfg-name", required_argument, NULL, OPT_FWNAME },
	{ "fw-cfg-transport", required_argument, NULL, OPT_TRANSPORT },
	{ "battery", no_argument, NULL, OPT_BATTERY },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "iasl", no_argument, NULL, OPT_IASL },
	{ 0 },
};

static int parse(struct options *o, int argc, char **argv, struct args *a)
{
	int c;
	a->out = "ssdt-vbios.aml";
	while ((c = getopt_long(argc, argv, "o:", cli_acpi_table_options, NULL)) != -1) {
		switch (c) {
		case OPT_VBIOS: a->vbios = optarg; break;
		case 'o': a->out = optarg; break;
		case OPT_PATH: a->path = optarg; break;
		case OPT_SLOT: a->slot = optarg; break;
		case OPT_PORT: a->port = optarg; break;
		case OPT_FWNAME: a->fw_name = optarg; break;
		case OPT_BATTERY: a->t.battery = true; break;
		case OPT_FORCE: a->force = true; break;
		case OPT_IASL: a->iasl = true; break;
		case OPT_SOURCE:
			if (!strcmp(optarg, "embedded"))
				a->t.source = ACPI_SOURCE_EMBEDDED;
			else if (!strcmp(optarg, "fw_cfg") || !strcmp(optarg, "fw-cfg"))
				a->t.source = ACPI_SOURCE_FWCFG;
			else
				return cli_usage_error(o, CMD, "--source is embedded or fw_cfg, not '%s'", optarg);
			break;
		case OPT_DECLARE:
			if (!strcmp(optarg, "none"))
				a->t.declare = ACPI_DECLARE_NONE;
			else if (!strcmp(optarg, "device"))
				a->t.declare = ACPI_DECLARE_DEVICE;
			else if (!strcmp(optarg, "all"))
				a->t.declare = ACPI_DECLARE_ALL;
			else
				return cli_usage_error(o, CMD, "--declare is none, device or all, not '%s'", optarg);
			break;
		case OPT_TRANSPORT:
			if (!strcmp(optarg, "ioport"))
				a->t.transport = ACPI_FWCFG_IOPORT;
			else if (!strcmp(optarg, "test"))
				a->t.transport = ACPI_FWCFG_TEST;
			else
				return cli_usage_error(o, CMD, "--fw-cfg-transport is ioport or test, not '%s'", optarg);
			break;
		default:
			return cli_usage_error(o, CMD, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_extra_operand(o, CMD, argv[optind]);
	if (!a->vbios)
		return cli_usage_error(o, CMD, "--vbios FILE is required");
	if (!a->path && !a->slot)
		return cli_usage_error(o, CMD, "give the GPU's place in the guest: --slot BB:DD.F (and --root-port DD.F when it sits "
					       "behind a root port), or --device-path PATH; 'optimus-guest libvirt check DOMAIN.xml --goal nvidia' "
					       "on the host and 'optimus-guest plan' in the guest print this command with the place filled in");
	if (a->fw_name && a->t.source != ACPI_SOURCE_FWCFG)
		return cli_usage_error(o, CMD, "--fw-cfg-name needs --source fw_cfg");
	if (strcmp(a->out, "-") == 0)
		return cli_usage_error(o, CMD, "the tables are files QEMU loads by name: -o names a .aml or .dsl file, not '-'");
	const char *ext = strrchr(a->out, '.');
	if (!ext || (strcmp(ext, ".aml") && strcmp(ext, ".dsl")))
		return cli_usage_error(o, CMD, "-o names a .aml (compiled) or .dsl (ASL source) file, not '%s'", a->out);
	return -1;
}

int cmd_acpi_table(struct options *o, int argc, char **argv)
{
	struct args a = {0};
	struct err e = {0};
	char path[1400];
	int r = parse(o, argc, argv, &a);
	if (r >= 0)
		return r;
	a.t.fw_cfg_name = a.fw_name;
	if (a.fw_name && acpi_fwcfg_name_check(a.fw_name, &e) < 0)
		return cli_usage_error(o, CMD, "--fw-cfg-name: %s", e.msg);

	/* where the GPU sits */
	struct pci_bdf gpu = {0}, port = {0};
	if (a.slot && pci_bdf_parse(a.slot, false, &gpu, &e) < 0)
		return cli_usage_error(o, CMD, "--slot: %s", e.msg);
	if (a.port && pci_bdf_parse(a.port, true, &port, &e) < 0)
		return cli_usage_error(o, CMD, "--root-port: %s", e.msg);
	if (a.path) {
		snprintf(path, sizeof(path), "%s", a.path);
	} else if (qemu_q35_path(&gpu, a.port ? &port : NULL, path, sizeof(path), &e) < 0) {
		return cli_usage_error(o, CMD, "%s", e.msg);
	}
	if (a.t.declare != ACPI_DECLARE_NONE && !a.slot)
		return cli_usage_error(o, CMD, "--declare %s needs --slot (and --root-port) for the _ADR values",
				       a.t.declare == ACPI_DECLARE_ALL ? "all" : "device");
	if (a.t.declare == ACPI_DECLARE_ALL && !a.port)
		return cli_usage_error(o, CMD, "--declare all needs --root-port DD.F");
	a.t.gpu_adr = pci_adr(&gpu);
	a.t.port_adr = pci_adr(&port);
	a.t.device_path = path;

	_cleanup_free_ uint8_t *rom = NULL;
	size_t rom_len = 0;
	if ((r = file_read_all(a.vbios, ROM_READ_MAX, (char **)&rom, &rom_len)) < 0) {
		cli_error(o, "cannot read VBIOS '%s': %s", a.vbios,
			  r == -EFBIG ? "larger than 32 MiB, not a VBIOS" : strerror(-r));
		return EXIT_FAIL;
	}
	if (acpi_rom_check(rom, rom_len, &e) < 0) {
		if (!a.force) {
			cli_error(o, "'%s' is not an NVIDIA option ROM: %s. Check it with `optimus-guest vbios inspect %s`; "
				     "pass --force to use it anyway", a.vbios, e.msg, a.vbios);
			return EXIT_REFUSED;
		}
		cli_warn(o, "'%s': %s (used anyway: --force)", a.vbios, e.msg);
	}

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	_cleanup_(acpi_ssdt_set_free) struct acpi_ssdt_set set = {0};
	r = acpi_tables_build(rom, rom_len, &a.t, &set, &e);
	if (r < 0) {
		if (r == -EINVAL && strstr(e.msg, "path"))
			return cli_usage_error(o, CMD, "--device-path: %s", e.msg);
		cli_error(o, "%s", e.msg[0] ? e.msg : strerror(-r));
		return EXIT_FAIL;
	}
	bool dsl = !strcmp(strrchr(a.out, '.'), ".dsl");
	if (!dsl && a.iasl && run_iasl(o, &set) < 0)
		return EXIT_FAIL;
	clock_gettime(CLOCK_MONOTONIC, &t1);

	/* write every file to a temp name first, then rename them all */
	int rc = EXIT_OK;
	char **finals = calloc(set.n, sizeof(char *)), **tmps = calloc(set.n, sizeof(char *));
	char **amls = calloc(set.n, sizeof(char *));
	if (!finals || !tmps || !amls)
		rc = EXIT_FAIL;
	for (size_t i = 0; rc == EXIT_OK && i < set.n; i++) {
		finals[i] = acpi_table_file_name(a.out, set.t[i].suffix, dsl ? ".dsl" : ".aml");
		_cleanup_free_ char *aml_rel = acpi_table_file_name(a.out, set.t[i].suffix, ".aml");
		amls[i] = aml_rel ? realpath(".", NULL) : NULL;
		if (amls[i] && aml_rel[0] != '/') {
			char *abs = NULL;
			if (asprintf(&abs, "%s/%s", amls[i], aml_rel) < 0)
				abs = NULL;
			free(amls[i]);
			amls[i] = abs;
		} else if (amls[i]) {
			free(amls[i]);
			amls[i] = strdup(aml_rel);
		}
		if (!finals[i] || !amls[i]) {
			rc = EXIT_FAIL;
			break;
		}
		r = dsl ? file_output_prepare(finals[i], set.t[i].asl, strlen(set.t[i].asl), &tmps[i], &e)
			: file_output_prepare(finals[i], set.t[i].aml, set.t[i].aml_len, &tmps[i], &e);
		if (r < 0) {
			cli_error(o, "%s", e.msg);
			rc = EXIT_FAIL;
		}
	}
	for (size_t i = 0; rc == EXIT_OK && i < set.n; i++)
		if (file_output_commit(finals[i], tmps[i], &e) < 0) {
			cli_error(o, "%s", e.msg);
			rc = EXIT_FAIL;
		}
	for (size_t i = 0; i < set.n; i++)
		if (tmps && tmps[i] && rc != EXIT_OK)
			file_output_abort(tmps[i]);

	if (rc == EXIT_OK) {
		double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		for (size_t i = 0; i < set.n; i++)
			printf("wrote %s (%s, %zu bytes as AML)\n", finals[i], set.t[i].oem_table_id, set.t[i].aml_len);
		printf("_ROM at %s (%s), VBIOS %zu bytes %s, %zu table%s, built in %.0f ms%s\n", path,
		       a.t.declare == ACPI_DECLARE_NONE ? "added to QEMU's node"
		       : a.t.declare == ACPI_DECLARE_DEVICE ? "GPU device declared" : "root port and GPU declared",
		       rom_len, a.t.source == ACPI_SOURCE_FWCFG ? "read from fw_cfg at run time" : "embedded", set.n,
		       set.n == 1 ? "" : "s", ms, a.iasl && !dsl ? " (compiled by iasl)" : "");
		if (dsl)
			printf("compile each .dsl with `iasl FILE.dsl`, then load the .aml files:\n");
		_cleanup_free_ char *rom_abs = realpath(a.vbios, NULL);
		const char *fw = a.t.source == ACPI_SOURCE_FWCFG ? (a.fw_name ? a.fw_name : ACPI_FWCFG_NAME_DEFAULT) : NULL;
		_cleanup_free_ char *q = acpi_qemu_args((const char *const *)amls, set.n, fw, rom_abs ? rom_abs : a.vbios);
		_cleanup_free_ char *x = acpi_libvirt_xml((const char *const *)amls, set.n, fw, rom_abs ? rom_abs : a.vbios);
		printf("\nQEMU arguments:\n  %s\nlibvirt (virsh edit DOMAIN; merge into the <domain> element):\n%s", q ? q : "\n",
		       x ? x : "");
	}
	for (size_t i = 0; i < set.n; i++) {
		if (finals)
			free(finals[i]);
		if (tmps)
			free(tmps[i]);
		if (amls)
			free(amls[i]);
	}
	free(finals), free(tmps), free(amls);
	return rc;
}
