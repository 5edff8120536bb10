/* libvirt check / fix: a VM definition against the matrix's conditions, and the fixed domain. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "acpi/acpi_table.h"
#include "cli/cli.h"
#include "cli/conventions.h"
#include "libvirt/domain_checks.h"
#include "libvirt/domain_fix.h"
#include "libvirt/domain_xml.h"
#include "libvirt/qemu_args.h"
#include "libvirt/romcheck.h"
#include "model/snapshot_json.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fileio.h"

struct lv_args {
	const char *sub;        /* check | fix */
	const char *file;       /* DOMAIN.xml or the --qemu-args file; "-" is stdin */
	const char *name;       /* the file for messages */
	bool qemu;
	const char *hostdev;
	enum lv_goal goal;
	const char *vbios;
	struct strv acpi;
	const char *out;
	bool force;
};

const struct option cli_libvirt_options[] = {
	{ "hostdev", required_argument, NULL, 'H' },
	{ "goal", required_argument, NULL, 'g' },
	{ "qemu-args", required_argument, NULL, 'q' },
	{ "vbios", required_argument, NULL, 'b' },
	{ "acpi-table", required_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

static int parse_args(struct options *o, int argc, char **argv, struct lv_args *a)
{
	if (argc < 2)
		return cli_usage_error(o, "libvirt", "'libvirt' needs a sub-command: check or fix");
	a->sub = argv[1];
	bool fix = strcmp(a->sub, "fix") == 0;
	if (!fix && strcmp(a->sub, "check") != 0)
		return cli_usage_error(o, "libvirt", "unknown sub-command '%s' (check or fix)", a->sub);
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc - 1, argv + 1, ":o:", cli_libvirt_options, NULL)) != -1) {
		switch (c) {
		case 'H': a->hostdev = optarg; break;
		case 'g':
			if (lv_goal_parse(optarg, &a->goal) < 0)
				return cli_usage_error(o, "libvirt", "--goal '%s': use nouveau, nvidia or windows", optarg);
			break;
		case 'q': a->file = optarg; a->qemu = true; break;
		case 'b': a->vbios = optarg; break;
		case 'a':
			if (strv_push(&a->acpi, optarg) < 0)
				return EXIT_FAIL;
			break;
		case 'o': a->out = optarg; break;
		case 'f': a->force = true; break;
		case ':': return cli_usage_error(o, "libvirt", "option '%s' needs a value", argv[optind]);
		default: return cli_usage_error(o, "libvirt", "unknown option '%s'", argv[optind]);
		}
	}
	if (!fix && (a->vbios || a->acpi.n || a->out || a->force))
		return cli_usage_error(o, "libvirt", "--vbios, --acpi-table, --force and -o belong to 'libvirt fix'");
	if (fix && o->json)
		return cli_no_json(o, "libvirt", "libvirt fix");
	if (fix && a->qemu)
		return cli_usage_error(o, "libvirt", "'libvirt fix' changes a domain; for a QEMU command line use 'libvirt check --qemu-args'");
	int rest = argc - 1 - optind;
	if (a->qemu ? rest != 0 : rest != 1)
		return cli_usage_error(o, "libvirt", a->qemu ? "--qemu-args takes the place of DOMAIN.xml" : "'libvirt %s' needs one DOMAIN.xml", a->sub);
	if (!a->qemu)
		a->file = argv[1 + optind];
	a->name = strcmp(a->file, "-") == 0 ? "(stdin)" : a->file;
	return -1;
}

/* Read the definition: a domain document (kept for fix) or a QEMU command line. */
static int load(const struct options *o, const struct lv_args *a, struct lv_doc *doc, struct vmconf *vm)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	struct err e = {0};
	int rc = file_read_all(a->file, LV_MAX_XML, &text, &len);
	if (rc < 0) {
		cli_error(o, "cannot read '%s': %s", a->name, rc == -EFBIG ? "larger than 16 MiB" : strerror(-rc));
		return EXIT_FAIL;
	}
	if (a->qemu) {
		struct strv args = {0};
		struct strv unexpanded = {0};
		rc = qemu_args_split_script(text, len, a->name, &args, &unexpanded, &e);
		if (rc == 0)
			rc = qemu_args_read(&args, vm, &e);
		if (rc == -EINVAL && !strncmp(e.msg, "this is not", 11)) {
			_cleanup_free_ char *m = strdup(e.msg);
			if (m)
				err_set(&e, "%s: %s", a->name, m);
		}
		if (rc == 0) {
			vm->unexpanded = unexpanded;
			unexpanded = (struct strv){0};
		}
		strv_clear(&unexpanded);
		strv_clear(&args);
	} else {
		rc = lv_doc_parse(text, len, a->name, doc, &e);
		if (rc == 0)
			rc = lv_doc_read(doc, vm, &e);
	}
	if (rc < 0) {   /* only fix writes, so only fix says that it did not */
		cli_error(o, "%s%s", e.msg[0] ? e.msg : strerror(-rc), strcmp(a->sub, "fix") == 0 ? "; nothing was written" : "");
		return EXIT_FAIL;
	}
	free(vm->file);
	vm->file = strdup(a->name);
	return vm->file ? EXIT_OK : EXIT_FAIL;
}

