/*
 * 10-full/inflate_int.h - inside inflate: the decoder's state, shared by
 * inflate.c (DEFLATE's blocks and codes) and gunzip.c (gzip's members
 * around them, and the stream a caller reads).
 *
 * Read: RFC 1951, RFC 1952
 */
#ifndef INFLATE_INT_H
#define INFLATE_INT_H

#include "inflate.h"

#include <stdbool.h>

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

/* Says why (once), marks z failed; returns -1. */
int inflate_fail(struct inflate *z, const char *why);
/* The next input byte, or -1 at the end of the input (no message). */
int inflate_byte(struct inflate *z);
/* A block's header: its type, and its tables (state STORED or CODES).
 * Returns 0, or -1 once failed. */
int inflate_block(struct inflate *z);
/* One step of a block's data into buf[*k] (inflate.c). 0, or -1. */
int inflate_symbol(struct inflate *z, unsigned char *buf, size_t *k);

#endif
