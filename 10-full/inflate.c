/*
 * 10-full/inflate.c - DEFLATE (RFC 1951), decompressed on demand, libc
 * only (gunzip.c reads the gzip members around it).
 *
 * Claim: decompresses what gzip -1 .. -9 writes (stored, fixed and
 *        dynamic Huffman blocks); refuses a corrupt or truncated stream
 *        (a bad code, a bad table, a distance back past the start) with
 *        one line. (tested in tests/10-full-archive.bats)
 * Uses:  nothing but libc
 * Read:  RFC 1951 section 3.2 (blocks, Huffman codes)
 *
 * DEFLATE is LZ77 plus Huffman coding: each symbol is a literal byte,
 * the end of the block, or "copy LEN bytes from DIST back" (at most 32
 * KiB back, so a 32 KiB window of the output is all the state a copy
 * needs). A block's codes are canonical: the code lengths alone define
 * them, codes of one length being consecutive numbers. Decoding reads a
 * code bit by bit and, at each length, asks whether the bits so far are
 * one of the codes of that length (the count of codes of each length
 * and the symbols in code order are the whole table).
 */
#include "inflate_int.h"

#include <err.h>
#include <stdlib.h>
#include <string.h>

/* (what inflate_int.h says: one line, once) */
int inflate_fail(struct inflate *z, const char *why)
{
	if (!z->failed)
		warnx("gzip: %s", why);
	z->failed = true;
	return -1;
}

/* The next input byte; -1 at the end of the input (after no warning:
 * the caller says whether an end is allowed there). */
int inflate_byte(struct inflate *z)
{
	if (z->in_pos == z->in_end) {
		ssize_t got = z->src(z->ctx, z->in, sizeof(z->in));

		if (got <= 0)
			return -1;
		z->in_pos = 0;
		z->in_end = got;
	}
	return z->in[z->in_pos++];
}

/* n bits (n <= 32), least significant first as DEFLATE packs them. */
static int bits(struct inflate *z, int n, unsigned *v)
{
	while (z->bitcnt < n) {
		int c = inflate_byte(z);

		if (c < 0)
			return inflate_fail(
			    z, "truncated (the stream ends too soon)");
		z->bitbuf |= (uint64_t)c << z->bitcnt;
		z->bitcnt += 8;
	}
	*v = z->bitbuf & ((1ULL << n) - 1);
	z->bitbuf >>= n;
	z->bitcnt -= n;
	return 0;
}

/* Builds the table for n code lengths. Returns 0, or -1 when the
 * lengths give more codes than bits allow (an incomplete code is
 * allowed: RFC 1951 has single-code distance tables). */
