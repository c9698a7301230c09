/*
 * 10-full/tar_write.c - writes POSIX ustar, with a pax extended header
 * in front of an entry whenever one of its fields does not fit.
 *
 * Claim: GNU tar reads what this writes, names, modes, owners, times,
 *        symlinks, hard links and extended attributes included: names
 *        and link targets longer than ustar's fields, sizes from 8 GiB
 *        up, ids beyond 7 octal digits, nanoseconds, SCHILY.xattr.*.
 *        (tested in tests/10-full-archive.bats, with tar -tv, -x, --xattrs)
 * Uses:  nothing but libc
 * Read:  pax(1): "ustar Interchange Format", "pax Extended Header"
 *
 * A pax record is "LEN KEY=VALUE\n", where LEN counts the whole record,
 * its own digits included: the length is found by trying one more digit
 * until it fits. Values are bytes (an xattr may hold a NUL): the length
 * says where a record ends, never a terminator.
 */
#include "tar.h"

#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tar_writer_init(struct tar_writer *w, tar_sink sink, void *ctx)
{
	w->sink = sink;
	w->ctx = ctx;
	w->left = 0;
	w->fill = 0;
}

int tar_sink_fd(void *ctx, const void *buf, size_t n)
{
	int fd = *(int *)ctx;
	const char *p = buf;

	while (n) {
		ssize_t put = write(fd, p, n);

		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0) {
			warn("write");
			return -1;
		}
		p += put, n -= put;
	}
	return 0;
}

static int flush(struct tar_writer *w)
{
	size_t n = w->fill;

	w->fill = 0;
	return n ? w->sink(w->ctx, w->buf, n) : 0;
}

/* Gathers small pieces; a big one goes straight to the sink. */
static int put(struct tar_writer *w, const void *p, size_t n)
{
	if (w->fill + n > sizeof(w->buf)) {
		if (flush(w) < 0)
			return -1;
		if (n >= sizeof(w->buf))
			return w->sink(w->ctx, p, n);
	}
	memcpy(w->buf + w->fill, p, n);
	w->fill += n;
	return 0;
}

static int put_zeros(struct tar_writer *w, size_t n)
{
	static const unsigned char zeros[TAR_BLOCK];

	return put(w, zeros, n);
}

/* Octal, zero-padded, NUL-terminated, in a field of size bytes; false if
 * v does not fit (the caller then says it in a pax record). */
static bool octal(char *field, size_t size, uint64_t v)
{
	if (size < 22 && v >> (3 * (size - 1)))
		return false;
	/* By hand, not snprintf("%0*llo"): a layer of 10,000 files has
	 * 180,000 of these, and musl's printf is slow enough at that to
	 * show in commit's time (README, "Speed"). */
	field[size - 1] = '\0';
	for (size_t i = size - 1; i-- > 0; v >>= 3)
		field[i] = (char)('0' + (v & 7));
	return true;
}

/* v in decimal, at least width digits (zero-padded), NUL-terminated, in
 * out (24 bytes or more). Returns how many digits. By hand, as octal(): a
 * record per file (its mtime) made this the other half of commit's
 * printf calls. */
static size_t decimal(char *out, uint64_t v, size_t width)
{
	char rev[24];
	size_t n = 0;

	do
		rev[n++] = (char)('0' + v % 10);
	while ((v /= 10) || n < width);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
	return n;
}

/* One "LEN KEY=VALUE\n" record appended to the growing pax data. */
static int record(char **pax, size_t *len, const char *key, const char *val,
		  size_t vlen)
{
	size_t klen = strlen(key);
	size_t body = 1 + klen + 1 + vlen + 1; /* " KEY=VALUE\n" */
	size_t n = body + 1, d;
	char digits[24], *p;

	/* LEN counts its own digits: grow it until it counts itself. */
	while ((d = decimal(digits, n, 1)) + body != n)
		n = d + body;
	p = realloc(*pax, *len + n);
	if (!p) {
		warn("pax header");
		return -1;
	}
	*pax = p;
	p += *len;
	memcpy(p, digits, d);
	p[d] = ' ';
	memcpy(p + d + 1, key, klen);
	p[d + 1 + klen] = '=';
	memcpy(p + d + 2 + klen, val, vlen);
	p[n - 1] = '\n';
	*len += n;
	return 0;
}

static int record_u(char **pax, size_t *len, const char *key, uint64_t v)
{
	char s[24];
	size_t n = decimal(s, v, 1);

	return record(pax, len, key, s, n);
}

/* The 512-byte header: name (with prefix), mode, ids, size, mtime, type,
 * link, "ustar\0" "00", device numbers, and the checksum over it all. */