/* The same marks and layout as plan's checks; failures first, most severe first. */
static const char *mark(const struct options *o, const struct lv_check *c)
{
	if (c->passed)
		return o->color ? "\033[32mok\033[0m     " : "ok     ";
	switch (c->severity) {
	case SEV_ERROR: return o->color ? "\033[31merror\033[0m  " : "error  ";
	case SEV_WARNING: return o->color ? "\033[33mwarning\033[0m" : "warning";
	default: return "info   ";
	}
}

static void print_human(const struct options *o, const struct lv_args *a, const struct vmconf *vm, const struct lv_checks *c)
{
	size_t ne = lv_checks_count(c, SEV_ERROR), nw = lv_checks_count(c, SEV_WARNING);
	printf("%s '%s' (%s), goal %s: %zu error%s, %zu warning%s\nChecks:\n",
	       vm->input == VM_LIBVIRT ? "Domain" : "QEMU command line", vm->name ? vm->name : "unnamed", a->name,
	       lv_goal_name(a->goal), ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s");
	for (int pass = 0; pass < 4; pass++)
		for (size_t i = 0; i < c->n; i++) {
			const struct lv_check *k = &c->v[i];
			bool show = pass == 3 ? k->passed : !k->passed && (int)k->severity == SEV_ERROR - pass;
			if (!show)
				continue;
			printf("  %s  %s: %s\n", mark(o, k), k->id, k->message);
			if (k->fix) {
				fputs("           fix: ", stdout);
				cli_put_indented(stdout, k->fix, 16);
				putchar('\n');
			}
		}
}

static int print_json(const struct lv_args *a, const struct vmconf *vm, int nv, const struct host_pci *h,
		      const struct lv_checks *c)
{
	json_t *j = json_object();
	json_object_set_new(j, "domain", json_str_or_null(vm->name));
	json_object_set_new(j, "file", json_string(a->name));
	json_object_set_new(j, "input", json_string(vm->input == VM_LIBVIRT ? "libvirt" : "qemu"));
	json_object_set_new(j, "goal", json_string(lv_goal_name(a->goal)));
	if (nv >= 0) {
		char addr[16];
		const struct vm_pci_hostdev *p = &vm->pci[nv];
		json_t *n = json_object();
		json_object_set_new(n, "host_address", json_string(vm_pci_addr(p, addr)));
		json_object_set_new(n, "alias", json_str_or_null(p->alias));
		json_object_set_new(n, "vendor", json_hex(h->vendor, 4));
		json_object_set_new(n, "device", json_hex(h->device, 4));
		json_object_set_new(n, "subsystem_vendor", json_hex(h->sub_vendor, 4));
		json_object_set_new(n, "subsystem_device", json_hex(h->sub_device, 4));
		json_object_set_new(n, "class", json_hex(h->class_code, 6));
		json_object_set_new(j, "nvidia", n);
	} else {
		json_object_set_new(j, "nvidia", json_null());
	}
	if (vm->n_mdev) {
		json_t *g = json_object();
		json_object_set_new(g, "uuid", json_str_or_null(vm->mdev[0].uuid));
		json_object_set_new(g, "display", vm->mdev[0].display < 0 ? json_null() : json_boolean(vm->mdev[0].display == 1));
		json_object_set_new(g, "ramfb", vm->mdev[0].ramfb < 0 ? json_null() : json_boolean(vm->mdev[0].ramfb == 1));
		json_object_set_new(j, "gvt", g);
	} else {
		json_object_set_new(j, "gvt", json_null());
	}
	json_object_set_new(j, "errors", json_integer((json_int_t)lv_checks_count(c, SEV_ERROR)));
	json_object_set_new(j, "warnings", json_integer((json_int_t)lv_checks_count(c, SEV_WARNING)));
	json_t *arr = json_array();
	for (size_t i = 0; i < c->n; i++) {
		const struct lv_check *k = &c->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(k->id));
		json_object_set_new(o, "severity", json_string(k->passed ? "info" : severity_name(k->severity)));
		json_object_set_new(o, "passed", json_boolean(k->passed));
		json_object_set_new(o, "message", json_string(k->message));
		json_object_set_new(o, "fix", json_str_or_null(k->fix));
		json_array_append_new(arr, o);
	}
	json_object_set_new(j, "checks", arr);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		return EXIT_FAIL;
	puts(s);
	free(s);
	return EXIT_OK;
}

