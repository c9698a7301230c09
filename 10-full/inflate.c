/*
 * 10-full/inflate.c - DEFLATE (RFC 1951) inside gzip (RFC 1952),
 * decompressed on demand, libc only.
 *
 * Claim: decompresses what gzip -1 .. -9 writes (stored, fixed and
 *        dynamic Huffman blocks), several members one after another;
 *        refuses a corrupt or truncated stream (a bad code, a distance
 *        back past the start, a wrong CRC-32 or length) with one line.
 *        (tested in tests/10-full-archive.bats)
 * Uses:  nothing but libc
 * Read:  RFC 1951 section 3.2 (blocks, Huffman codes), RFC 1952 section
 *        2.3 (the member header and trailer)
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
#include "inflate.h"

#include <err.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define WSIZE 32768

struct huff {
	short count[16];     /* codes of each length */
	short symbol[320];   /* symbols, in code order */
};

struct inflate {
	tar_source src;
	void *ctx;
	unsigned char in[1 << 16];
	size_t in_pos, in_end;
	uint64_t bitbuf;
	int bitcnt;
	enum { HEADER, BLOCK, STORED, CODES, END } state;
	int members;         /* members read whole */
	bool last;           /* the block being read is the member's last */
	unsigned stored;     /* bytes left in a stored block */
	unsigned copy, dist; /* a copy under way */
	struct huff lit, dst;
	unsigned char win[WSIZE];
	unsigned wpos;
	uint64_t total;      /* the member's size so far (its trailer says it) */
	uint32_t crc;
	bool failed;
};

static uint32_t crc_table[256];

uint32_t crc32(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *c = p;

	if (!crc_table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t v = i;

			for (int k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320 ^ (v >> 1) : v >> 1;
			crc_table[i] = v;
		}
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *c++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static int fail(struct inflate *z, const char *why)
{
	if (!z->failed)
		warnx("gzip: %s", why);
	z->failed = true;
	return -1;
}

/* The next input byte; -1 at the end of the input (after no warning:
 * the caller says whether an end is allowed there). */
static int byte(struct inflate *z)
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
		int c = byte(z);

		if (c < 0)
			return fail(z, "truncated (the stream ends too soon)");
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
	return fail(z, "corrupt (a code that no table has)");
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
	static const unsigned char order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
						11, 4, 12, 3, 13, 2, 14, 1, 15};
	unsigned char len[320] = {0};
	unsigned hlit, hdist, hclen, v;
	int n = 0, sym;

	if (bits(z, 5, &hlit) < 0 || bits(z, 5, &hdist) < 0 ||
	    bits(z, 4, &hclen) < 0)
		return -1;
	hlit += 257, hdist += 1, hclen += 4;
	if (hlit > 286 || hdist > 30)
		return fail(z, "corrupt (a block with too many codes)");
	for (unsigned i = 0; i < hclen; i++) {
		if (bits(z, 3, &v) < 0)
			return -1;
		len[order[i]] = v;
	}
	if (build(&z->lit, len, 19) < 0)
		return fail(z, "corrupt (bad code lengths)");
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
				return fail(z, "corrupt (a repeat of nothing)");
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
			return fail(z, "corrupt (code lengths overrun)");
		while (rep--)
			len[n++] = val;
	}
	if (len[256] == 0)
		return fail(z, "corrupt (a block that cannot end)");
	if (build(&z->lit, len, hlit) < 0 || build(&z->dst, len + hlit, hdist) < 0)
		return fail(z, "corrupt (bad code lengths)");
	return 0;
}

/* RFC 1952 2.3: a member's header; its optional fields skipped. Returns
 * 1, 0 at the end of the input after a member, -1 on a bad one. */
static int header(struct inflate *z, bool first)
{
	int c[10], k;

	for (k = 0; k < 10; k++)
		if ((c[k] = byte(z)) < 0)
			break;
	if (k == 0 && !first)
		return 0;
	if (k < 2 || c[0] != 0x1f || c[1] != 0x8b)
		return fail(z, first ? "not gzip (no 1f 8b at the start)"
				     : "bytes after the last member");
	if (k < 10)
		return fail(z, "truncated (in a header)");
	if (c[2] != 8 || c[3] & 0xe0)
		return fail(z, "not DEFLATE, or flags this reader does not know");
	if (c[3] & 4) { /* FEXTRA: a length, then that many bytes */
		int lo = byte(z), hi = byte(z);

		for (k = lo | hi << 8; lo >= 0 && hi >= 0 && k > 0; k--)
			if (byte(z) < 0)
				break;
		if (lo < 0 || hi < 0 || k)
			return fail(z, "truncated (in a header)");
	}
	for (int flag = 8; flag <= 16; flag <<= 1) /* FNAME, FCOMMENT */
		if (c[3] & flag)
			while ((k = byte(z)) > 0)
				;
	if (k < 0 || ((c[3] & 2) && (byte(z) < 0 || byte(z) < 0)))
		return fail(z, "truncated (in a header)");
	return 1;
}

