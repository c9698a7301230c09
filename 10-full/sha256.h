/*
 * 10-full/sha256.h - SHA-256, the hash that names an image's layers and
 * its config (an image ID is the sha256 of its config's bytes).
 *
 * Feed it any number of pieces with sha256_update(); sha256_hex() ends
 * the hash and writes 64 lowercase hex digits, as sha256sum prints them.
 *
 * Read: FIPS 180-4 (Secure Hash Standard), sections 5 and 6.2
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];          /* the state: H0..H7 */
	uint64_t len;           /* bytes hashed so far */
	unsigned char buf[64];  /* a block not yet full */
	size_t fill;            /* bytes in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t n);
/* Ends the hash: the 32 bytes of the digest into out. */
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* Ends the hash: 64 hex digits and a '\0' into out. */
void sha256_hex(struct sha256 *s, char out[65]);

/* The hex digest of n bytes at p, in one call. */
void sha256_of(const void *p, size_t n, char out[65]);

#endif
