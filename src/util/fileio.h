/* Files the user names (not under --root): whole reads with a bound, atomic writes. */
#pragma once
#include <stddef.h>

#include "util/err.h"

/* Read PATH ("-" is standard input) whole, refusing more than MAX bytes (-EFBIG).
 * The result is NUL-terminated; -errno on failure. */
int file_read_all(const char *path, size_t max, char **ret, size_t *ret_len);

/* Every output the user names (-o FILE, -o DIR's files) goes through here. The rules:
 *   - a path that does not exist is created, and nothing that appears there meanwhile is
 *     replaced (rename with RENAME_NOREPLACE);
 *   - an existing regular file is replaced whole (its permission bits kept, set-id bits
 *     dropped): the data goes to a temp file beside it (O_EXCL), is fsync'ed and renamed
 *     over it, so a reader sees the old file or the new one, never half of it;
 *   - a symbolic link, directory, device node, FIFO or socket at the path is refused and left
 *     alone (a link is never followed into the file it names).
 * On failure PATH is untouched, no temp file is left and E says what and what to do. */
int file_output(const char *path, const void *data, size_t len, struct err *e);
/* ("-" for standard output is the command line's: cli_output.) */

/* The same in two steps, for commands that write several files all or nothing: prepare
 * checks PATH and writes the temp file (*TMP_RET, to free), commit renames it into place,
 * abort removes it. */
int file_output_prepare(const char *path, const void *data, size_t len, char **tmp_ret, struct err *e);
int file_output_commit(const char *path, const char *tmp, struct err *e);
void file_output_abort(const char *tmp);

/* Whether PATH may be replaced by file_output: 0 (absent or a regular file), or -errno with
 * E naming what is there (-EISDIR, -ELOOP for a symlink, -EPERM for a device, FIFO, socket). */
int file_output_check(const char *path, struct err *e);
