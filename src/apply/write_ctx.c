/* The parts of the writer that apply and revert share: opening the tree, the lock,
 * the manifest, running file operations with undo. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "apply/write_int.h"

int write_note(struct strv *v, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? -ENOMEM : strv_push_take(v, s);
}

void write_result_clear(struct write_result *r)
{
	strv_clear(&r->notes);
	strv_clear(&r->actions);
	buf_free(&r->diff);
	r->changed = false;
}

bool write_has_header(const char *text, size_t len)
{
	size_t lines = 0;
	for (size_t i = 0; i < len && lines < 5;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - text) - i : len - i;
		if (l >= sizeof(OG_HEADER_MARK) - 1 && text[i] == '#' &&
		    memmem(text + i, l, OG_HEADER_MARK, sizeof(OG_HEADER_MARK) - 1))
			return true;
		i += l + 1;
		lines++;
	}
	return false;
}

int wctx_open(struct wctx *c, const char *root, bool dry_run, bool force, struct err *e)
{
	memset(c, 0, sizeof(*c));
	c->conf_fd = c->state_fd = c->backup_fd = -1;
	c->root_name = root;
	c->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->root_fd < 0) {
		int errsv = errno;
		err_set(e, "cannot open root '%s': %s", root, strerror(errsv));
		return -errsv;
	}
	/* one writer at a time (the boot service and an admin) */
	if (flock(c->root_fd, dry_run ? LOCK_SH : LOCK_EX) < 0) {
		int errsv = errno;
		err_set(e, "cannot lock root '%s': %s", root, strerror(errsv));
		return -errsv;
	}
	int rc = wfs_open_dir(c->root_fd, root, WRITE_CONF_DIR, false, NULL, &c->conf_fd, e);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	rc = wctx_open_state(c, false, false, e);
	if (rc < 0)
		return rc;
	if (c->state_fd < 0)
		return 0;
	rc = wfs_read(c->state_fd, WRITE_MANIFEST, 16u << 20, &c->old_text, &c->old_len, NULL,
		      WRITE_STATE_DIR, e);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	struct err pe = {0};
	rc = manifest_parse(c->old_text, c->old_len, &c->old, &pe);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		c->manifest_corrupt = true;
		if (!force) {
			err_set(e, "the manifest '%s/%s' under root '%s' is corrupted or truncated (%s); nothing was "
				"changed. Run the same command with --force to rebuild it (apply --force writes its own files "
				"and leaves every other file alone), or remove the files by hand (see 'optimus-guest revert --help')",
				WRITE_STATE_DIR, WRITE_MANIFEST, root, pe.msg);
			return -EBADMSG;
		}
		return 0;
	}
	c->have_manifest = true;
	return 0;
}

int wctx_open_state(struct wctx *c, bool create, bool backups, struct err *e)
{
	int rc;
	if (c->state_fd < 0) {
		rc = wfs_open_dir(c->root_fd, c->root_name, WRITE_STATE_DIR, create, &c->created, &c->state_fd, e);
		if (rc < 0 && (rc != -ENOENT || create))
			return rc;
	}
	if (c->backup_fd < 0 && c->state_fd >= 0) {
		rc = wfs_open_dir(c->root_fd, c->root_name, WRITE_BACKUP_DIR, backups, &c->created, &c->backup_fd, e);
		if (rc < 0 && (rc != -ENOENT || backups))
			return rc;
	}
	return 0;
}

void wctx_close(struct wctx *c)
{
	if (c->conf_fd >= 0)
		close(c->conf_fd);
	if (c->state_fd >= 0)
		close(c->state_fd);
	if (c->backup_fd >= 0)
		close(c->backup_fd);
	if (c->root_fd >= 0)
		close(c->root_fd);  /* drops the lock */
	manifest_clear(&c->old);
	free(c->old_text);
	strv_clear(&c->created);
	strv_clear(&c->new_backups);
	c->root_fd = c->conf_fd = c->state_fd = c->backup_fd = -1;
}

