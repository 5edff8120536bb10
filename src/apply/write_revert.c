/* revert: remove what apply wrote, put back what it replaced (bytes, mode, owner and
 * mtime from the backups), then remove the state and the directories apply made.
 * Order: manifest accepting the restored originals as ours, the files (undone on
 * error), the original backups, the manifest, the directories. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/diff.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/sha256.h"
#include "apply/write_int.h"

struct ritem {
	struct mf_file *mf;
	bool exists;
	char *data;
	size_t len;
	struct stat st;
	char hash[65];
	char *orig;          /* original's bytes from the backup */
	size_t orig_len;
	bool act;            /* an op is needed */
	bool save_edited;    /* --force: keep a copy of the edited file */
	bool keep_original;  /* the user's file stays in place: its pre-apply backup stays too */
};

/* A revert interrupted after its commit leaves the original backups (now redundant:
 * the same bytes are back in place) and empty state directories: remove those. */
static int clean_leftovers(struct wctx *c, struct write_result *res)
{
	struct strv names = {0};
	struct err e = {0};
	if (c->backup_fd >= 0) {
		int fd = fcntl(c->backup_fd, F_DUPFD_CLOEXEC, 3);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		if (!d) {
			if (fd >= 0)
				close(fd);
			return -errno;
		}
		rewinddir(d);
		for (struct dirent *de; (de = readdir(d));)
			if (strstr(de->d_name, ".conf.orig.") && strv_push(&names, de->d_name) < 0)
				break;
		closedir(d);
	}
	for (size_t i = 0; i < names.n; i++) {
		_cleanup_free_ char *a = NULL;
		_cleanup_free_ char *b = NULL;
		size_t al = 0, bl = 0;
		char conf[256];
		snprintf(conf, sizeof(conf), "%.*s", (int)(strstr(names.v[i], ".conf.orig.") - names.v[i] + 5), names.v[i]);
		if (c->conf_fd >= 0 && wfs_read(c->backup_fd, names.v[i], WRITE_MAX_FILE, &a, &al, NULL, WRITE_BACKUP_DIR, &e) == 0 &&
		    wfs_read(c->conf_fd, conf, WRITE_MAX_FILE, &b, &bl, NULL, WRITE_CONF_DIR, &e) == 0 && al == bl &&
		    memcmp(a, b, al) == 0 && wfs_remove(c->backup_fd, names.v[i], WRITE_BACKUP_DIR, &e) == 0) {
			write_note(&res->actions, "removed '%s/%s' (left by an interrupted revert; the file is back in place)",
			     WRITE_BACKUP_DIR, names.v[i]);
			res->changed = true;
		}
	}
	strv_clear(&names);
	if (c->backup_fd >= 0 && wfs_rmdir(c->root_fd, WRITE_BACKUP_DIR, &e) == 0)
		res->changed = true;
	if (c->state_fd >= 0 && wfs_rmdir(c->root_fd, WRITE_STATE_DIR, &e) == 0)
		res->changed = true;
	return 0;
}

/* No (valid) manifest: nothing proves which files optimus-guest wrote. A header line is no
 * proof (a user's copy carries it too), so even --force deletes none of them; it names
 * them for the admin, and with --force removes only the corrupted manifest itself. */
static int revert_without_manifest(struct wctx *c, const struct write_opts *o, struct write_result *res,
				   struct err *e)
{
	struct strv names = {0};
	int rc = wctx_list_ours(c, &names);
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		struct err re = {0};
		if (wfs_read(c->conf_fd, names.v[i], WRITE_MAX_FILE, &data, &len, NULL, WRITE_CONF_DIR, &re) < 0 ||
		    !write_has_header(data, len))
			continue;
		write_note(&res->notes, "'%s/%s' carries optimus-guest's header but no manifest proves optimus-guest wrote it: "
		     "left in place%s; if it is a copy of ours you do not need, delete it by hand", WRITE_CONF_DIR, names.v[i],
		     o->force ? " (--force removes only what the manifest lists)" : "");
	}
	if (rc == 0 && o->force && c->manifest_corrupt && !o->dry_run) {
		rc = wfs_remove(c->state_fd, WRITE_MANIFEST, WRITE_STATE_DIR, e);
		if (rc == 0)
			write_note(&res->actions, "removed the corrupted '%s/%s'", WRITE_STATE_DIR, WRITE_MANIFEST);
	}
	if (rc == 0 && !c->manifest_corrupt && !o->dry_run)
		rc = clean_leftovers(c, res);
	if (rc == 0 && !c->manifest_corrupt && !res->changed)
		write_note(&res->notes, "nothing to revert: no manifest '%s/%s' under '%s'", WRITE_STATE_DIR, WRITE_MANIFEST,
		     c->root_name);
	strv_clear(&names);
	return rc;
}

