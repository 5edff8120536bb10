/* apply: make etc/X11/xorg.conf.d hold exactly the rendered files of ours.
 *
 * Order of a change, so that an interruption at any point leaves each file old or new
 * and a state the next run understands:
 *   1. directories (recorded in the manifest), 2. backups of anything we replace that
 *   we did not write as is, 3. manifest with the new hashes and each old hash as
 *   "previous" (both accepted as ours), 4. the files, one atomic rename each,
 *   5. the final manifest. An error in 2-5 undoes what this run did. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diff.h"
#include "probe/probe.h"
#include "util/cleanup.h"
#include "util/sha256.h"
#include "apply/write_int.h"

struct item {
	const char *name;
	const struct out_file *want;   /* NULL: not wanted any more */
	bool exists;
	char *data;                    /* current content, owned */
	size_t len;
	struct stat st;
	char hash[65];
	bool foreign;                  /* not ours: never touched */
	bool backup;                   /* save the current content first */
	bool as_original;              /* ... and record it as the pre-apply original */
	char backup_name[300];
};

static int add_name(struct strv *v, const char *name)
{
	return strv_contains(v, name) ? 0 : strv_push(v, name);
}

static void set_hash(char dst[65], const char *src)
{
	memcpy(dst, src, 65);
}

/* Decide what to do with one name; fills IT, updates the new manifest NM. */
static int classify(struct wctx *c, struct item *it, struct manifest *nm, bool force, struct write_result *res,
		    struct strv *blockers, struct err *e)
{
	struct mf_file *mf = manifest_find(nm, it->name);
	struct err re = {0};
	int rc = c->conf_fd < 0 ? -ENOENT :
		wfs_read(c->conf_fd, it->name, WRITE_MAX_FILE, &it->data, &it->len, &it->st, WRITE_CONF_DIR, &re);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0 && rc != -ENOENT) {
		/* not a regular file (symlink, FIFO, directory, huge): not ours, left alone
		 * unless we must write that name; an I/O error: we cannot tell, so stop */
		bool foreign = rc == -ELOOP || rc == -EINVAL || rc == -EFBIG;
		if (it->want || mf || !foreign)
			return write_note(blockers, "%s", re.msg);
		it->foreign = true;
		return write_note(&res->notes, "%s; left untouched", re.msg);
	}
	it->exists = rc == 0;
	if (it->exists)
		sha256_hex(it->data, it->len, it->hash);

	bool ours = it->exists && mf &&
		    ((mf->sha256[0] && strcmp(mf->sha256, it->hash) == 0) ||
		     (mf->previous[0] && strcmp(mf->previous, it->hash) == 0));
	bool header = it->exists && write_has_header(it->data, it->len);

	if (it->exists && !ours && !header) {
		if (it->want)
			return write_note(blockers, "'%s/%s' exists and was not written by optimus-guest (no \"%s\" header in "
				    "its first lines): it is left untouched, and apply cannot write its own file of that "
				    "name; rename it to a name without \"optimus-guest\", then run apply again",
				    WRITE_CONF_DIR, it->name, OG_HEADER_MARK);
		it->foreign = true;
		if (mf)
			mf->sha256[0] = 0;  /* no longer ours; keep only an original we hold */
		return write_note(&res->notes, "'%s/%s' matches optimus-guest's file names but was not written by it (no "
			    "header): left untouched", WRITE_CONF_DIR, it->name);
	}
	/* A header is no proof: a user's copy of our file carries it too. A file the manifest
	 * does not list is never moved or removed; only a name we must write is taken over,
	 * and only when told (--force), with the file saved for revert to put back. */
	if (it->exists && !ours && !(mf && mf->sha256[0]) && !(mf && mf->has_original)) {
		if (!it->want) {
			it->foreign = true;
			return write_note(&res->notes, "'%s/%s' carries optimus-guest's header but the manifest does not list "
				    "it (a copy, or a file from an install whose manifest is gone): left untouched; if it "
				    "is a leftover of ours you do not need, delete it by hand", WRITE_CONF_DIR, it->name);
		}
		if (!force)
			return write_note(blockers, "'%s/%s' carries optimus-guest's header but the manifest does not list it "
				    "(a copy, or a file from an install whose manifest is gone), so apply will not replace it: "
				    "move it aside (mv /%s/%s /%s/%s.disabled) and run apply again, or run it with --force, "
				    "which saves the file in '%s' and lets revert put it back",
				    WRITE_CONF_DIR, it->name, WRITE_CONF_DIR, it->name, WRITE_CONF_DIR, it->name,
				    WRITE_BACKUP_DIR);
	}
	if (it->exists && !ours) {
		bool edited = mf && mf->sha256[0];
		bool same = it->want && it->want->len == it->len && memcmp(it->want->content, it->data, it->len) == 0;
		it->as_original = !edited && !(mf && mf->has_original);
		it->backup = it->as_original || !same;
		snprintf(it->backup_name, sizeof(it->backup_name), "%s.%s.%.12s", it->name,
			 it->as_original ? "orig" : "edited", it->hash);
		if (edited && it->backup)
			write_note(&res->notes, "'%s/%s' was changed since optimus-guest wrote it; the changed copy is saved as "
			     "'%s/%s' (put local settings in a file of your own, not in ours)", WRITE_CONF_DIR, it->name,
			     WRITE_BACKUP_DIR, it->backup_name);
		else if (!edited)
			write_note(&res->notes, "'%s/%s' carries optimus-guest's header but the manifest does not list it; "
			     "--force: it is saved as '%s/%s' and revert puts it back", WRITE_CONF_DIR, it->name,
			     WRITE_BACKUP_DIR, it->backup_name);
	}
	if (!mf && (it->want || it->backup)) {
		if (!(mf = manifest_add(nm, it->name)))
			return -ENOMEM;
	}
	if (!mf)
		return 0;
	if (it->as_original) {
		mf->has_original = true;
		free(mf->original.backup);
		if (!(mf->original.backup = strdup(it->backup_name)))
			return -ENOMEM;
		set_hash(mf->original.sha256, it->hash);
		mf->original.mode = it->st.st_mode & 07777;
		mf->original.uid = it->st.st_uid;
		mf->original.gid = it->st.st_gid;
		mf->original.mtime_sec = it->st.st_mtim.tv_sec;
		mf->original.mtime_nsec = it->st.st_mtim.tv_nsec;
	}
	if (it->want)
		sha256_hex(it->want->content, it->want->len, mf->sha256);
	else
		mf->sha256[0] = 0;
	(void)e;
	return 0;
}