static void ustar(unsigned char *h, const char *name, char type,
		  const struct tar_entry *e, uint64_t size, bool *pax_name,
		  bool *pax_uid, bool *pax_gid)
{
	size_t n = strlen(name);
	unsigned sum = 0;
	const char *slash;

	memset(h, 0, TAR_BLOCK);
	if (n <= 100) {
		memcpy(h, name, n);
	} else {
		/* ustar's prefix: the name split at a '/' into 155 + 100. */
		slash = memchr(name + (n > 101 ? n - 101 : 0), '/',
			       n - (n > 101 ? n - 101 : 0));
		if (slash && slash - name <= 155 && slash > name &&
		    n - (slash - name) - 1 <= 100 && slash[1]) {
			memcpy(h + 345, name, slash - name);
			memcpy(h, slash + 1, n - (slash - name) - 1);
		} else {
			memcpy(h, name, 100); /* pax's path says the rest */
			*pax_name = true;
		}
	}
	octal((char *)h + 100, 8, e->mode & 07777);
	*pax_uid = !octal((char *)h + 108, 8, e->uid);
	*pax_gid = !octal((char *)h + 116, 8, e->gid);
	if (*pax_uid)
		octal((char *)h + 108, 8, 0);
	if (*pax_gid)
		octal((char *)h + 116, 8, 0);
	if (!octal((char *)h + 124, 12, size))
		octal((char *)h + 124, 12, 0); /* pax's size says it */
	octal((char *)h + 136, 12, e->mtime < 0 ? 0 : (uint64_t)e->mtime);
	h[156] = type;
	if (e->link)
		strncpy((char *)h + 157, e->link, 100);
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	octal((char *)h + 329, 8, e->devmajor);
	octal((char *)h + 337, 8, e->devminor);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	octal((char *)h + 148, 7, sum); /* six digits, NUL, the space */
}

int tar_write_header(struct tar_writer *w, const struct tar_entry *e)
{
	unsigned char h[TAR_BLOCK];
	bool long_name = false, big_uid, big_gid;
	uint64_t size = e->type == '0' ? e->size : 0;
	char *pax = NULL, t[48];
	size_t len = 0;
	int ret = -1;

	if (w->left) {
		warnx("tar: %s: %llu bytes of the entry before are missing",
		      e->name, (unsigned long long)w->left);
		return -1;
	}
	ustar(h, e->name, e->type, e, size, &long_name, &big_uid, &big_gid);
	if (long_name &&
	    record(&pax, &len, "path", e->name, strlen(e->name)) < 0)
		goto out;
	if (e->link && strlen(e->link) > 100 &&
	    record(&pax, &len, "linkpath", e->link, strlen(e->link)) < 0)
		goto out;
	if (size >= 1ULL << 33 && record_u(&pax, &len, "size", size) < 0)
		goto out;
	if ((big_uid && record_u(&pax, &len, "uid", e->uid) < 0) ||
	    (big_gid && record_u(&pax, &len, "gid", e->gid) < 0))
		goto out;
	if (e->mtime_nsec || e->mtime < 0) {
		/* Whole seconds and nine digits. A time before 1970 is one
		 * number below zero, as GNU tar writes it: 6 s and 0.999999997
		 * before (-6 + 0.999999997) is "-5.000000003", not
		 * "-6.999999997". */
		bool before = e->mtime < 0;
		uint64_t sec =
		    before ? -(uint64_t)e->mtime : (uint64_t)e->mtime;
		long nsec = e->mtime_nsec;
		size_t n = before;

		if (before && nsec)
			sec--, nsec = 1000000000 - nsec;
		t[0] = '-';
		n += decimal(t + n, sec, 1);
		t[n++] = '.';
		n += decimal(t + n, (uint64_t)nsec, 9);
		if (record(&pax, &len, "mtime", t, n) < 0)
			goto out;
	}
	for (int i = 0; i < e->n_xattrs; i++) {
		char key[300];

		snprintf(key, sizeof(key), "SCHILY.xattr.%s",
			 e->xattrs[i].name);
		if (record(&pax, &len, key, e->xattrs[i].value,
			   e->xattrs[i].len) < 0)
			goto out;
	}
	if (len) {
		/* The pax header's own header: type 'x', named as GNU tar
		 * names it, its records as data. */
		struct tar_entry x = {
		    .type = 'x', .mode = 0644, .mtime = e->mtime};
		unsigned char xh[TAR_BLOCK];
		bool a, b, c;
		char xname[100];

		snprintf(xname, sizeof(xname), "PaxHeaders/%.80s",
			 strrchr(e->name, '/') && strrchr(e->name, '/')[1]
			     ? strrchr(e->name, '/') + 1
			     : e->name);
		x.name = xname;
		ustar(xh, xname, 'x', &x, len, &a, &b, &c);
		if (put(w, xh, TAR_BLOCK) < 0 || put(w, pax, len) < 0 ||
		    put_zeros(w, -len % TAR_BLOCK) < 0)
			goto out;
	}
	if (put(w, h, TAR_BLOCK) < 0)
		goto out;
	w->left = size;
	w->pad = -size % TAR_BLOCK;
	ret = 0;
out:
	free(pax);
	return ret;
}

int tar_write_data(struct tar_writer *w, const void *p, size_t n)
{
	if (n > w->left) {
		warnx("tar: more data than the header said");
		return -1;
	}
	if (put(w, p, n) < 0)
		return -1;
	w->left -= n;
	/* The padding, once the size the header said has been written. */
	if (n && !w->left)
		return put_zeros(w, w->pad);
	return 0;
}

int tar_write_skip(struct tar_writer *w, uint64_t n)
{
	if (n > w->left) {
		warnx("tar: more data than the header said");
		return -1;
	}
	if (flush(w) < 0 || w->sink(w->ctx, NULL, n) < 0)
		return -1;
	w->left -= n;
	if (n && !w->left)
		return put_zeros(w, w->pad);
	return 0;
}

int tar_write_end(struct tar_writer *w)
{
	if (w->left) {
		warnx("tar: an entry is %llu bytes short",
		      (unsigned long long)w->left);
		return -1;
	}
	if (put_zeros(w, TAR_BLOCK) < 0 || put_zeros(w, TAR_BLOCK) < 0)
		return -1;
	return flush(w);
}
