/* vbios extract FILE [-o DIR] [--device VID:DID] [--list]: NVIDIA option ROMs out
 * of a firmware image or BIOS update (raw, in UEFI volumes, in LZMA sections; an
 * Inno Setup installer is unpacked with innoextract first). */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/vbios_print.h"
#include "vbios/fw_walk.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"
#include "util/fileio.h"
#include "util/mapfile.h"
#include "vbios/vbios.h"
#include "vbios/vbios_json.h"

extern char **environ;

struct written {
	uint32_t id; /* vendor << 16 | device */
	uint8_t *data;
	size_t len;
	char *name;
};

struct xctx {
	struct options *o;
	const char *dir;
	bool list;
	bool have_device;
	unsigned vid, did;
	size_t n_found, n_usable, n_other_ids, n_skipped;
	struct written *w;
	size_t n_w;
	json_t *jroms, *jskipped, *jinputs, *jfragments;
};

/* Through the one writer of user-named outputs: a link, device or FIFO planted under the
 * predictable name is refused, never followed or truncated. */
static int write_rom(const char *dir, const char *name, const uint8_t *data, size_t len, struct err *e)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	return file_output(path, data, len, e);
}

/* Different vendor:device pairs among the ROMs written. */
static size_t n_ids(const struct xctx *x)
{
	size_t n = 0;
	for (size_t i = 0; i < x->n_w; i++) {
		bool again = false;
		for (size_t k = 0; k < i && !again; k++)
			again = x->w[k].id == x->w[i].id;
		n += !again;
	}
	return n;
}

static const struct written *seen_before(const struct xctx *x, const struct fw_rom *r)
{
	for (size_t i = 0; i < x->n_w; i++)
		if (x->w[i].len == r->len && memcmp(x->w[i].data, r->data, r->len) == 0)
			return &x->w[i];
	return NULL;
}

static int one_rom(struct xctx *x, const struct fw_rom *r, const char *label)
{
	struct options *o = x->o;
	struct vbios_rom rom;
	struct err e = {0};
	if (vbios_parse(r->data, r->len, &rom, &e) < 0) { /* cannot happen: the walker parsed it */
		cli_error(o, "%s: %s", label, e.msg);
		return -EINVAL;
	}
	x->n_found++;
	char name[128];
	if (r->compressed)
		snprintf(name, sizeof(name), "%04x-%04x-0x%zx-0x%zx.rom", r->vendor, r->device, r->file_offset, r->inner_offset);
	else
		snprintf(name, sizeof(name), "%04x-%04x-0x%zx.rom", r->vendor, r->device, r->file_offset);
	char base[128];
	memcpy(base, name, sizeof(base));
	for (int k = 2; k < 1000; k++) { /* two ROMs at the same place (nested data): name-2.rom, ... */
		bool taken = false;
		for (size_t i = 0; i < x->n_w && !taken; i++)
			taken = strcmp(x->w[i].name, name) == 0;
		if (!taken)
			break;
		snprintf(name, sizeof(name), "%.*s-%d.rom", (int)strlen(base) - 4, base, k);
	}
	const struct written *dup = seen_before(x, r);
	if (!dup) {
		if (write_rom(x->dir, name, r->data, r->len, &e) < 0) {
			cli_error(o, "%s", e.msg);
			return -EIO;
		}
		struct written *nw = realloc(x->w, (x->n_w + 1) * sizeof(*nw));
		if (!nw)
			return -ENOMEM;
		x->w = nw;
		_cleanup_free_ uint8_t *data = malloc(r->len ? r->len : 1);
		_cleanup_free_ char *copy = strdup(name);
		if (!data || !copy)
			return -ENOMEM;
		memcpy(data, r->data, r->len);
		nw[x->n_w++] = (struct written){ .id = (uint32_t)r->vendor << 16 | r->device, .data = TAKE_PTR(data), .len = r->len,
						 .name = TAKE_PTR(copy) };
	}
	bool usable = vbios_verdict(&rom, NULL, NULL);
	if (usable)
		x->n_usable++;
	if (o->json) {
		json_t *j = json_object();
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", x->dir, dup ? dup->name : name);
		json_object_set_new(j, "input", json_string(label));
		json_object_set_new(j, "vendor", json_hex(r->vendor, 4));
		json_object_set_new(j, "device", json_hex(r->device, 4));
		json_object_set_new(j, "compressed", json_boolean(r->compressed));
		json_object_set_new(j, "where", json_string(r->where));
		json_object_set_new(j, "length", json_integer((json_int_t)r->len));
		json_object_set_new(j, "path", json_string(path));
		json_object_set_new(j, "duplicate", json_boolean(dup != NULL));
		json_object_set_new(j, "inspect", vbios_rom_json(&rom));
		json_array_append_new(x->jroms, j);
	} else {
		printf("ROM %zu: %04x:%04x, class %06x, %zu image%s, 0x%zx bytes\n", x->n_found, r->vendor, r->device,
		       rom.images[0].class_code, rom.n_images, rom.n_images == 1 ? "" : "s", r->len);
		printf("  found in %s, %s\n", label, r->where);
		if (dup)
			printf("  same bytes as %s/%s, not written again\n", x->dir, dup->name);
		else
			printf("  wrote %s/%s\n", x->dir, name);
		vbios_print_images(stdout, &rom, "  ");
		vbios_print_verdict(stdout, &rom, "  ");
	}
	return 0;
}

