/*
 * 10-full/sha256_ni.c - SHA-256's block function with the x86 SHA
 * extensions: the same digests as sha256.c's portable C, about six
 * times faster (commit hashes every byte of a layer).
 *
 * Claim: for the standard's vectors and for random data of every length
 *        around a block's edges, the digests equal the portable C's and
 *        sha256sum's.   (tested in tests/10-full-archive.bats)
 * Uses:  sha256.c (the round constants)
 * Read:  Intel's SDM, vol. 2: SHA256RNDS2, SHA256MSG1, SHA256MSG2;
 *        FIPS 180-4, 6.2.2
 *
 * The instructions work on the state as two vectors of four words, in
 * the order SHA256RNDS2 wants (highest lane first): ABEF = {A, B, E, F}
 * and CDGH = {C, D, G, H}. SHA256RNDS2 does two rounds: it takes CDGH,
 * ABEF and two words W[t] + K[t] (the low lanes of its third operand),
 * and gives the new ABEF; the old ABEF is then the new CDGH (two rounds
 * move A, B to C, D and E, F to G, H). So four rounds are two calls,
 * the vectors trading places.
 *
 * The message schedule, four words at a time, lane 0 the earliest:
 *   SHA256MSG1(W[t-16..t-13], W[t-12..t-9]) = W[t-16+i] + s0(W[t-15+i])
 *   + W[t-7..t-4]  (PALIGNR of the two vectors that hold them)
 *   SHA256MSG2(that, W[t-4..t-1]) adds s1(W[t-2+i]), the last two lanes
 *   from the words it has just made: W[t..t+3].
 * Only for x86; elsewhere this file is empty and sha256.c's C runs.
 */
#include "sha256_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

/* CPUID leaf 7 (EBX bit 29) says SHA, leaf 1 (ECX bit 19) SSE4.1: asked
 * directly, as clang's __builtin_cpu_supports knows no "sha" before 16. */
bool sha256_ni_usable(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1))
		return false;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}

#define SHA_TARGET __attribute__((target("sha,sse4.1")))

/* W[t..t+3] from the four vectors before them, m[t/4 % 4] first. */
SHA_TARGET static __m128i schedule(__m128i m16, __m128i m12, __m128i m8,
				   __m128i m4)
{
	__m128i x = _mm_sha256msg1_epu32(m16, m12);

	x = _mm_add_epi32(x, _mm_alignr_epi8(m4, m8, 4)); /* W[t-7..t-4] */
	return _mm_sha256msg2_epu32(x, m4);
}

SHA_TARGET void sha256_blocks_ni(uint32_t h[8], const unsigned char *p,
				 size_t n)
{
	/* Each 32-bit word of the message is big-endian. */
	const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5,
					  6, 7, 0, 1, 2, 3);
	__m128i abef = _mm_set_epi32(h[0], h[1], h[4], h[5]);
	__m128i cdgh = _mm_set_epi32(h[2], h[3], h[6], h[7]);
	uint32_t out[4];

	for (; n > 0; n--, p += 64) {
		__m128i m[4], wk, abef0 = abef, cdgh0 = cdgh;

		for (int i = 0; i < 4; i++)
			m[i] = _mm_shuffle_epi8(
			    _mm_loadu_si128((const __m128i *)(p + 16 * i)),
			    swap);
		for (int i = 0; i < 16; i++) {
			if (i >= 4)
				m[i % 4] = schedule(m[i % 4], m[(i + 1) % 4],
						    m[(i + 2) % 4],
						    m[(i + 3) % 4]);
			wk = _mm_add_epi32(m[i % 4],
					   _mm_loadu_si128((const __m128i *)
							       &sha256_k[4 * i]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			/* rounds t+2, t+3: their words to the low lanes */
			abef = _mm_sha256rnds2_epu32(abef, cdgh,
						     _mm_shuffle_epi32(wk, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	_mm_storeu_si128((__m128i *)out, abef); /* out[3] is A */
	h[0] = out[3], h[1] = out[2], h[4] = out[1], h[5] = out[0];
	_mm_storeu_si128((__m128i *)out, cdgh);
	h[2] = out[3], h[3] = out[2], h[6] = out[1], h[7] = out[0];
}
#else
bool sha256_ni_usable(void)
{
	return false;
}

void sha256_blocks_ni(uint32_t h[8], const unsigned char *p, size_t n)
{
	sha256_blocks_c(h, p, n);
}
#endif