static int build(struct huff *h, const unsigned char *len, int n)
{
	short offs[16];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (int s = 0; s < n; s++)
		h->count[len[s]]++;
	h->count[0] = 0;
	for (int l = 1; l < 16; l++) {
		left = (left << 1) - h->count[l];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (int l = 1; l < 15; l++)
		offs[l + 1] = offs[l] + h->count[l];
	for (int s = 0; s < n; s++)
		if (len[s])
			h->symbol[offs[len[s]]++] = s;
	return 0;
}

static int decode(struct inflate *z, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	unsigned b;

	for (int l = 1; l < 16; l++) {
		if (bits(z, 1, &b) < 0)
			return -1;
		code |= b;
		if (code - h->count[l] < first)
			return h->symbol[index + (code - first)];
		index += h->count[l];
		first = (first + h->count[l]) << 1;
		code <<= 1;
	}
	return inflate_fail(z, "corrupt (a code that no table has)");
}

static int fixed_tables(struct inflate *z)
{
	unsigned char len[288];
	int s = 0;

	while (s < 144)
		len[s++] = 8;
	while (s < 256)
		len[s++] = 9;
	while (s < 280)
		len[s++] = 7;
	while (s < 288)
		len[s++] = 8;
	build(&z->lit, len, 288);
	memset(len, 5, 30);
	return build(&z->dst, len, 30);
}

/* A dynamic block's header: its code lengths, themselves Huffman coded. */
static int dynamic_tables(struct inflate *z)
{
	static const unsigned char order[19] = {
	    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
	unsigned char len[320] = {0};
	unsigned hlit, hdist, hclen, v;
	int n = 0, sym;

	if (bits(z, 5, &hlit) < 0 || bits(z, 5, &hdist) < 0 ||
	    bits(z, 4, &hclen) < 0)
		return -1;
	hlit += 257, hdist += 1, hclen += 4;
	if (hlit > 286 || hdist > 30)
		return inflate_fail(z, "corrupt (a block with too many codes)");
	for (unsigned i = 0; i < hclen; i++) {
		if (bits(z, 3, &v) < 0)
			return -1;
		len[order[i]] = v;
	}
	if (build(&z->lit, len, 19) < 0)
		return inflate_fail(z, "corrupt (bad code lengths)");
	memset(len, 0, sizeof(len));
	while (n < (int)(hlit + hdist)) {
		unsigned rep, val = 0;

		if ((sym = decode(z, &z->lit)) < 0)
			return -1;
		if (sym < 16) {
			len[n++] = sym;
			continue;
		}
		if (sym == 16) {
			if (n == 0)
				return inflate_fail(
				    z, "corrupt (a repeat of nothing)");
			val = len[n - 1];
			if (bits(z, 2, &rep) < 0)
				return -1;
			rep += 3;
		} else if (bits(z, sym == 17 ? 3 : 7, &rep) < 0) {
			return -1;
		} else {
			rep += sym == 17 ? 3 : 11;
		}
		if (n + rep > hlit + hdist)
			return inflate_fail(z,
					    "corrupt (code lengths overrun)");
		while (rep--)
			len[n++] = val;
	}
	if (len[256] == 0)
		return inflate_fail(z, "corrupt (a block that cannot end)");
	if (build(&z->lit, len, hlit) < 0 ||
	    build(&z->dst, len + hlit, hdist) < 0)
		return inflate_fail(z, "corrupt (bad code lengths)");
	return 0;
}

static const short lbase[29] = {3,  4,	5,  6,	 7,   8,   9,	10,  11, 13,
				15, 17, 19, 23,	 27,  31,  35,	43,  51, 59,
				67, 83, 99, 115, 131, 163, 195, 227, 258};
static const short lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
			       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const short dbase[30] = {
    1,	  2,	3,    4,    5,	  7,	9,    13,    17,    25,
    33,	  49,	65,   97,   129,  193,	257,  385,   513,   769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const short dext[30] = {0, 0, 0,	 0,  1,	 1,  2,	 2,  3,	 3,
			       4, 4, 5,	 5,  6,	 6,  7,	 7,  8,	 8,
			       9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* A new block: stored, fixed or dynamic Huffman. */
int inflate_block(struct inflate *z)
{
	unsigned last, type;
	int c[4];

	if (bits(z, 1, &last) < 0 || bits(z, 2, &type) < 0)
		return -1;
	z->last = last;
	if (type == 0) {
		/* Stored: from the next byte, LEN and its complement. */
		z->bitbuf >>= z->bitcnt;
		z->bitcnt = 0;
		for (int k = 0; k < 4; k++)
			if ((c[k] = inflate_byte(z)) < 0)
				return inflate_fail(
				    z, "truncated (in a block header)");
		z->stored = c[0] | c[1] << 8;
		if ((z->stored ^ 0xffff) != (unsigned)(c[2] | c[3] << 8))
			return inflate_fail(
			    z, "corrupt (a stored block's length)");
		z->state = STORED;
		return 0;
	}
	if (type == 3)
		return inflate_fail(z, "corrupt (a block of type 3)");
	if ((type == 1 ? fixed_tables(z) : dynamic_tables(z)) < 0)
		return -1;
	z->state = CODES;
	return 0;
}

/* One byte out: to the caller, and to the window copies read from. */
static inline void put(struct inflate *z, unsigned char *buf, size_t *k,
		       unsigned char c)
{
	buf[(*k)++] = c;
	z->win[z->wpos++ & (WSIZE - 1)] = c;
	z->total++;
}

/* One step of a block's data: a stored byte, a literal, or a byte of a
 * copy, out to buf[*k]; or the block's end (state BLOCK again). Returns
 * 0, or -1 once failed. */
int inflate_symbol(struct inflate *z, unsigned char *buf, size_t *k)
{
	unsigned v;
	int sym;

	if (z->state == STORED) {
		if (!z->stored) {
			z->state = BLOCK;
		} else if ((sym = inflate_byte(z)) < 0) {
			return inflate_fail(z, "truncated (in a stored block)");
		} else {
			put(z, buf, k, sym);
			z->stored--;
		}
		return 0;
	}
	if (z->copy) {
		put(z, buf, k, z->win[(z->wpos - z->dist) & (WSIZE - 1)]);
		z->copy--;
		return 0;
	}
	if ((sym = decode(z, &z->lit)) < 0)
		return -1;
	if (sym < 256) {
		put(z, buf, k, sym);
		return 0;
	}
	if (sym == 256) {
		z->state = BLOCK;
		return 0;
	}
	if ((sym -= 257) >= 29)
		return inflate_fail(z,
				    "corrupt (a length code past the table)");
	if (bits(z, lext[sym], &v) < 0)
		return -1;
	z->copy = lbase[sym] + v;
	if ((sym = decode(z, &z->dst)) < 0)
		return -1;
	if (sym >= 30 || bits(z, dext[sym], &v) < 0)
		return inflate_fail(z,
				    "corrupt (a distance code past the table)");
	z->dist = dbase[sym] + v;
	if (z->dist > z->total)
		return inflate_fail(z,
				    "corrupt (a distance back past the start)");
	return 0;
}