static int list_dir(int dir_fd, bool (*want)(const char *), struct strv *ret)
{
	int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	/* the duplicate shares dir_fd's offset: start from the top */
	if (lseek(fd, 0, SEEK_SET) < 0) {
		int errsv = errno;
		close(fd);
		return -errsv;
	}
	char **names = NULL;
	size_t n = 0;
	int rc = root_list_fd(fd, &names, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (want(names[i]))
			rc = strv_push(ret, names[i]);
	root_list_free(names, n);
	strv_sort(ret);
	return rc;
}

static bool is_state_temp(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' && n > 5 && strcmp(name + n - 4, ".tmp") == 0;
}

int wctx_clean_temps(struct wctx *c, struct write_result *res)
{
	struct { int fd; const char *where; bool (*want)(const char *); } dirs[] = {
		{ c->conf_fd, WRITE_CONF_DIR, wfs_is_temp_name },
		{ c->state_fd, WRITE_STATE_DIR, is_state_temp },
		{ c->backup_fd, WRITE_BACKUP_DIR, is_state_temp },
	};
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		struct strv v = {0};
		if (dirs[i].fd < 0)
			continue;
		int rc = list_dir(dirs[i].fd, dirs[i].want, &v);
		for (size_t k = 0; rc == 0 && k < v.n; k++) {
			struct err e = {0};
			if (wfs_remove(dirs[i].fd, v.v[k], dirs[i].where, &e) == 0)
				write_note(&res->notes, "removed '%s/%s', a temporary file left by an interrupted run",
				     dirs[i].where, v.v[k]);
		}
		strv_clear(&v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static bool is_pattern(const char *name)
{
	return manifest_name_ok(name);
}

int wctx_list_ours(struct wctx *c, struct strv *ret)
{
	if (c->conf_fd < 0)
		return 0;
	return list_dir(c->conf_fd, is_pattern, ret);
}

int wctx_write_manifest(struct wctx *c, const char *text, struct err *e)
{
	struct wfs_meta meta = { .mode = 0644 };
	return wfs_write_atomic(c->state_fd, WRITE_MANIFEST, text, strlen(text), &meta, WRITE_STATE_DIR, e);
}

void wctx_undo_ops(struct wctx *c, struct wop *ops, size_t n, struct write_result *res)
{
	for (size_t i = n; i-- > 0;) {
		struct wop *op = &ops[i];
		struct err e = {0};
		int rc;
		if (!op->attempted)
			continue;
		if (op->old_exists) {
			struct wfs_meta meta = {
				.mode = op->old_st.st_mode & 07777, .owner = true, .uid = op->old_st.st_uid,
				.gid = op->old_st.st_gid, .times = true, .mtime = op->old_st.st_mtim,
			};
			rc = wfs_write_atomic(c->conf_fd, op->name, op->old_data, op->old_len, &meta, WRITE_CONF_DIR, &e);
		} else {
			rc = wfs_remove(c->conf_fd, op->name, WRITE_CONF_DIR, &e);
		}
		if (rc < 0)
			write_note(&res->notes, "could not put back '%s/%s' (%s); run the command again to finish",
			     WRITE_CONF_DIR, op->name, e.msg);
		op->attempted = false;
	}
}

int wctx_run_ops(struct wctx *c, struct wop *ops, size_t n, struct write_result *res, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		struct wop *op = &ops[i];
		int rc;
		op->attempted = true;
		if (op->data)
			rc = wfs_write_atomic(c->conf_fd, op->name, op->data, op->len, &op->meta, WRITE_CONF_DIR, e);
		else
			rc = wfs_remove(c->conf_fd, op->name, WRITE_CONF_DIR, e);
		if (rc < 0) {
			wctx_undo_ops(c, ops, n, res);
			return rc;
		}
	}
	return 0;
}

void wops_free(struct wop *ops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ops[i].old_data);
	free(ops);
}
