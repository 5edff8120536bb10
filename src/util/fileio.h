/* Files the user names (not under --root): whole reads with a bound, atomic writes. */
#pragma once
#include <stddef.h>

#include "util/err.h"

/* Read PATH ("-" is standard input) whole, refusing more than MAX bytes (-EFBIG).
 * The result is NUL-terminated; -errno on failure. */
int file_read_all(const char *path, size_t max, char **ret, size_t *ret_len);

/* Replace PATH with DATA: a temp file beside it, fchmod 0644, fsync, rename, fsync the
 * directory. On failure the temp file is removed, PATH is untouched and E says why. */
int file_write_atomic(const char *path, const void *data, size_t len, struct err *e);
