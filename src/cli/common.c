/* Loading the snapshot every guest command works on. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paths.h"
#include "probe/probe_drm.h"
#include "probe/probe.h"
#include "model/providers.h"
#include "probe/probe_randr.h"
#include "probe/providers_text.h"
#include "model/snapshot_json.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/fileio.h"

int cli_output(const struct options *o, const char *path, const void *data, size_t len)
{
	struct err e = {0};
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_error(o, "cannot write to standard output: %s", strerror(errno ? errno : EIO));
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if (file_output(path, data, len, &e) < 0) {
		cli_error(o, "%s", e.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_output_check(const struct options *o, const char *path)
{
	struct err e = {0};
	if (strcmp(path, "-") == 0 || file_output_check(path, &e) == 0)
		return EXIT_OK;
	cli_error(o, "%s", e.msg);
	return EXIT_FAIL;
}

const char *cli_data_dir(const struct options *o)
{
	if (o->data_dir)
		return o->data_dir;
	const char *env = getenv("OPTIMUS_GUEST_DATA_DIR");
	return env && *env ? env : DATADIR;
}

/* --providers FILE, else the live X server when probing the running system. */
static int load_providers(const struct options *o, struct snapshot *s)
{
	struct err e = {0};
	struct providers p = {0};
	int rc;

	if (o->providers_path) {
		_cleanup_free_ char *text = NULL;
		size_t len = 0;
		rc = file_read_all(o->providers_path, 64u << 20, &text, &len);
		if (rc < 0) {
			cli_error(o, "cannot read providers '%s': %s", o->providers_path, strerror(-rc));
			return EXIT_FAIL;
		}
		if (providers_parse_text(text, len, strcmp(o->providers_path, "-") == 0 ? "<stdin>" : o->providers_path, &p, &e) < 0) {
			cli_error(o, "%s", e.msg);
			return EXIT_FAIL;
		}
	} else {
		const char *env = getenv("DISPLAY");
		if (o->snapshot_path || strcmp(o->root_path, "/") != 0 || (!o->display && !(env && *env)))
			return EXIT_OK;
		if (probe_randr(o->display, NULL, &p, &e) < 0) {
			if (o->display) {   /* asked for by name: an error */
				cli_error(o, "%s", e.msg);
				return EXIT_FAIL;
			}
			cli_warn(o, "RandR providers unknown: %s", e.msg);
			return EXIT_OK;
		}
	}
	providers_clear(&s->providers);
	s->providers = p;
	providers_map_pci(&s->providers, s);
	return EXIT_OK;
}

static void load_drm(const struct options *o, struct snapshot *s)
{
	struct err e = {0};
	struct drm_live d = {0};
	if (o->snapshot_path || strcmp(o->root_path, "/") != 0)
		return;
	if (probe_drm(&d, &e) < 0) {
		cli_warn(o, "DRM devices through libdrm unknown (%s); using sysfs", e.msg);
		return;
	}
	drm_live_clear(&s->drm);
	s->drm = d;
}

int cli_load_snapshot(const struct options *o, struct snapshot **ret)
{
	return cli_load_snapshot_keep(o, ret, NULL);
}

int cli_load_snapshot_keep(const struct options *o, struct snapshot **ret, struct root *keep)
{
	struct err e = {0};
	int rc;

	if (o->snapshot_path) {
		_cleanup_free_ char *text = NULL;
		size_t len = 0;
		rc = file_read_all(o->snapshot_path, 64u << 20, &text, &len);
		if (rc < 0) {
			cli_error(o, "cannot read snapshot '%s': %s", o->snapshot_path, strerror(-rc));
			return EXIT_FAIL;
		}
		rc = snapshot_from_string(text, len, o->snapshot_path, ret, &e);
	} else {
		struct root r = { .fd = -1 };
		rc = root_open_dir(&r, o->root_path, &e);
		if (rc == 0)
			rc = probe_run(&r, ret, &e);
		if (rc == 0 && keep)
			*keep = r;
		else
			root_close(&r);
	}
	if (rc < 0) {
		if (e.msg[0])
			cli_error(o, "%s", e.msg);
		else
			cli_error(o, "probing '%s' failed: %s", o->root_path, strerror(-rc));
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < (*ret)->skipped.n; i++)   /* said once, on every command that probes */
		cli_warn(o, "skipped %s", (*ret)->skipped.v[i]);
	load_drm(o, *ret);
	rc = load_providers(o, *ret);
	if (rc != EXIT_OK) {
		*ret = snapshot_free(*ret);
		if (keep)
			root_close(keep);
		return rc;
	}
	return EXIT_OK;
}