/* Walk one mapped input (closed here). */
static int walk_mapped(struct xctx *x, struct mapfile m, const char *label)
{
	struct options *o = x->o;
	struct err e = {0};
	int rc;
	struct fw_walk_opts wo = { .vendor = VBIOS_VENDOR_NVIDIA, .list = x->list };
	_cleanup_(fw_result_clear) struct fw_result res = {0};
	rc = fw_walk(m.data, m.len, &wo, &res, &e);
	if (rc < 0) {
		cli_error(o, "%s: %s", label, e.msg);
		mapfile_close(&m);
		return rc;
	}
	if (x->list && !o->json && res.listing.s)
		printf("%s:\n%s", label, res.listing.s);
	for (size_t i = 0; i < res.n_roms && rc == 0; i++) {
		const struct fw_rom *r = &res.roms[i];
		if (x->have_device && (r->vendor != x->vid || r->device != x->did)) {
			x->n_other_ids++;
			continue;
		}
		rc = one_rom(x, r, label);
	}
	x->n_skipped += res.skipped.n;
	if (o->json) {
		json_t *in = json_object();
		json_object_set_new(in, "input", json_string(label));
		json_object_set_new(in, "bytes", json_integer((json_int_t)m.len));
		json_object_set_new(in, "volumes", json_integer((json_int_t)res.n_volumes));
		json_object_set_new(in, "files", json_integer((json_int_t)res.n_files));
		json_object_set_new(in, "sections", json_integer((json_int_t)res.n_sections));
		json_object_set_new(in, "decompressed_sections", json_integer((json_int_t)res.n_decompressed));
		json_object_set_new(in, "decompressed_bytes", json_integer((json_int_t)res.decompressed_bytes));
		if (x->list)
			json_object_set_new(in, "structure", json_string(res.listing.s ? res.listing.s : ""));
		json_array_append_new(x->jinputs, in);
		for (size_t i = 0; i < res.skipped.n; i++)
			json_array_append_new(x->jskipped, json_string(res.skipped.v[i]));
		for (size_t i = 0; i < res.fragments.n; i++)
			json_array_append_new(x->jfragments, json_string(res.fragments.v[i]));
	} else {
		for (size_t i = 0; i < res.fragments.n; i++)
			printf("not a ROM: %s\n", res.fragments.v[i]);
		for (size_t i = 0; i < res.skipped.n; i++)
			printf("not searched: %s\n", res.skipped.v[i]);
		printf("%s: 0x%zx bytes, %zu volume%s, %zu files, %zu sections, %zu section%s decompressed (%zu bytes)\n",
		       label, m.len, res.n_volumes, res.n_volumes == 1 ? "" : "s", res.n_files, res.n_sections,
		       res.n_decompressed, res.n_decompressed == 1 ? "" : "s", res.decompressed_bytes);
	}
	mapfile_close(&m);
	return rc;
}