static int load_items(struct wctx *c, const struct write_opts *o, struct ritem *items, struct write_result *res,
		      struct strv *blockers, struct err *e)
{
	for (size_t i = 0; i < c->old.n_files; i++) {
		struct ritem *it = &items[i];
		struct mf_file *mf = it->mf = &c->old.files[i];
		struct err re = {0};
		int rc = c->conf_fd < 0 ? -ENOENT :
			wfs_read(c->conf_fd, mf->name, WRITE_MAX_FILE, &it->data, &it->len, &it->st, WRITE_CONF_DIR, &re);
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0 && rc != -ENOENT) {
			write_note(blockers, "%s", re.msg);
			continue;
		}
		it->exists = rc == 0;
		if (it->exists)
			sha256_hex(it->data, it->len, it->hash);
		if (mf->has_original) {
			rc = c->backup_fd < 0 ? -ENOENT :
				wfs_read(c->backup_fd, mf->original.backup, WRITE_MAX_FILE, &it->orig, &it->orig_len,
					 NULL, WRITE_BACKUP_DIR, &re);
			char h[65] = "";
			if (rc == 0)
				sha256_hex(it->orig, it->orig_len, h);
			if (it->exists && strcmp(it->hash, mf->original.sha256) == 0) {
				continue;  /* already back (an interrupted revert) */
			}
			if (rc < 0 || strcmp(h, mf->original.sha256) != 0) {
				write_note(blockers, "the backup '%s/%s' of '%s/%s' is %s; cannot put the original back",
				     WRITE_BACKUP_DIR, mf->original.backup, WRITE_CONF_DIR, mf->name,
				     rc < 0 ? "missing or unreadable" : "not the file that was saved (hash differs)");
				continue;
			}
		}
		if (!it->exists) {
			it->act = mf->has_original;
			continue;
		}
		bool ours = (mf->sha256[0] && strcmp(mf->sha256, it->hash) == 0) ||
			    (mf->previous[0] && strcmp(mf->previous, it->hash) == 0);
		if (!ours && !write_has_header(it->data, it->len)) {
			it->keep_original = mf->has_original;
			if (mf->has_original)
				write_note(&res->notes, "'%s/%s' was replaced by a file without optimus-guest's header: left "
				     "untouched; the file that was there before apply is kept as '%s/%s'", WRITE_CONF_DIR,
				     mf->name, WRITE_BACKUP_DIR, mf->original.backup);
			else
				write_note(&res->notes, "'%s/%s' was replaced by a file without optimus-guest's header: left untouched",
				     WRITE_CONF_DIR, mf->name);
			continue;
		}
		if (!ours && !o->force) {
			write_note(blockers, "'%s/%s' was changed since optimus-guest wrote it; revert would lose the changes: "
			     "copy what you need into a file of your own, then run 'optimus-guest revert --force' (it "
			     "keeps a copy in '%s')", WRITE_CONF_DIR, mf->name, WRITE_BACKUP_DIR);
			continue;
		}
		it->save_edited = !ours;
		it->act = true;
	}
	(void)e;
	return 0;
}

/* After the commit (the manifest is gone): remove the original backups and the
 * directories. Failures here are only leftovers: said, not fatal. */