static bool needs_op(const struct item *it)
{
	if (it->foreign)
		return false;
	if (it->want)
		return !it->exists || it->len != it->want->len || memcmp(it->data, it->want->content, it->len) != 0;
	return it->exists;
}

static int dry_run_diff(const struct item *items, size_t n, struct write_result *res)
{
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		_cleanup_free_ char *a = NULL;
		_cleanup_free_ char *b = NULL;
		if (!needs_op(it))
			continue;
		if (asprintf(&a, it->exists ? "a/%s/%s" : "/dev/null", WRITE_CONF_DIR, it->name) < 0 ||
		    asprintf(&b, it->want ? "b/%s/%s" : "/dev/null", WRITE_CONF_DIR, it->name) < 0)
			return -ENOMEM;
		int rc = diff_unified(it->exists ? it->data : "", it->exists ? it->len : 0,
				      it->want ? it->want->content : "", it->want ? it->want->len : 0, a, b, &res->diff);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void rollback(struct wctx *c, struct wop *ops, size_t n_ops, struct write_result *res)
{
	struct err e = {0};
	wctx_undo_ops(c, ops, n_ops, res);
	if (c->state_fd >= 0) {
		int rc = c->old_text ? wfs_write_atomic(c->state_fd, WRITE_MANIFEST, c->old_text, c->old_len,
							&(struct wfs_meta){ .mode = 0644 }, WRITE_STATE_DIR, &e)
				     : wfs_remove(c->state_fd, WRITE_MANIFEST, WRITE_STATE_DIR, &e);
		if (rc < 0)
			write_note(&res->notes, "could not put the manifest back (%s); it still describes the files on disk",
			     e.msg);
	}
	for (size_t i = 0; c->backup_fd >= 0 && i < c->new_backups.n; i++)
		(void)wfs_remove(c->backup_fd, c->new_backups.v[i], WRITE_BACKUP_DIR, &e);
	for (size_t i = c->created.n; i-- > 0;)
		(void)wfs_rmdir(c->root_fd, c->created.v[i], &e);
}

static int execute(struct wctx *c, struct item *items, size_t n, struct manifest *nm, struct write_result *res,
		   struct err *e)
{
	struct wop *ops = calloc(n + 1, sizeof(*ops));
	size_t n_ops = 0;
	bool any_write = false, any_backup = false;
	_cleanup_free_ char *text1 = NULL;
	_cleanup_free_ char *text2 = NULL;
	int rc = 0;

	if (!ops)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		any_write |= items[i].want && needs_op(&items[i]);
		any_backup |= items[i].backup;
	}
	/* 1. the state directory (and backups/ when something is saved) */
	if ((rc = wctx_open_state(c, true, any_backup, e)) < 0)
		goto fail;
	/* 2. backups */
	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];
		_cleanup_free_ char *have = NULL;
		size_t have_len = 0;
		if (!it->backup)
			continue;
		struct err ie = {0};
		if (wfs_read(c->backup_fd, it->backup_name, WRITE_MAX_FILE, &have, &have_len, NULL, WRITE_BACKUP_DIR,
			     &ie) == 0 && have_len == it->len && memcmp(have, it->data, it->len) == 0)
			continue;  /* the same bytes are saved already */
		struct wfs_meta meta = { .mode = it->st.st_mode & 07777, .owner = true, .uid = it->st.st_uid,
					 .gid = it->st.st_gid, .times = true, .mtime = it->st.st_mtim };
		if ((rc = strv_push(&c->new_backups, it->backup_name)) < 0 ||
		    (rc = wfs_write_atomic(c->backup_fd, it->backup_name, it->data, it->len, &meta, WRITE_BACKUP_DIR, e)) < 0)
			goto fail;
		write_note(&res->actions, "saved '%s/%s' as '%s/%s'", WRITE_CONF_DIR, it->name, WRITE_BACKUP_DIR, it->backup_name);
	}
	/* 3. manifest accepting old and new, naming the directories this run makes
	 * (before making them, so that an interruption cannot lose them) */
	struct strv dirs = {0};
	if (any_write && c->conf_fd < 0)
		rc = wfs_missing(c->root_fd, WRITE_CONF_DIR, &dirs);
	for (size_t i = 0; rc == 0 && i < c->created.n; i++)
		rc = strv_push(&dirs, c->created.v[i]);
	for (size_t i = 0; rc == 0 && i < dirs.n; i++)
		if (strcmp(dirs.v[i], WRITE_STATE_DIR) != 0 && strcmp(dirs.v[i], WRITE_BACKUP_DIR) != 0 &&
		    !strv_contains(&nm->created_dirs, dirs.v[i]))
			rc = strv_push(&nm->created_dirs, dirs.v[i]);
	strv_clear(&dirs);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct mf_file *mf = manifest_find(nm, items[i].name);
		if (mf && items[i].exists && needs_op(&items[i]))
			set_hash(mf->previous, items[i].hash);
	}
	if (!(text1 = manifest_format(nm))) {
		rc = -ENOMEM;
		goto fail;
	}
	if (!(c->old_text && c->old_len == strlen(text1) && memcmp(c->old_text, text1, c->old_len) == 0) &&
	    (rc = wctx_write_manifest(c, text1, e)) < 0)
		goto fail;
	/* the configuration directory */
	if (any_write && c->conf_fd < 0 &&
	    (rc = wfs_open_dir(c->root_fd, c->root_name, WRITE_CONF_DIR, true, &c->created, &c->conf_fd, e)) < 0)
		goto fail;
	/* 4. the files: removals first, so that an interruption leaves fewer of our
	 * files rather than two topologies' files side by side */
	for (size_t k = 0; k < 2 * n; k++) {
		struct item *it = &items[k % n];
		if (!needs_op(it) || (k < n) != (it->want == NULL))
			continue;
		struct wop *op = &ops[n_ops++];
		op->name = it->name;
		op->data = it->want ? it->want->content : NULL;
		op->len = it->want ? it->want->len : 0;
		op->meta = (struct wfs_meta){ .mode = 0644 };
		op->old_exists = it->exists;
		op->old_data = it->data;   /* borrowed: items own it */
		op->old_len = it->len;
		op->old_st = it->st;
	}
	if ((rc = wctx_run_ops(c, ops, n_ops, res, e)) < 0)
		goto fail;
	for (size_t i = 0; i < n_ops; i++)
		write_note(&res->actions, "%s '%s/%s'", ops[i].data ? (ops[i].old_exists ? "replaced" : "wrote") : "removed",
		     WRITE_CONF_DIR, ops[i].name);
	/* 5. final manifest */
	for (size_t i = 0; i < nm->n_files; i++)
		nm->files[i].previous[0] = 0;
	if (!(text2 = manifest_format(nm))) {
		rc = -ENOMEM;
		goto fail;
	}
	if (strcmp(text1, text2) != 0 && (rc = wctx_write_manifest(c, text2, e)) < 0)
		goto fail;
	res->changed = true;
	free(ops);
	return 0;
