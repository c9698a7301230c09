/*
 * 10-full/gunzip.c - gzip's members (RFC 1952) around DEFLATE's blocks:
 * the stream inflate_read() gives, checked member by member.
 *
 * Claim: a member's header (with its optional name, comment, extra
 *        field, header CRC) is skipped, its trailer's CRC-32 and size
 *        are checked against what was inflated; members one after
 *        another read as one stream, as gzip -d reads them; anything
 *        else after the last member is refused. (tested in
 *        tests/10-full-archive.bats)
 * Uses:  inflate.c
 * Read:  RFC 1952, section 2.3; the CRC-32 of ISO 3309, computed by
 *        table, a byte at a time
 */
#include "inflate_int.h"

#include <err.h>
#include <stdlib.h>
#include <string.h>

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

/* RFC 1952 2.3: a member's header; its optional fields skipped. Returns
 * 1, 0 at the end of the input after a member, -1 on a bad one. */
static int header(struct inflate *z, bool first)
{
	int c[10], k;

	for (k = 0; k < 10; k++)
		if ((c[k] = inflate_byte(z)) < 0)
			break;
	if (k == 0 && !first)
		return 0;
	if (k < 2 || c[0] != 0x1f || c[1] != 0x8b)
		return inflate_fail(z, first
					   ? "not gzip (no 1f 8b at the start)"
					   : "bytes after the last member");
	if (k < 10)
		return inflate_fail(z, "truncated (in a header)");
	if (c[2] != 8 || c[3] & 0xe0)
		return inflate_fail(
		    z, "not DEFLATE, or flags this reader does not know");
	if (c[3] & 4) { /* FEXTRA: a length, then that many bytes */
		int lo = inflate_byte(z), hi = inflate_byte(z);

		if (lo < 0 || hi < 0) /* (-1 << 8 is undefined: test first) */
			return inflate_fail(z, "truncated (in a header)");
		for (k = lo | hi << 8; k > 0; k--)
			if (inflate_byte(z) < 0)
				break;
		if (k)
			return inflate_fail(z, "truncated (in a header)");
	}
	for (int flag = 8; flag <= 16; flag <<= 1) /* FNAME, FCOMMENT */
		if (c[3] & flag)
			while ((k = inflate_byte(z)) > 0)
				;
	if (k < 0 ||
	    ((c[3] & 2) && (inflate_byte(z) < 0 || inflate_byte(z) < 0)))
		return inflate_fail(z, "truncated (in a header)");
	return 1;
}

/* The member's trailer: CRC-32 and size of what it held. */
static int trailer(struct inflate *z)
{
	uint32_t v[2] = {0, 0};

	z->bitbuf >>= z->bitcnt;
	z->bitcnt = 0;
	for (int k = 0; k < 8; k++) {
		int c = inflate_byte(z);

		if (c < 0)
			return inflate_fail(z, "truncated (in a trailer)");
		v[k / 4] |= (uint32_t)c << 8 * (k % 4);
	}
	if (v[0] != z->crc)
		return inflate_fail(z, "corrupt (the CRC-32 does not match)");
	if (v[1] != (uint32_t)z->total)
		return inflate_fail(z, "corrupt (the size does not match)");
	return 0;
}

ssize_t inflate_read(void *zp, void *bufp, size_t n)
{
	struct inflate *z = zp;
	unsigned char *buf = bufp;
	size_t k = 0, crc_from = 0;
	int r;

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
				z->crc =
				    crc32(z->crc, buf + crc_from, k - crc_from);
				crc_from = k;
				if (trailer(z) == 0)
					z->state = HEADER, z->last = false,
					z->members++;
			} else {
				inflate_block(z);
			}
			break;
		case STORED:
		case CODES:
			inflate_symbol(z, buf, &k);
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
