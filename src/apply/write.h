/* write: the only code that changes the guest's filesystem.
 *
 * apply writes ROOT/etc/X11/xorg.conf.d/<rendered names> (all *optimus-guest*.conf) and
 * keeps its state in ROOT/var/lib/optimus-guest/ (manifest.json, backups/). Every path
 * is walked from the root with O_NOFOLLOW: a symlink anywhere on the way is refused.
 * Files are replaced atomically; an error part way undoes what this run did, so the
 * configuration on disk is the old one or the new one. revert undoes apply. */
#pragma once
#include <stdbool.h>

#include "apply/render.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/strv.h"

#define WRITE_CONF_DIR "etc/X11/xorg.conf.d"
#define WRITE_STATE_DIR "var/lib/optimus-guest"
#define WRITE_BACKUP_DIR WRITE_STATE_DIR "/backups"
#define WRITE_MANIFEST "manifest.json"
#define WRITE_MAX_FILE (1u << 20)  /* a snippet bigger than this is not ours */

struct write_opts {
	bool dry_run;  /* compute and diff, change nothing */
	bool force;    /* rebuild a corrupted manifest; revert: save and remove edited files */
};

struct write_result {
	struct strv notes;    /* things the user must hear: foreign files, edits saved, ... */
	struct strv actions;  /* what was done (dry run: would be done), one line each */
	struct buf diff;      /* dry run: unified diff against the disk, paths a/ROOT-REL b/ROOT-REL */
	bool changed;         /* something on disk changed (dry run: would change) */
};

void write_result_clear(struct write_result *r);

/* Make ROOT's configuration match R. Errors: -EBADMSG corrupted manifest (no change;
 * --force rebuilds), -EEXIST a foreign file blocks a name we must write, -ELOOP a
 * symlinked directory, others from the disk. Nothing is changed on error. */
int write_apply(const char *root, const struct rendered *r, const struct write_opts *o, struct write_result *res,
		struct err *e);

/* Remove what apply wrote and put back what it replaced. */
int write_revert(const char *root, const struct write_opts *o, struct write_result *res, struct err *e);

/* True when TEXT starts (first 5 lines) with the OG_HEADER_MARK comment. */
bool write_has_header(const char *text, size_t len);
