/* SHA-256 of a buffer as hex, for the manifest's file hashes. The hash is libmd's, not ours;
 * libmd is loaded (dlopen) at the first hash, so that the commands that never hash (plan,
 * probe, run, session) do not map it. */
#pragma once
#include <stddef.h>

#include "util/err.h"

#define SHA256_SONAME "libmd.so.0"

/* Load libmd for the hashes to come (it stays loaded): -ENOENT with E saying what is missing
 * and what to install. apply and revert call it before they read or write anything, so that
 * a libmd that cannot be loaded stops them there. */
int sha256_load(struct err *e);

/* Hash LEN bytes of DATA into 64 lowercase hex digits plus NUL. OUT is "" when libmd cannot
 * be loaded (a broken installation): an empty hash matches no recorded one, so no file is
 * taken for ours by its hash. */
void sha256_hex(const void *data, size_t len, char out[65]);
