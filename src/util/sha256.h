/* SHA-256 (FIPS 180-4), for the manifest's file hashes.
 * Our own ~90 lines rather than libgcrypt/nettle/openssl: one hash of a few small
 * files per boot, no new run-time dependency for a tool that runs at every boot,
 * and the test checks it against coreutils' sha256sum. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* Hash LEN bytes of DATA into 64 lowercase hex digits plus NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);
