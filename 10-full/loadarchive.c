/*
 * 10-full/loadarchive.c - the archive `load` reads, as a list of its
 * files and where their bytes are: docker save's tar is read once to
 * list it, then each file is read where it lies (pread), in the order
 * the manifests want, however the tar has them.
 *
 * Claim: a truncated or damaged outer tar is refused before anything
 *        is unpacked; symlinks inside the archive (docker's older saves
 *        link a shared layer.tar) are followed only to other entries of
 *        the archive, never to the host's files. (tested in
 *        tests/10-full-save.bats)
 * Uses:  tar_read.c, sha256.c
 * Read:  docker-load(1), open(2) (O_TMPFILE)
 */
#include "archive.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSON_MAX (16 << 20)

/* stdin that cannot seek (a pipe): copied to an unnamed file in the
 * store's tmp/, which vanishes with its last fd, whatever happens. */
static int spool(const char *root)
{
	static char buf[1 << 17];
	char dir[PATH_MAX];
	ssize_t got;
	int fd;

	snprintf(dir, sizeof(dir), "%s/images/tmp", root);
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("%s", dir);
		return -1;
	}
	while ((got = read(0, buf, sizeof(buf))) > 0)
		if (tar_sink_fd(&fd, buf, got) < 0)
			goto bad;
	if (got == 0)
		return fd;
	warn("read stdin");
bad:
	close(fd);
	return -1;
}

static char *clean_name(const char *name)
{
	size_t n;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	n = strlen(name);
	while (n && name[n - 1] == '/')
		n--;
	return strndup(name, n);
}

int arc_open(struct arc *a, const char *file, const char *root)
{
	static struct tar_reader r;
	struct tar_entry *e;
	int got;

	memset(a, 0, sizeof(*a));
	if (file) {
		a->fd = open(file, O_RDONLY | O_CLOEXEC);
		if (a->fd < 0)
			warn("%s", file);
	} else {
		a->fd = lseek(0, 0, SEEK_CUR) >= 0 ? dup(0) : spool(root);
	}
	/* From the start: a spooled copy was just written; offsets below
	 * are from there. */
	if (a->fd < 0 || lseek(a->fd, 0, SEEK_SET) < 0) {
		if (a->fd >= 0)
			warn("load: seek");
		arc_close(a);
		return -1;
	}
	tar_reader_init(&r, NULL, NULL, a->fd);
	while ((got = tar_next(&r, &e)) > 0) {
		struct arc_entry *more, *x;

		if (e->type != '0' && e->type != '2')
			continue; /* dirs: nothing to read */
		more = realloc(a->e, (a->n + 1) * sizeof(*a->e));
		if (!more) {
			got = -1;
			break;
		}
		a->e = more;
		x = &a->e[a->n++];
		*x = (struct arc_entry){clean_name(e->name), strdup(e->link),
					e->type, r.offset, e->size};
	}
	tar_reader_free(&r);
	if (got < 0) { /* tar_next said why: truncated, not a tar */
		arc_close(a);
		return -1;
	}
	return 0;
}

void arc_close(struct arc *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->e[i].name), free(a->e[i].link);
	free(a->e);
	if (a->fd >= 0)
		close(a->fd);
	memset(a, 0, sizeof(*a));
	a->fd = -1;
}

/* dir of from + "/" + to, with "." and ".." taken out; false if it
 * climbs out of the archive. */
static bool join(const char *from, const char *to, char *out, size_t size)
{
	const char *slash = strrchr(from, '/');
	char tmp[PATH_MAX], *p, *save = NULL;
	size_t n = 0;

	if (to[0] == '/')
		return false;
	snprintf(tmp, sizeof(tmp), "%.*s%s%s", slash ? (int)(slash - from) : 0,
		 from, slash ? "/" : "", to);
	out[0] = '\0';
	for (p = strtok_r(tmp, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		if (!strcmp(p, "."))
			continue;
		if (!strcmp(p, "..")) {
			char *up = strrchr(out, '/');

			if (!n)
				return false;
			n = up ? (size_t)(up - out) : 0;
			out[n] = '\0';
			continue;
		}
		n += snprintf(out + n, size - n, "%s%s", n ? "/" : "", p);
		if (n >= size)
			return false;
	}
	return true;
}

struct arc_entry *arc_find(struct arc *a, const char *name)
{
	char cur[PATH_MAX], next[PATH_MAX];
	int hops = 0;

	snprintf(cur, sizeof(cur), "%s", name);
	while (cur[0] == '.' && cur[1] == '/')
		memmove(cur, cur + 2, strlen(cur + 2) + 1);
	for (;;) {
		struct arc_entry *e = NULL;

		/* The last of a name wins, as when tar extracts it. */
		for (int i = 0; i < a->n; i++)
			if (strcmp(a->e[i].name, cur) == 0)
				e = &a->e[i];
		if (!e || e->type == '0')
			return e;
		if (++hops > 8 || !join(cur, e->link, next, sizeof(next)))
			return NULL;
		memcpy(cur, next, sizeof(cur));
	}
}

char *arc_read(struct arc *a, struct arc_entry *e, char digest[72])
{
	struct region reg = {a->fd, e->off, e->size};
	char *p;
	size_t n = 0;
	ssize_t got;

	if (e->size > JSON_MAX) {
		warnx("load: %s: %llu bytes, more than a manifest or config "
		      "can be here",
		      e->name, (unsigned long long)e->size);
		return NULL;
	}
	p = malloc(e->size + 1);
	if (!p) {
		warn("load");
		return NULL;
	}
	while (n < e->size && (got = region_read(&reg, p + n, e->size - n)) > 0)
		n += got;
	if (n < e->size) {
		warnx("load: %s: cannot read it whole", e->name);
		free(p);
		return NULL;
	}
	p[n] = '\0';
	if (digest) {
		struct sha256 s;
		char hex[65];

		sha256_init(&s);
		sha256_update(&s, p, n);
		sha256_hex(&s, hex);
		snprintf(digest, 72, "sha256:%s", hex);
	}
	return p;
}