static int run_check(struct options *o, struct lv_args *a)
{
	struct lv_doc doc = {0};
	struct vmconf vm = {0};
	struct root r = { .fd = -1 };
	struct lv_checks c = {0};
	struct host_pci h = {0};
	struct err e = {0};
	int nv = -1;
	int rc = load(o, a, &doc, &vm);
	if (rc == EXIT_OK && root_open_dir(&r, o->root_path, &e) < 0) {
		cli_error(o, "%s", e.msg);
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && lv_select_nvidia(&r, &vm, a->hostdev, &nv, &h, &e) < 0) {
		cli_error(o, "%s", e.msg);
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && lv_checks_run(&r, &vm, nv, &h, a->goal, &c) < 0) {
		cli_error(o, "out of memory");
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK) {
		if (o->json)
			rc = print_json(a, &vm, nv, &h, &c);
		else
			print_human(o, a, &vm, &c);
		if (rc == EXIT_OK && lv_checks_count(&c, SEV_ERROR))
			rc = EXIT_REFUSED;
	}
	lv_checks_clear(&c);
	root_close(&r);
	vmconf_clear(&vm);
	lv_doc_free(&doc);
	return rc;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Host paths the fix writes into the domain must exist on the host (through the root). */
static int host_file(const struct options *o, const struct root *r, const char *what, const char *path,
		     char **ret_abs, char **ret_data, size_t *ret_len)
{
	char *abs = NULL;
	if (path[0] == '/')
		abs = strdup(path);
	else
		abs = realpath(path, NULL);
	if (!abs) {
		cli_error(o, "%s '%s' does not exist; nothing was written", what, path);
		return EXIT_FAIL;
	}
	struct err e = {0};
	const char *rel = abs;
	while (*rel == '/')
		rel++;
	int rc = root_read_file(r, rel, ROOT_MAX_FILE, ret_data, ret_len, &e);
	if (rc < 0) {
		cli_error(o, "%s '%s' %s; nothing was written", what, abs,
			  rc == -ENOENT ? (root_is_slash(r) ? "does not exist" : "does not exist under --root") : e.msg);
		free(abs);
		return EXIT_FAIL;
	}
	*ret_abs = abs;
	return EXIT_OK;
}

/* A _ROM table names the data tables it reads; load those that sit next to it under acpi-table's
 * names when they were not given, and refuse when they are missing. */
static int acpi_siblings(const struct options *o, const struct root *r, const struct strv *given, const char *abs,
			 const uint8_t *data, size_t n, struct strv *acpi)
{
	struct acpi_table_ident t;
	if (acpi_table_ident(data, n, &t) < 0 || t.kind != ACPI_IDENT_ROM)
		return EXIT_OK;
	for (size_t k = 0; k < t.n_needs; k++) {
		_cleanup_free_ char *f = acpi_data_table_file(abs, t.needs[k]);
		_cleanup_free_ char *d = NULL;
		size_t dn = 0;
		struct err e = {0};
		if (!f)
			return EXIT_FAIL;
		if (strv_contains(acpi, f))
			continue;
		bool named = false;
		for (size_t i = 0; i < given->n; i++) {
			_cleanup_free_ char *g = given->v[i][0] == '/' ? strdup(given->v[i]) : realpath(given->v[i], NULL);
			named |= g && !strcmp(g, f);
		}
		if (named)
			continue; /* given later on the command line */
		const char *rel = f;
		while (*rel == '/')
			rel++;
		if (root_read_file(r, rel, 1u << 20, &d, &dn, &e) < 0) {
			cli_error(o, "the _ROM table '%s' reads its VBIOS from data table VBIOSD%02u, but '%s' %s: give every table "
				     "acpi-table wrote (--acpi-table once for each); nothing was written",
				  abs, t.needs[k], f, root_is_slash(r) ? "does not exist" : "does not exist under --root");
			return EXIT_FAIL;
		}
		if (strv_push(acpi, f) < 0)
			return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int run_fix(struct options *o, struct lv_args *a)
{
	struct lv_doc doc = {0};
	struct vmconf vm = {0}, after = {0};
	struct root r = { .fd = -1 };
	struct host_pci h = {0};
	struct err e = {0};
	struct strv done = {0}, acpi = {0};
	_cleanup_free_ char *vbios = NULL, *text = NULL;
	size_t len = 0;
	int nv = -1;
	if (a->out && strcmp(a->file, "-") != 0 && same_file(a->out, a->file))
		return cli_usage_error(o, "libvirt", "-o '%s' is the input; fix never overwrites the domain, name a new file", a->out);
	if (a->out && cli_output_check(o, a->out) != EXIT_OK)
		return EXIT_FAIL;
	int rc = load(o, a, &doc, &vm);
	if (rc == EXIT_OK && root_open_dir(&r, o->root_path, &e) < 0) {
		cli_error(o, "%s", e.msg);
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && lv_select_nvidia(&r, &vm, a->hostdev, &nv, &h, &e) < 0) {
		cli_error(o, "%s; nothing was written", e.msg);
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && a->vbios) {
		_cleanup_free_ char *data = NULL;
		size_t n = 0;
		rc = host_file(o, &r, "VBIOS", a->vbios, &vbios, &data, &n);
		struct rom_id id;
		char why[256];
		if (rc == EXIT_OK && rom_check_nvidia((const uint8_t *)data, n, &id, why, sizeof(why)) < 0) {
			cli_error(o, "--vbios '%s': %s; nothing was written", a->vbios, why);
			rc = EXIT_FAIL;
		} else if (rc == EXIT_OK && nv >= 0 && id.device != h.device) {
			if (!a->force) {
				cli_error(o, "--vbios '%s' is the VBIOS of device 10de:%04x, but the card passed through is %04x:%04x; "
					     "use this card's VBIOS (pass --force to use it anyway); nothing was written",
					  a->vbios, id.device, h.vendor, h.device);
				rc = EXIT_FAIL;
			} else {
				cli_warn(o, "--vbios '%s' is the VBIOS of device 10de:%04x, not of the card (%04x:%04x); used anyway (--force)",
					 a->vbios, id.device, h.vendor, h.device);
			}
		}
	}
	for (size_t i = 0; rc == EXIT_OK && i < a->acpi.n; i++) {
		_cleanup_free_ char *abs = NULL, *data = NULL;
		size_t n = 0;
		rc = host_file(o, &r, "ACPI table", a->acpi.v[i], &abs, &data, &n);
		if (rc == EXIT_OK && !strv_contains(&acpi, abs) && strv_push(&acpi, abs) < 0)
			rc = EXIT_FAIL;
		if (rc == EXIT_OK)
			rc = acpi_siblings(o, &r, &a->acpi, abs, (const uint8_t *)data, n, &acpi);
	}
	struct lv_fix_opts fo = { .vbios = vbios, .acpi = &acpi, .keep_rom_bar = a->goal != LV_GOAL_NOUVEAU };
	if (rc == EXIT_OK && lv_fix_apply(&doc, &vm, nv, &h, &fo, &done, &e) < 0) {
		cli_error(o, "%s; nothing was written", e.msg);
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && lv_doc_write(&doc, &text, &len) < 0) {
		cli_error(o, "out of memory");
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK) {
		rc = cli_output(o, a->out ? a->out : "-", text, len);
	}
	if (rc == EXIT_OK) {
		for (size_t i = 0; i < done.n; i++)
			fprintf(stderr, "%s: fixed: %s\n", o->prog, done.v[i]);
		if (done.n == 0)
			fprintf(stderr, "%s: nothing to fix: the domain already has what fix sets; %s is the input unchanged\n", o->prog,
				a->out ? a->out : "the output");
		/* What the fix cannot do: say so. */
		struct lv_checks c = {0};
		if (lv_doc_read(&doc, &after, &e) == 0 && lv_select_nvidia(&r, &after, a->hostdev, &nv, &h, &e) == 0 &&
		    lv_checks_run(&r, &after, nv, &h, a->goal, &c) == 0)
			for (size_t i = 0; i < c.n; i++)
				if (!c.v[i].passed && c.v[i].severity == SEV_ERROR)
					cli_warn(o, "still failing after the fix: %s: %s (fix: %s)", c.v[i].id, c.v[i].message, c.v[i].fix);
		lv_checks_clear(&c);
	}
	strv_clear(&done);
	strv_clear(&acpi);
	root_close(&r);
	vmconf_clear(&vm);
	vmconf_clear(&after);
	lv_doc_free(&doc);
	return rc;
}

int cmd_libvirt(struct options *o, int argc, char **argv)
{
	struct lv_args a = { .goal = LV_GOAL_NOUVEAU };
	int rc = parse_args(o, argc, argv, &a);
	if (rc < 0)
		rc = strcmp(a.sub, "fix") == 0 ? run_fix(o, &a) : run_check(o, &a);
	strv_clear(&a.acpi);
	return rc;
}