static void finish(struct wctx *c, struct ritem *items, size_t n, bool kept_edits, struct write_result *res)
{
	struct err de = {0};
#define LEFTOVER(rc, what, ...) do { \
		if (!de.msg[0]) \
			err_set(&de, "cannot remove '%s': %s", (what), strerror(-(rc))); \
		write_note(&res->notes, __VA_ARGS__); \
		de.msg[0] = 0; \
	} while (0)
	for (size_t i = 0; i < n; i++) {
		int r = items[i].mf->has_original && !items[i].keep_original && c->backup_fd >= 0 ?
			wfs_remove(c->backup_fd, items[i].mf->original.backup, WRITE_BACKUP_DIR, &de) : 0;
		if (r < 0)
			LEFTOVER(r, items[i].mf->original.backup, "%s; it is not needed any more, delete it by hand", de.msg);
	}
	de.msg[0] = 0;
	/* directories: backups, the state directory, then those apply made, newest first */
	int rc = c->backup_fd >= 0 ? wfs_rmdir(c->root_fd, WRITE_BACKUP_DIR, &de) : 0;
	if (rc == -ENOTEMPTY && !kept_edits)
		write_note(&res->notes, "kept '%s': it holds copies of edited files", WRITE_BACKUP_DIR);
	else if (rc < 0 && rc != -ENOTEMPTY && rc != -ENOENT)
		LEFTOVER(rc, WRITE_BACKUP_DIR, "%s; delete it by hand", de.msg);
	de.msg[0] = 0;
	rc = wfs_rmdir(c->root_fd, WRITE_STATE_DIR, &de);
	if (rc < 0 && rc != -ENOTEMPTY && rc != -ENOENT)
		LEFTOVER(rc, WRITE_STATE_DIR, "%s; delete it by hand", de.msg);
	for (size_t i = c->old.created_dirs.n; i-- > 0;) {
		de.msg[0] = 0;
		rc = wfs_rmdir(c->root_fd, c->old.created_dirs.v[i], &de);
		bool holds_state = strncmp(WRITE_STATE_DIR, c->old.created_dirs.v[i], strlen(c->old.created_dirs.v[i])) == 0;
		if (rc == -ENOTEMPTY && !(kept_edits && holds_state))
			write_note(&res->notes, "kept '%s' (made by apply): it is not empty now", c->old.created_dirs.v[i]);
		else if (rc < 0 && rc != -ENOENT)
			LEFTOVER(rc, c->old.created_dirs.v[i], "%s; delete it by hand", de.msg);
	}
#undef LEFTOVER
}

