/* The manifest of what apply wrote: ROOT/var/lib/optimus-guest/manifest.json.
 * Parsing is strict (any unknown, missing or malformed field is an error) so that a
 * corrupted or truncated manifest is never mistaken for a valid one. Pure: no I/O. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"
#include "util/strv.h"

#define MANIFEST_FORMAT "optimus-guest-manifest"
#define MANIFEST_VERSION 1

/* A file that was in place before optimus-guest first wrote that name. */
struct mf_original {
	char *backup;      /* file name under var/lib/optimus-guest/backups */
	char sha256[65];
	unsigned mode;     /* permission bits */
	unsigned uid, gid;
	int64_t mtime_sec;
	long mtime_nsec;
};

struct mf_file {
	char *name;             /* under etc/X11/xorg.conf.d */
	char sha256[65];        /* what we wrote; "" when we hold only an original */
	char previous[65];      /* also accepted as ours while a change is under way; "" */
	bool has_original;
	struct mf_original original;
};

struct manifest {
	char *profile;              /* NULL when unknown (rebuilt) */
	struct strv created_dirs;   /* root-relative, in the order they were made */
	struct mf_file *files;
	size_t n_files;
};

int manifest_parse(const char *text, size_t len, struct manifest *ret, struct err *e);
/* JSON text, deterministic (same manifest, same bytes). NULL on ENOMEM. */
char *manifest_format(const struct manifest *m);
void manifest_clear(struct manifest *m);

struct mf_file *manifest_find(const struct manifest *m, const char *name);
/* Append an entry for NAME (copied) and return it; NULL on ENOMEM. */
struct mf_file *manifest_add(struct manifest *m, const char *name);
/* Drop entries with neither a hash nor an original. */
void manifest_compact(struct manifest *m);
int manifest_copy(struct manifest *dst, const struct manifest *src);

/* The names apply may write: "*optimus-guest*.conf", one path component. */
bool manifest_name_ok(const char *name);