static int walk_file(struct xctx *x, const char *path, const char *label)
{
	struct mapfile m;
	struct err e = {0};
	int rc = mapfile_open(&m, path, &e);
	if (rc < 0) {
		cli_error(x->o, "%s", e.msg);
		return rc;
	}
	return walk_mapped(x, m, label);
}

/* An Inno Setup installer carries "Inno Setup Setup Data (VERSION)" uncompressed
 * at the start of its setup data, after the loader executable (looked for in
 * the first 32 MiB of files that start with "MZ"). */
static bool is_inno(const struct mapfile *m)
{
	size_t n = m->len < ((size_t)32 << 20) ? m->len : ((size_t)32 << 20);
	return n > 2 && m->data[0] == 'M' && m->data[1] == 'Z' && memmem(m->data, n, "Inno Setup Setup Data", 21) != NULL;
}

static int remove_tree(const char *dir)
{
	char *const paths[] = { (char *)dir, NULL };
	FTS *f = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!f)
		return -errno;
	for (FTSENT *ent; (ent = fts_read(f));) {
		if (ent->fts_info == FTS_DP)
			rmdir(ent->fts_path);
		else if (ent->fts_info != FTS_D)
			unlink(ent->fts_path);
	}
	fts_close(f);
	return 0;
}

static int run_inno(struct xctx *x, const char *path)
{
	struct options *o = x->o;
	const char *tmpdir = getenv("TMPDIR");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/optimus-guest-inno.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		cli_error(o, "cannot create a temporary directory in %s: %s", tmpdir ? tmpdir : "/tmp", strerror(errno));
		return EXIT_FAIL;
	}
	char *args[] = { "innoextract", "--silent", "--output-dir", dir, (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = posix_spawnp(&pid, "innoextract", &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		remove_tree(dir);
		cli_error(o, "'%s' is an Inno Setup installer; unpacking it needs innoextract, which %s. "
			  "Install it (Debian/Ubuntu: apt install innoextract) and run this again, or unpack the "
			  "installer elsewhere and pass the firmware file inside", path,
			  rc == ENOENT ? "is not installed" : strerror(rc));
		return EXIT_FAIL;
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		remove_tree(dir);
		cli_error(o, "innoextract could not unpack '%s' (exit %d); see its message above", path,
			  WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return EXIT_FAIL;
	}
	if (!o->json)
		printf("%s: Inno Setup installer, unpacked with innoextract\n", path);
	char *const paths[] = { dir, NULL };
	FTS *f = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	int res = 0;
	for (FTSENT *ent; f && res >= 0 && (ent = fts_read(f));) {
		if (ent->fts_info != FTS_F)
			continue;
		char label[4096];
		snprintf(label, sizeof(label), "%s:%s", path, ent->fts_path + strlen(dir));
		res = walk_file(x, ent->fts_path, label);
	}
	if (f)
		fts_close(f);
	remove_tree(dir);
	return res < 0 ? EXIT_FAIL : EXIT_OK;
}

static void host_devices_hint(struct options *o)
{
	struct root r = { .fd = -1 };
	char **names = NULL;
	size_t n = 0;
	if (root_open_dir(&r, o->root_path, NULL) < 0)
		return;
	if (root_list(&r, "sys/bus/pci/devices", &names, &n, NULL) == 0) {
		for (size_t i = 0; i < n; i++) {
			char rel[512];
			unsigned v = 0, d = 0, c = 0;
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/vendor", names[i]);
			if (root_read_hex(&r, rel, &v, NULL) < 0 || v != VBIOS_VENDOR_NVIDIA)
				continue;
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/class", names[i]);
			if (root_read_hex(&r, rel, &c, NULL) < 0 || c >> 16 != 3)
				continue;
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/device", names[i]);
			root_read_hex(&r, rel, &d, NULL);
			fprintf(stderr, "  this host's NVIDIA card: %s --device %04x:%04x\n", names[i], v, d);
		}
		root_list_free(names, n);
	}
	root_close(&r);
}

const struct option cli_vbios_extract_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "device", required_argument, NULL, 'd' },
	{ "list", no_argument, NULL, 'l' },
	{ 0, 0, 0, 0 },
};

