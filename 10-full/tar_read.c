/*
 * 10-full/tar_read.c - reads ustar, pax extended headers and GNU tar's
 * long names, strictly.
 *
 * Claim: reads what GNU tar writes in --format=pax and --format=gnu,
 *        long names and link targets, big ids and sizes (base-256)
 *        included; refuses a truncated archive (one that ends without
 *        its end blocks, or inside an entry), a bad checksum, a name or
 *        link over PATH_MAX or with a NUL, sparse files and unknown
 *        extension headers, each with one line.
 *        (tested in tests/10-full-archive.bats)
 * Uses:  nothing but libc
 * Read:  pax(1) (ustar, pax headers), GNU tar's manual ("Basic Tar
 *        Format": 'L', 'K', base-256 numbers)
 *
 * Headers that describe the next entry ('x' pax, 'L' long name, 'K'
 * long link) are read into memory (a pax header up to 1 MiB: room for
 * the biggest xattr values) and applied to the entry that follows.
 * Global pax headers ('g') say defaults nobody here needs: skipped.
 */
#include "tar.h"

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAX_MAX (1 << 20)

void tar_reader_init(struct tar_reader *r, tar_source src, void *ctx, int fd)
{
	memset(&r->e, 0, sizeof(r->e));
	r->src = src;
	r->ctx = ctx;
	r->fd = fd;
	r->offset = r->left = 0;
	r->pad = 0;
	r->pos = r->end = 0;
}

void tar_reader_free(struct tar_reader *r)
{
	free(r->e.name);
	free(r->e.link);
	for (int i = 0; i < r->e.n_xattrs; i++) {
		free(r->e.xattrs[i].name);
		free(r->e.xattrs[i].value);
	}
	memset(&r->e, 0, sizeof(r->e));
}

