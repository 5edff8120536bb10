/* Every file the tool reads goes through here, relative to a root (`--root`).
 * Symlinks are resolved inside the root: an absolute target or a `..` past the
 * top stays in the root, so a recorded tree never leads out of itself. */
#pragma once
#include <sys/types.h>
#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct root {
	int fd;      /* O_PATH|O_DIRECTORY descriptor of the root */
	char *path;  /* as given, for messages */
	char *real;  /* the kernel's name of it (/proc/self/fd), or NULL: see root_dir_resolved */
};

/* Largest file the readers accept; bigger ones are refused, never read whole. */
#define ROOT_MAX_FILE (16u << 20)

int root_open_dir(struct root *r, const char *path, struct err *e);
void root_close(struct root *r);
bool root_is_slash(const struct root *r);

/* Resolve REL (relative to the root) to a symlink-free path relative to the root. */
int root_resolve(const struct root *r, const char *rel, char **ret, struct err *e);
/* Open a regular file for reading (no FIFOs, devices or directories): -errno. */
int root_open_file(const struct root *r, const char *rel, struct err *e);
/* Read a whole regular file up to MAX bytes; -EFBIG when larger. -ENOENT is silent (e untouched). */
int root_read_file(const struct root *r, const char *rel, size_t max, char **ret, size_t *ret_len, struct err *e);
/* First line of a small attribute file, trailing whitespace stripped. */
int root_read_line(const struct root *r, const char *rel, char **ret, struct err *e);
/* Parse an attribute of the form 0x1234 (or plain hex). -EINVAL with a message when malformed. */
int root_read_hex(const struct root *r, const char *rel, unsigned *ret, struct err *e);
/* Target of a symlink, as stored. */
int root_readlink(const struct root *r, const char *rel, char **ret);
bool root_exists(const struct root *r, const char *rel);
bool root_is_dir(const struct root *r, const char *rel);
/* Open a directory for listing; -ENOENT silent. */
int root_opendir(const struct root *r, const char *rel, DIR **ret, struct err *e);
/* A directory under the root held open, so that the files in it are opened by name: one
 * short lookup instead of walking the whole path (and its symlinks) again for each file.
 * A name is resolved beneath the directory; a symlink that leads out of it is resolved
 * from the root instead, so nothing leaves the root either way. */
struct root_dir {
	const struct root *r;
	int fd;      /* O_PATH|O_DIRECTORY */
	char *rel;   /* its path under the root, as asked for: messages, and the way round */
};
/* -ENOENT/-ENOTDIR silent. */
int root_dir_open(const struct root *r, const char *rel, struct root_dir *d, struct err *e);
void root_dir_close(struct root_dir *d);
/* As root_read_line/root_read_hex/root_readlink/root_exists, for the file NAME in D. */
int root_dir_read_line(const struct root_dir *d, const char *name, char **ret, struct err *e);
int root_dir_read_hex(const struct root_dir *d, const char *name, unsigned *ret, struct err *e);
int root_dir_readlink(const struct root_dir *d, const char *name, char **ret);
bool root_dir_exists(const struct root_dir *d, const char *name);
/* The file NAME in D in one read into BUF (NUL-terminated): its length, -EFBIG when it
 * fills BUF (not small), -errno otherwise (-ENOENT silent); no message. */
ssize_t root_dir_read_small(const struct root_dir *d, const char *name, char *buf, size_t size);
/* Sorted entries of the subdirectory NAME of D (as root_list). */
int root_dir_list(const struct root_dir *d, const char *name, char ***ret, size_t *ret_n, struct err *e);
/* D's own symlink-free path relative to the root (as root_resolve gives it). */
int root_dir_resolved(const struct root_dir *d, char **ret, struct err *e);

/* Sorted entry names of a directory, without . and .. (versionsort). */
int root_list(const struct root *r, const char *rel, char ***ret, size_t *ret_n, struct err *e);
/* The same for an open directory FD, which it closes. */
int root_list_fd(int fd, char ***ret, size_t *ret_n);
void root_list_free(char **v, size_t n);
