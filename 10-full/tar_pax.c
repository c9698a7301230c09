/*
 * 10-full/tar_pax.c - the records of a pax extended header, applied to
 * the entry that follows it.
 *
 * Claim: path, linkpath, size, uid, gid, mtime (with its fraction) and
 *        SCHILY.xattr.* are read as GNU tar and Go's archive/tar write
 *        them; a malformed record, a GNU.sparse.* key, a name over
 *        PATH_MAX or with a NUL are refused. (tested in
 *        tests/10-full-archive.bats)
 * Uses:  nothing but libc
 * Read:  pax(1), "pax Extended Header"
 */
#include "tar.h"

#include <err.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int set_string(char **dst, const char *p, size_t n)
{
	if (n >= PATH_MAX || memchr(p, '\0', n)) {
		warnx("tar: a name of %zu bytes, or with a NUL in it (the most "
		      "is "
		      "%d)",
		      n, PATH_MAX - 1);
		return -1;
	}
	free(*dst);
	*dst = strndup(p, n);
	return *dst ? 0 : -1;
}

/* Applies "LEN KEY=VALUE\n" records to e. */
int tar_pax_apply(struct tar_entry *e, const char *p, size_t n, bool *has_size)
{
	while (n) {
		char *end, *eq = NULL;
		unsigned long len = 0;
		size_t klen;

		/* Digits first: strtoul() would skip white space (and take
		 * a sign), and the length would then end past its record
		 * (a fuzzer's: memchr over ~SIZE_MAX bytes). The record is
		 * "LEN KEY=VALUE\n", all of it inside the len bytes. */
		if (*p >= '1' && *p <= '9')
			len = strtoul(p, &end, 10);
		if (len < 5 || len > n || end >= p + len - 1 || *end != ' ' ||
		    p[len - 1] != '\n' ||
		    !(eq = memchr(end, '=', p + len - 1 - end))) {
			warnx("tar: a malformed pax record");
			return -1;
		}
		const char *key = end + 1, *val = eq + 1;
		size_t vlen = p + len - 1 - val;
		uint64_t u = strtoull(val, NULL, 10);

		klen = eq - key;
#define IS(k) (klen == strlen(k) && memcmp(key, k, klen) == 0)
		if (IS("path") && set_string(&e->name, val, vlen) < 0)
			return -1;
		if (IS("linkpath") && set_string(&e->link, val, vlen) < 0)
			return -1;
		if (IS("size"))
			e->size = u, *has_size = true;
		if (IS("uid"))
			e->uid = u;
		if (IS("gid"))
			e->gid = u;
		if (IS("mtime")) {
			char *dot;

			e->mtime = strtoll(val, &dot, 10);
			e->mtime_nsec = 0;
			if (*dot == '.')
				for (int d = 0; d < 9; d++)
					e->mtime_nsec =
					    e->mtime_nsec * 10 +
					    (dot[1] >= '0' && dot[1] <= '9'
						 ? *++dot - '0'
						 : 0);
			/* "-5.000000003" is 6 s before, and 0.999999997 on. */
			if (val[0] == '-' && e->mtime_nsec)
				e->mtime--,
				    e->mtime_nsec = 1000000000 - e->mtime_nsec;
		}
		if (klen >= 10 && memcmp(key, "GNU.sparse", 10) == 0) {
			warnx("tar: a sparse file (not supported here)");
			return -1;
		}
		if (klen > 13 && memcmp(key, "SCHILY.xattr.", 13) == 0) {
			struct tar_xattr *x = &e->xattrs[e->n_xattrs];

			if (e->n_xattrs == TAR_MAX_XATTRS) {
				warnx("tar: more than %d xattrs",
				      TAR_MAX_XATTRS);
				return -1;
			}
			x->name = strndup(key + 13, klen - 13);
			x->value = malloc(vlen + 1);
			if (!x->name || !x->value)
				return -1;
			memcpy(x->value, val, vlen);
			x->value[vlen] = '\0';
			x->len = vlen;
			e->n_xattrs++;
		}
#undef IS
		p += len, n -= len;
	}
	return 0;
}
