/*
 * 10-full/sha256_int.h - inside sha256: the block function, in portable
 * C (sha256.c) and with the x86 SHA extensions (sha256_ni.c), which the
 * tests hold against each other.
 *
 * Read: FIPS 180-4, 6.2.2; Intel's SDM, "SHA256RNDS2", "SHA256MSG1",
 *       "SHA256MSG2"
 */
#ifndef SHA256_INT_H
#define SHA256_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* FIPS 180-4, 4.2.2: the 64 round constants. */
extern const uint32_t sha256_k[64];

/* n blocks of 64 bytes at p stirred into the state h. */
void sha256_blocks_c(uint32_t h[8], const unsigned char *p, size_t n);
/* The same with the SHA instructions; only where sha256_ni_usable(). */
void sha256_blocks_ni(uint32_t h[8], const unsigned char *p, size_t n);
/* True on an x86 CPU with the SHA extensions (and SSE4.1). */
bool sha256_ni_usable(void);

/* Which one sha256_update uses: "sha-ni" or "portable". portable: the
 * portable one from now on (the tests' reference). */
const char *sha256_impl(bool portable);

#endif
