/* SHA-256 of a buffer as hex, for the manifest's file hashes. The hash is libmd's, linked in
 * from its static archive (see the Makefile). */
#pragma once
#include <stddef.h>

/* Hash LEN bytes of DATA into 64 lowercase hex digits plus NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);