int cmd_vbios_extract(struct options *o, int argc, char **argv)
{
	struct xctx x = { .o = o, .dir = "." };
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:d:l", cli_vbios_extract_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			x.dir = optarg;
			break;
		case 'd': {
			char tail;
			if (sscanf(optarg, "%4x:%4x%c", &x.vid, &x.did, &tail) != 2)
				return cli_usage_error(o, "vbios", "--device wants VID:DID in hex, like 10de:139b, not '%s'", optarg);
			x.have_device = true;
			break;
		}
		case 'l':
			x.list = true;
			break;
		default:
			return cli_usage_error(o, "vbios", "unknown option or missing value '%s' for vbios extract", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(o, "vbios", "vbios extract takes exactly one FILE");
	const char *path = argv[optind];
	if (strcmp(x.dir, "-") == 0)
		return cli_usage_error(o, "vbios", "vbios extract writes files: -o names a directory, not '-'");
	struct stat dst;
	if (mkdir(x.dir, 0755) < 0 && (errno != EEXIST || stat(x.dir, &dst) < 0 || !S_ISDIR(dst.st_mode))) {
		cli_error(o, "cannot use output directory '%s': %s", x.dir, errno == EEXIST ? "it is not a directory" : strerror(errno));
		return EXIT_FAIL;
	}
	x.jroms = json_array();
	x.jskipped = json_array();
	x.jinputs = json_array();
	x.jfragments = json_array();
	int rc;
	struct mapfile m;
	struct err e = {0};
	if (mapfile_open(&m, path, &e) < 0) {
		cli_error(o, "%s", e.msg);
		rc = EXIT_FAIL;
	} else if (m.len == 0) {
		cli_error(o, "'%s' is empty", path);
		rc = EXIT_FAIL;
	} else if (is_inno(&m)) {
		mapfile_close(&m);
		rc = run_inno(&x, path);
	} else {
		rc = walk_mapped(&x, m, path) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	if (rc == EXIT_OK) {
		if (o->json) {
			json_t *j = json_object();
			json_object_set_new(j, "file", json_string(path));
			json_object_set_new(j, "output_dir", json_string(x.dir));
			json_object_set_new(j, "inputs", json_incref(x.jinputs));
			json_object_set_new(j, "roms", json_incref(x.jroms));
			json_object_set_new(j, "skipped", json_incref(x.jskipped));
			json_object_set_new(j, "not_roms", json_incref(x.jfragments));
			json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
			json_decref(j);
		}
		if (!x.n_found) {
			if (x.n_other_ids)
				cli_error(o, "%zu NVIDIA ROM%s in '%s', none for %04x:%04x; drop --device to see them",
					  x.n_other_ids, x.n_other_ids == 1 ? "" : "s", path, x.vid, x.did);
			else
				cli_error(o, "no NVIDIA option ROM found in '%s'%s", path,
					  x.n_skipped ? "; some parts could not be opened (see 'not searched')" : "");
			rc = EXIT_FAIL;
		} else if (!x.n_usable) {
			cli_error(o, "found %zu NVIDIA ROM%s, none usable for nouveau (see the verdicts)", x.n_found,
				  x.n_found == 1 ? "" : "s");
			rc = EXIT_REFUSED;
		} else if (n_ids(&x) > 1 && !x.have_device) {
			cli_warn(o, "ROMs for %zu different devices written; pick your card's with --device VID:DID", n_ids(&x));
			host_devices_hint(o);
		}
	}
	if (fflush(stdout) != 0 && rc == EXIT_OK)
		rc = EXIT_FAIL;
	for (size_t i = 0; i < x.n_w; i++) {
		free(x.w[i].data);
		free(x.w[i].name);
	}
	free(x.w);
	json_decref(x.jroms);
	json_decref(x.jskipped);
	json_decref(x.jinputs);
	json_decref(x.jfragments);
	return rc;
}
