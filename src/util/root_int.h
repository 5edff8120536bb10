/* Shared by root.c and root_dir.c only. */
#pragma once
#include "util/root.h"

/* Open REL resolved inside the root (openat2 RESOLVE_IN_ROOT, else our own walk): -errno. */
int root_open_resolved(const struct root *r, const char *rel, int flags, struct err *e);
/* -EISDIR/-EINVAL with a message when FD is not a regular file. */
int root_check_regular(const struct root *r, int fd, const char *rel, struct err *e);
/* The first line of the open file FD (REL names it in messages); refused when FD is not a
 * regular file. */
int root_read_line_fd(const struct root *r, int fd, const char *rel, char **ret, struct err *e);
/* S as a hex number (0x prefix optional), at most 32 bits; REL names it in messages. */
int root_parse_hex(const struct root *r, const char *rel, const char *s, unsigned *ret, struct err *e);
