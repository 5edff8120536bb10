/* The offload launcher's lower half: environment, quoting, exec. Never prints. */
#pragma once
#include "util/buf.h"
#include "util/err.h"
#include "util/strv.h"

/* Each entry must be NAME=value with NAME a shell variable name; -EINVAL otherwise. */
int run_env_check(const struct strv *env, struct err *e);
/* 'value' for a POSIX shell: single quotes, ' as '\''; bare when only safe characters. */
void run_shell_quote(struct buf *b, const char *s);
/* "export NAME=value\n" per entry, quoted for eval. */
int run_exports(const struct strv *env, struct buf *out, struct err *e);
/* setenv every entry, then execvp(argv[0], argv). Returns only on failure:
 * -errno with e set (the caller exits 127 for ENOENT, 126 otherwise, like a shell). */
int run_exec(const struct strv *env, char *const argv[], struct err *e);