static const short lbase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19,
	23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const short lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const short dbase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65,
	97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577};
static const short dext[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* A new block: stored, fixed or dynamic Huffman. */
static int block(struct inflate *z)
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
			if ((c[k] = byte(z)) < 0)
				return fail(z, "truncated (in a block header)");
		z->stored = c[0] | c[1] << 8;
		if ((z->stored ^ 0xffff) != (unsigned)(c[2] | c[3] << 8))
			return fail(z, "corrupt (a stored block's length)");
		z->state = STORED;
		return 0;
	}
	if (type == 3)
		return fail(z, "corrupt (a block of type 3)");
	if ((type == 1 ? fixed_tables(z) : dynamic_tables(z)) < 0)
		return -1;
	z->state = CODES;
	return 0;
}

/* The member's trailer: CRC-32 and size of what it held. */
static int trailer(struct inflate *z)
{
	uint32_t v[2] = {0, 0};

	z->bitbuf >>= z->bitcnt;
	z->bitcnt = 0;
	for (int k = 0; k < 8; k++) {
		int c = byte(z);

		if (c < 0)
			return fail(z, "truncated (in a trailer)");
		v[k / 4] |= (uint32_t)c << 8 * (k % 4);
	}
	if (v[0] != z->crc)
		return fail(z, "corrupt (the CRC-32 does not match)");
	if (v[1] != (uint32_t)z->total)
		return fail(z, "corrupt (the size does not match)");
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

ssize_t inflate_read(void *zp, void *bufp, size_t n)
{
	struct inflate *z = zp;
	unsigned char *buf = bufp;
	size_t k = 0, crc_from = 0;
	unsigned v;
	int sym, r;

	while (k < n && !z->failed) {
		switch (z->state) {
		case HEADER:
			r = header(z, z->members == 0);
			if (r > 0)
				z->state = BLOCK, z->crc = 0, z->total = 0;
			else if (r == 0)
				z->state = END;
			break;
		case BLOCK:
			if (z->last) {
				z->crc = crc32(z->crc, buf + crc_from, k - crc_from);
				crc_from = k;
				if (trailer(z) == 0)
					z->state = HEADER, z->last = false,
					z->members++;
			} else {
				block(z);
			}
			break;
		case STORED:
			if (!z->stored) {
				z->state = BLOCK;
			} else if ((r = byte(z)) < 0) {
				fail(z, "truncated (in a stored block)");
			} else {
				put(z, buf, &k, r);
				z->stored--;
			}
			break;
		case CODES:
			if (z->copy) {
				put(z, buf, &k, z->win[(z->wpos - z->dist) & (WSIZE - 1)]);
				z->copy--;
				break;
			}
			if ((sym = decode(z, &z->lit)) < 0)
				break;
			if (sym < 256) {
				put(z, buf, &k, sym);
				break;
			}
			if (sym == 256) {
				z->state = BLOCK;
				break;
			}
			if ((sym -= 257) >= 29) {
				fail(z, "corrupt (a length code past the table)");
				break;
			}
			if (bits(z, lext[sym], &v) < 0)
				break;
			z->copy = lbase[sym] + v;
			if ((sym = decode(z, &z->dst)) < 0)
				break;
			if (sym >= 30 || bits(z, dext[sym], &v) < 0) {
				fail(z, "corrupt (a distance code past the table)");
				break;
			}
			z->dist = dbase[sym] + v;
			if (z->dist > z->total)
				fail(z, "corrupt (a distance back past the start)");
			break;
		case END:
			goto out;
		}
	}
out:
	if (z->failed)
		return -1;
	z->crc = crc32(z->crc, buf + crc_from, k - crc_from);
	return k;
}

struct inflate *inflate_new(tar_source src, void *ctx)
{
	struct inflate *z = calloc(1, sizeof(*z));

	if (!z) {
		warn("gzip");
		return NULL;
	}
	z->src = src;
	z->ctx = ctx;
	z->state = HEADER;
	return z;
}

void inflate_free(struct inflate *z)
{
	free(z);
}
