/* Every file the tool reads goes through here, relative to a root (`--root`).
 * Symlinks are resolved inside the root: an absolute target or a `..` past the
 * top stays in the root, so a recorded tree never leads out of itself. */
#pragma once
#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct root {
	int fd;      /* O_PATH|O_DIRECTORY descriptor of the root */
	char *path;  /* as given, for messages */
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
/* Sorted entry names of a directory, without . and .. (versionsort). */
int root_list(const struct root *r, const char *rel, char ***ret, size_t *ret_n, struct err *e);
void root_list_free(char **v, size_t n);