static ssize_t source(struct tar_reader *r, void *buf, size_t n)
{
	ssize_t got;

	if (r->src)
		return r->src(r->ctx, buf, n);
	do
		got = read(r->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		warn("read");
	return got;
}

/* Exactly n bytes (buf NULL: skipped). Returns 0, -1 at a short end. */
static int take(struct tar_reader *r, void *buf, uint64_t n)
{
	char *p = buf;

	while (n) {
		size_t k;

		if (r->pos == r->end) {
			/* A skip over a big entry of a file: lseek, no read.
			 * (An off_t is signed: n past its range went back,
			 * to the same header, for ever.) */
			if (!buf && !r->src && n > sizeof(r->buf) &&
			    n <= TAR_MAX_SIZE && lseek(r->fd, n, SEEK_CUR) >= 0) {
				r->offset += n;
				return 0;
			}
			ssize_t got = source(r, r->buf, sizeof(r->buf));

			if (got <= 0)
				return -1;
			r->pos = 0;
			r->end = got;
		}
		k = r->end - r->pos < n ? r->end - r->pos : n;
		if (p) {
			memcpy(p, r->buf + r->pos, k);
			p += k;
		}
		r->pos += k, r->offset += k, n -= k;
	}
	return 0;
}

/* A number field: octal (spaces and NULs around it), or GNU's base-256
 * (the first byte's high bit set) for what octal cannot hold. */
static int number(const unsigned char *f, size_t size, uint64_t *v)
{
	size_t i = 0;

	*v = 0;
	if (f[0] & 0x80) {
		if (f[0] & 0x40)
			return -1; /* negative: no size or id is */
		*v = f[0] & 0x3f;
		for (i = 1; i < size; i++) {
			if (*v >> 56)
				return -1;
			*v = *v << 8 | f[i];
		}
		return 0;
	}
	while (i < size && f[i] == ' ')
		i++;
	for (; i < size && f[i] >= '0' && f[i] <= '7'; i++)
		*v = *v << 3 | (f[i] - '0');
	for (; i < size; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	return 0;
}

/* The mtime field: as number(), but in base 256 it may be below zero:
 * GNU tar writes a time before 1970 so (bit 6 of the first byte is the
 * sign, the rest two's complement). Returns 0, or -1 if it is no number
 * or too big for *t. */
static int time_number(const unsigned char *f, size_t size, int64_t *t)
{
	uint64_t u;
	int64_t v;

	if ((f[0] & 0xc0) != 0xc0) {
		if (number(f, size, &u) < 0 || u > INT64_MAX)
			return -1;
		*t = (int64_t)u;
		return 0;
	}
	v = (int64_t)(f[0] & 0x3f) - 0x40;
	for (size_t i = 1; i < size; i++) {
		if (v < INT64_MIN / 256)
			return -1;
		v = v * 256 + f[i];
	}
	*t = v;
	return 0;
}

static char *field(const unsigned char *f, size_t size)
{
	return strndup((const char *)f, size);
}

/* The whole data of a pax, L or K header, NUL-terminated. */
static char *slurp(struct tar_reader *r, uint64_t size, uint64_t max,
		   const char *what)
{
	char *p;

	if (size > max) {
		warnx("tar: %s of %llu bytes (the most is %llu)", what,
		      (unsigned long long)size, (unsigned long long)max);
		return NULL;
	}
	p = malloc(size + 1);
	if (!p) {
		warn("tar");
		return NULL;
	}
	if (take(r, p, size) < 0 || take(r, NULL, -size % TAR_BLOCK) < 0) {
		warnx("tar: truncated (the archive ends inside a header)");
		free(p);
		return NULL;
	}
	p[size] = '\0';
	return p;
}

static int checksum_ok(const unsigned char *h)
{
	unsigned sum = 0;
	int ssum = 0;
	uint64_t want;

	for (int i = 0; i < TAR_BLOCK; i++) {
		unsigned char c = i >= 148 && i < 156 ? ' ' : h[i];

		sum += c;
		ssum += (signed char)c; /* some old tars summed signed chars */
	}
	return number(h + 148, 8, &want) == 0 &&
	       (want == sum || want == (uint64_t)(unsigned)ssum);
}

static bool zero_block(const unsigned char *h)
{
	for (int i = 0; i < TAR_BLOCK; i++)
		if (h[i])
			return false;
	return true;
}

int tar_next(struct tar_reader *r, struct tar_entry **out)
{
	unsigned char h[TAR_BLOCK];
	char *name = NULL, *link = NULL, *pax;
	bool has_size = false;
	uint64_t v;
	int ret;

	if (take(r, NULL, r->left + r->pad) < 0)
		goto truncated;
	r->left = r->pad = 0;
	tar_reader_free(r);
	struct tar_entry *e = &r->e;
	for (;;) {
		if (take(r, h, TAR_BLOCK) < 0)
			goto truncated;
		if (zero_block(h)) {
			free(name), free(link);
			return 0;
		}
		if (!checksum_ok(h)) {
			warnx("tar: a header with a bad checksum at byte %llu "
			      "(not a tar, or damaged)",
			      (unsigned long long)r->offset - TAR_BLOCK);
			goto bad;
		}
		if (number(h + 124, 12, &v) < 0) {
			warnx("tar: a bad size field");
			goto bad;
		}
		if (h[156] == 'x') {
			if (!(pax = slurp(r, v, PAX_MAX, "a pax header")))
				goto bad;
			ret = tar_pax_apply(e, pax, v, &has_size);
			free(pax);
			if (ret < 0)
				goto bad;
		} else if (h[156] == 'g') {
			if (v > TAR_MAX_SIZE ||
			    take(r, NULL, v + (-v % TAR_BLOCK)) < 0)
				goto truncated;
		} else if (h[156] == 'L' || h[156] == 'K') {
			char **dst = h[156] == 'L' ? &name : &link;

			free(*dst);
			if (!(*dst = slurp(r, v, PATH_MAX, "a GNU long name")))
				goto bad;
			if (strlen(*dst) >= PATH_MAX - 1) {
				warnx("tar: a GNU long name over PATH_MAX");
				goto bad;
			}
		} else {
			break;
		}
	}
	/* The entry itself: what its extended headers said wins. */
	e->type = h[156] == '\0' || h[156] == '7' ? '0' : (char)h[156];
	if (!e->name) {
		if (name)
			e->name = name, name = NULL;
		else if (memcmp(h + 257, "ustar\0", 6) == 0 && h[345])
			/* POSIX ustar: prefix "/" name. (GNU's own magic
			 * "ustar  " keeps other things in that place.) */
			asprintf(&e->name, "%.155s/%.100s", h + 345, h);
		else
			e->name = field(h, 100);
	}
	if (!e->link)
		e->link = link ? link : field(h + 157, 100), link = NULL;
	if (!e->name || !e->link)
		goto bad;
	if (number(h + 100, 8, &v) < 0)
		goto badnum;
	e->mode = v & 07777;
	if ((!e->uid && number(h + 108, 8, &e->uid) < 0) ||
	    (!e->gid && number(h + 116, 8, &e->gid) < 0))
		goto badnum;
	if (!has_size && number(h + 124, 12, &e->size) < 0)
		goto badnum;
	if (!e->mtime && !e->mtime_nsec &&
	    time_number(h + 136, 12, &e->mtime) < 0)
		goto badnum;
	if (number(h + 329, 8, &v) < 0)
		goto badnum;
	e->devmajor = v;
	if (number(h + 337, 8, &v) < 0)
		goto badnum;
	e->devminor = v;
	/* Only files have data here (a hard link's size is its target's). */
	if (e->type == '1' || e->type == '2' || e->type == '5')
		e->size = 0;
	if (e->size > TAR_MAX_SIZE) {
		warnx("tar: %s: a size of %llu bytes", e->name,
		      (unsigned long long)e->size);
		goto bad;
	}
	r->left = e->size;
	r->pad = -e->size % TAR_BLOCK;
	*out = e;
	return 1;
badnum:
	warnx("tar: %s: a bad number in its header", e->name);
	goto bad;
truncated:
	warnx("tar: truncated (the archive ends before its end blocks)");
bad:
	free(name), free(link);
	return -1;
}

ssize_t tar_read(struct tar_reader *r, void *buf, size_t n)
{
	if (n > r->left)
		n = r->left;
	if (n && take(r, buf, n) < 0) {
		warnx("tar: truncated (the archive ends inside a file)");
		return -1;
	}
	r->left -= n;
	return n;
}