fail:
	rollback(c, ops, n_ops, res);
	free(ops);
	err_prefix(e, "apply stopped; the previous configuration is kept");
	return rc;
}

int write_apply(const char *root, const struct rendered *r, const struct write_opts *o, struct write_result *res,
		struct err *e)
{
	struct wctx c;
	struct manifest nm = {0};
	struct strv names = {0}, blockers = {0};
	struct item *items = NULL;
	_cleanup_free_ char *text = NULL;
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < r->n_files; i++) {
		if (!manifest_name_ok(r->files[i].name) || !write_has_header(r->files[i].content, r->files[i].len)) {
			err_set(e, "internal: rendered file '%s' is not named *optimus-guest*.conf or lacks the header",
				r->files[i].name);
			return -EINVAL;
		}
	}
	rc = wctx_open(&c, root, o->dry_run, o->force, e);
	if (rc < 0)
		goto out;
	if (c.manifest_corrupt)
		write_note(&res->notes, "the manifest '%s/%s' was corrupted; --force rebuilds it from the files this run "
		     "writes (nothing proves the others are ours: they are left alone)", WRITE_STATE_DIR, WRITE_MANIFEST);
	if (!o->dry_run && (rc = wctx_clean_temps(&c, res)) < 0)
		goto out;
	if (c.have_manifest)
		rc = manifest_copy(&nm, &c.old);
	if (rc < 0)
		goto out;
	free(nm.profile);
	nm.profile = r->profile ? strdup(r->profile) : NULL;

	for (size_t i = 0; rc == 0 && i < r->n_files; i++)
		rc = add_name(&names, r->files[i].name);
	for (size_t i = 0; rc == 0 && i < nm.n_files; i++)
		rc = add_name(&names, nm.files[i].name);
	if (rc == 0)
		rc = wctx_list_ours(&c, &names);  /* may add duplicates: skipped below */
	if (rc < 0)
		goto out;
	items = calloc(names.n + 1, sizeof(*items));
	if (!items) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < names.n; i++) {
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup |= strcmp(items[k].name, names.v[i]) == 0;
		if (dup)
			continue;
		struct item *it = &items[n++];
		it->name = names.v[i];
		for (size_t k = 0; k < r->n_files; k++)
			if (strcmp(r->files[k].name, it->name) == 0)
				it->want = &r->files[k];
		if ((rc = classify(&c, it, &nm, o->force, res, &blockers, e)) < 0)
			goto out;
	}
	if (blockers.n) {
		char *all = strv_join(&blockers, "; ");
		err_set(e, "%s; nothing was changed", all ? all : "out of memory");
		free(all);
		rc = -EEXIST;
		goto out;
	}

	/* "previous" hashes only serve a change under way; this run decides anew */
	for (size_t i = 0; i < nm.n_files; i++)
		nm.files[i].previous[0] = 0;
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any |= needs_op(&items[i]) || items[i].backup;
	text = manifest_format(&nm);
	if (!text) {
		rc = -ENOMEM;
		goto out;
	}
	bool manifest_same = c.old_text && c.old_len == strlen(text) && memcmp(c.old_text, text, c.old_len) == 0;
	if (!any && (manifest_same || (!c.old_text && nm.n_files == 0)))
		goto out;  /* nothing to do, not even a timestamp */

	if (o->dry_run) {
		res->changed = true;
		rc = dry_run_diff(items, n, res);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if (needs_op(&items[i]))
				rc = write_note(&res->actions, "would %s '%s/%s'",
					  items[i].want ? (items[i].exists ? "replace" : "write") : "remove",
					  WRITE_CONF_DIR, items[i].name);
		if (rc == 0 && !manifest_same)
			rc = write_note(&res->actions, "would update '%s/%s'", WRITE_STATE_DIR, WRITE_MANIFEST);
		goto out;
	}
	rc = execute(&c, items, n, &nm, res, e);
out:
	for (size_t i = 0; items && i < n; i++)
		free(items[i].data);
	free(items);
	strv_clear(&names);
	strv_clear(&blockers);
	manifest_clear(&nm);
	wctx_close(&c);
	return rc;
}
