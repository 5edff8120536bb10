/* The host-side commands (vbios, acpi-table, libvirt) live in optimus-guest-libvirt: libxml2
 * pulls in ICU and libstdc++, liblzma and the firmware and ACPI code add pages, and every
 * command of the guest binary, the boot service's included, would pay for them. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paths.h"
#include "util/cleanup.h"

#define HELPER "optimus-guest-libvirt"

/* Beside this binary (a build tree), else where make install put it. */
static void helper_path(char *out, size_t n)
{
	char self[PATH_MAX];
	ssize_t l = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (l > 0) {
		self[l] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			snprintf(out, n, "%.*s/%s", (int)(slash - self), self, HELPER);
			if (access(out, X_OK) == 0)
				return;
		}
	}
	snprintf(out, n, "%s/%s", LIBEXECDIR, HELPER);
}

int cmd_host_helper(struct options *o, int argc, char **argv)
{
	char path[PATH_MAX];
	_cleanup_free_ char **v = calloc((size_t)argc + 16, sizeof(char *));
	int n = 0;
	if (!v)
		return EXIT_FAIL;
	helper_path(path, sizeof(path));
	v[n++] = path;
	const char *globals[][2] = {
		{ "--root", o->root_path }, { "--snapshot", o->snapshot_path }, { "--providers", o->providers_path },
		{ "--display", o->display }, { "--data-dir", o->data_dir },
	};
	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++)
		if (globals[i][1]) {
			v[n++] = (char *)globals[i][0];
			v[n++] = (char *)globals[i][1];
		}
	if (o->json)
		v[n++] = "--json";
	for (int i = 0; i < argc; i++)
		v[n++] = argv[i];
	v[n] = NULL;
	execv(path, v);
	int errsv = errno;
	cli_error(o, "cannot run '%s': %s; the %s command lives there (reinstall optimus-guest)", path,
		  strerror(errsv), argc > 0 ? argv[0] : "libvirt");
	return EXIT_FAIL;
}