int write_revert(const char *root, const struct write_opts *o, struct write_result *res, struct err *e)
{
	struct wctx c;
	struct ritem *items = NULL;
	struct wop *ops = NULL;
	struct strv blockers = {0};
	size_t n = 0, n_ops = 0;
	bool kept_edits = false;
	int rc = wctx_open(&c, root, o->dry_run, o->force, e);

	if (rc < 0)
		goto out;
	if (!o->dry_run && (rc = wctx_clean_temps(&c, res)) < 0)
		goto out;
	if (!c.have_manifest) {
		rc = revert_without_manifest(&c, o, res, e);
		goto out;
	}
	n = c.old.n_files;
	items = calloc(n + 1, sizeof(*items));
	ops = calloc(n + 1, sizeof(*ops));
	if (!items || !ops) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = load_items(&c, o, items, res, &blockers, e)) < 0)
		goto out;
	if (blockers.n) {
		char *all = strv_join(&blockers, "; ");
		err_set(e, "%s; nothing was changed", all ? all : "out of memory");
		free(all);
		rc = -EEXIST;
		goto out;
	}
	res->changed = true;
	for (size_t i = 0; i < n; i++) {
		struct ritem *it = &items[i];
		if (!it->act)
			continue;
		struct wop *op = &ops[n_ops++];
		op->name = it->mf->name;
		if (it->mf->has_original) {
			const struct mf_original *r = &it->mf->original;
			op->data = it->orig;
			op->len = it->orig_len;
			op->meta = (struct wfs_meta){ .mode = r->mode, .owner = true, .uid = r->uid, .gid = r->gid,
						      .times = true,
						      .mtime = { .tv_sec = r->mtime_sec, .tv_nsec = r->mtime_nsec } };
		}
		op->old_exists = it->exists;
		op->old_data = it->data;
		op->old_len = it->len;
		op->old_st = it->st;
		write_note(&res->actions, "%s '%s/%s'", o->dry_run ? (op->data ? "would restore" : "would remove") :
			(op->data ? "restored" : "removed"), WRITE_CONF_DIR, op->name);
		if (o->dry_run) {
			_cleanup_free_ char *a = NULL;
			_cleanup_free_ char *b = NULL;
			if (asprintf(&a, it->exists ? "a/%s/%s" : "/dev/null", WRITE_CONF_DIR, op->name) < 0 ||
			    asprintf(&b, op->data ? "b/%s/%s" : "/dev/null", WRITE_CONF_DIR, op->name) < 0)
			{
				rc = -ENOMEM;
				goto out;
			}
			diff_unified(it->exists ? it->data : "", it->len, op->data ? op->data : "", op->len, a, b, &res->diff);
		}
	}
	if (o->dry_run)
		goto out;
	/* edited files (--force): keep a copy where the user can find it */
	for (size_t i = 0; i < n; i++) {
		struct ritem *it = &items[i];
		if (!it->save_edited)
			continue;
		char bname[300];
		snprintf(bname, sizeof(bname), "%s.edited.%.12s", it->mf->name, it->hash);
		struct wfs_meta meta = { .mode = it->st.st_mode & 07777, .owner = true, .uid = it->st.st_uid,
					 .gid = it->st.st_gid, .times = true, .mtime = it->st.st_mtim };
		if ((rc = wctx_open_state(&c, true, true, e)) < 0 ||
		    (rc = wfs_write_atomic(c.backup_fd, bname, it->data, it->len, &meta, WRITE_BACKUP_DIR, e)) < 0)
			goto out;
		kept_edits = true;
		write_note(&res->notes, "'%s/%s' was changed since optimus-guest wrote it; the changed copy is kept as '%s/%s'",
		     WRITE_CONF_DIR, it->mf->name, WRITE_BACKUP_DIR, bname);
	}
	/* manifest: the originals count as ours while they are being put back */
	bool accept = false;
	for (size_t i = 0; i < n; i++)
		if (items[i].act && items[i].mf->has_original) {
			memcpy(items[i].mf->previous, items[i].mf->original.sha256, 65);
			accept = true;
		}
	if (accept) {
		_cleanup_free_ char *text = manifest_format(&c.old);
		if (!text) {
			rc = -ENOMEM;
			goto out;
		}
		if ((rc = wctx_write_manifest(&c, text, e)) < 0) {
			struct err me = {0};
			(void)wfs_write_atomic(c.state_fd, WRITE_MANIFEST, c.old_text, c.old_len,
					       &(struct wfs_meta){ .mode = 0644 }, WRITE_STATE_DIR, &me);
			goto out;
		}
	}
	if (n_ops && c.conf_fd < 0) {
		/* originals to put back into a directory someone removed */
		rc = wfs_open_dir(c.root_fd, root, WRITE_CONF_DIR, true, NULL, &c.conf_fd, e);
		if (rc < 0)
			goto out;
	}
	if ((rc = wctx_run_ops(&c, ops, n_ops, res, e)) < 0) {
		struct err me = {0};
		if (accept && wfs_write_atomic(c.state_fd, WRITE_MANIFEST, c.old_text, c.old_len,
					       &(struct wfs_meta){ .mode = 0644 }, WRITE_STATE_DIR, &me) < 0)
			write_note(&res->notes, "could not put the manifest back (%s); it still describes the files", me.msg);
		goto out;
	}
	/* the directories apply made for the configuration, while the manifest still names them */
	bool removed_dirs = false;
	for (size_t i = c.old.created_dirs.n; i-- > 0;) {
		const char *d = c.old.created_dirs.v[i];
		struct err de = {0};
		if (strncmp(d, "etc", 3) == 0 && wfs_rmdir(c.root_fd, d, &de) == 0)
			removed_dirs = true;
	}
	/* the commit: without the manifest, the revert is done */
	if ((rc = wfs_remove(c.state_fd, WRITE_MANIFEST, WRITE_STATE_DIR, e)) < 0) {
		struct err me = {0};
		if (removed_dirs && n_ops) {
			close(c.conf_fd);
			c.conf_fd = -1;
			(void)wfs_open_dir(c.root_fd, root, WRITE_CONF_DIR, true, NULL, &c.conf_fd, &me);
		}
		wctx_undo_ops(&c, ops, n_ops, res);
		for (size_t i = 0; i < n_ops; i++)
			ops[i].attempted = false;
		if (wfs_write_atomic(c.state_fd, WRITE_MANIFEST, c.old_text, c.old_len, &(struct wfs_meta){ .mode = 0644 },
				     WRITE_STATE_DIR, &me) < 0)
			write_note(&res->notes, "could not put the manifest back (%s)", me.msg);
		goto out;
	}
	write_note(&res->actions, "removed '%s/%s'", WRITE_STATE_DIR, WRITE_MANIFEST);
	for (size_t i = 0; i < n; i++)
		kept_edits |= items[i].keep_original;
	finish(&c, items, n, kept_edits, res);
out:
	if (rc < 0 && rc != -EEXIST && rc != -EBADMSG && !o->dry_run)
		err_prefix(e, "revert stopped; the applied configuration is kept");
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].data);
		free(items[i].orig);
	}
	free(items);
	free(ops);
	strv_clear(&blockers);
	wctx_close(&c);
	return rc;
}
