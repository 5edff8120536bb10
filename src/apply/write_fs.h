/* The low-level disk operations of write.c: every path is resolved component by
 * component from a root directory fd with O_NOFOLLOW, so no symlink is ever followed
 * (not even one inside the root); files are replaced atomically (systemd's
 * write_string_file_atomic_at model). Non-logging: -errno plus a message in e. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util/err.h"
#include "util/strv.h"

/* Open the directory REL ("etc/X11/xorg.conf.d") below ROOT_FD, O_RDONLY|O_DIRECTORY.
 * A component that is a symlink: -ELOOP; not a directory: -ENOTDIR; missing: -ENOENT
 * (silent, e untouched) unless CREATE, which makes it 0755, fsyncs its parent and
 * appends its root-relative path to CREATED. ROOT_NAME is used in messages only. */
int wfs_open_dir(int root_fd, const char *root_name, const char *rel, bool create, struct strv *created,
		 int *ret_fd, struct err *e);

/* Append to RET the components of REL (root-relative prefixes) that do not exist. */
int wfs_missing(int root_fd, const char *rel, struct strv *ret);

/* Read the regular file NAME in DIR_FD (no symlink, FIFO or device), at most MAX bytes
 * (-EFBIG). Missing: -ENOENT, silent. The content is NUL-terminated. */
int wfs_read(int dir_fd, const char *name, size_t max, char **ret, size_t *ret_len, struct stat *ret_st,
	     const char *where, struct err *e);

/* What a replaced or restored file carries besides its bytes. */
struct wfs_meta {
	mode_t mode;
	bool owner;          /* apply uid/gid */
	uid_t uid;
	gid_t gid;
	bool times;          /* apply mtime */
	struct timespec mtime;
};

/* Replace NAME in DIR_FD with DATA atomically: temp ".NAME.tmp" (O_CREAT|O_EXCL|O_CLOEXEC),
 * write, fchmod (fchown, futimens), fsync, renameat, fsync DIR_FD. On failure the temp
 * is unlinked and NAME is as it was. WHERE (e.g. "etc/X11/xorg.conf.d") is for messages. */
int wfs_write_atomic(int dir_fd, const char *name, const void *data, size_t len, const struct wfs_meta *meta,
		     const char *where, struct err *e);

/* Unlink NAME (a file; missing is fine) and fsync DIR_FD. */
int wfs_remove(int dir_fd, const char *name, const char *where, struct err *e);

/* Remove the empty directory REL below ROOT_FD (no symlinks followed); -ENOTEMPTY kept silent. */
int wfs_rmdir(int root_fd, const char *rel, struct err *e);

/* The temp name wfs_write_atomic uses for NAME; true when NAME looks like one of ours. */
bool wfs_is_temp_name(const char *name);
