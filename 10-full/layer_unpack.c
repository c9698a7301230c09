/*
 * 10-full/layer_unpack.c - an OCI layer tar unpacked into an empty dir,
 * in overlay's form, and never anywhere else.
 *
 * Claim: .wh.NAME becomes a whiteout (char dev 0/0), DIR/.wh..wh..opq
 *        the opaque xattr on DIR; modes, owners (not rootless), times,
 *        xattrs (not overlay's own, which a layer may not set), symlinks
 *        and hard links are kept; an entry with '..', an absolute name,
 *        an entry or a hard link through a symlink, a link to outside,
 *        a device other than a whiteout, a name over NAME_MAX/PATH_MAX
 *        and a truncated tar are refused with one line, and nothing is
 *        written outside the dir. (tested in tests/10-full-archive.bats)
 * Uses:  layer_walk.c (the walk), tar_read.c, tar_pax.c
 * Read:  the OCI image spec, layer.md; openat(2) (O_NOFOLLOW), mknod(2)
 *        (since Linux 5.8 anyone may make a 0/0 whiteout)
 *
 * Every entry is reached from the layer's dir one component at a time
 * (layer_walk.c), with openat(O_DIRECTORY | O_NOFOLLOW): a symlink on the
 * way fails (ELOOP/ENOTDIR) instead of being followed, so an archive that
 * plants "x -> /etc" and then writes "x/passwd" cannot reach /etc. (runc's and
 * moby's answer is the same idea: resolve inside the root, never
 * through a link; openat2's RESOLVE_BENEATH does it in one call.)
 */
#include "layertar.h"
#include "layer_walk.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Owner, mode, xattrs and times of what fd (or dir/name) is now. */
static int finish(struct unpack *u, struct tar_entry *e, int fd, int dir,
		  const char *name)
{
	struct timespec t[2] = {{.tv_nsec = UTIME_OMIT},
				{e->mtime, e->mtime_nsec}};

	if (!u->rootless &&
	    fchownat(fd >= 0 ? fd : dir, fd >= 0 ? "" : name, e->uid, e->gid,
		     AT_SYMLINK_NOFOLLOW | (fd >= 0 ? AT_EMPTY_PATH : 0)) < 0)
		goto bad;
	/* After chown, which clears set-uid and set-gid bits. A user (no
	 * CAP_DAC_OVERRIDE) keeps a dir writable until its entries are in:
	 * its mode is set last, with its time. */
	if (fd >= 0 &&
	    fchmod(fd, e->mode | (u->rootless && e->type == '5' ? 0700 : 0)) <
		0)
		goto bad;
	for (int i = 0; fd >= 0 && i < e->n_xattrs; i++) {
		const char *x = e->xattrs[i].name;

		if (strncmp(x, "trusted.overlay.", 16) == 0 ||
		    strncmp(x, "user.overlay.", 13) == 0)
			continue; /* only .wh. names say what overlay hides */
		if (fsetxattr(fd, x, e->xattrs[i].value, e->xattrs[i].len, 0) <
		    0) {
			warn("layer: %s: xattr %s", e->name, x);
			return -1;
		}
	}
	if (utimensat(fd >= 0 ? fd : dir, fd >= 0 ? "" : name, t,
		      AT_SYMLINK_NOFOLLOW | (fd >= 0 ? AT_EMPTY_PATH : 0)) < 0)
		goto bad;
	return 0;
bad:
	warn("layer: %s", e->name);
	return -1;
}

static int whiteout(struct unpack *u, struct tar_entry *e, int dir,
		    const char *name)
{
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strchr(name, '/')) {
		warnx("layer: %s: a whiteout of nothing (refused)", e->name);
		return -1;
	}
	if (unpack_replace(u, dir, name, false) < 0)
		return -1;
	if (mknodat(dir, name, S_IFCHR, makedev(0, 0)) < 0 ||
	    fchmodat(dir, name, e->mode & 0777, 0) < 0) {
		warn("layer: %s: whiteout", e->name);
		return -1;
	}
	return finish(u, e, -1, dir, name);
}

static int opaque(struct unpack *u, struct tar_entry *e, int dir)
{
	int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;

	ret = fd < 0 ? -1
		     : fsetxattr(fd,
				 u->rootless ? "user.overlay.opaque"
					     : "trusted.overlay.opaque",
				 "y", 1, 0);
	if (ret < 0)
		warn("layer: %s: opaque dir", e->name);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int file(struct unpack *u, struct tar_reader *r, struct tar_entry *e,
		int dir, const char *name)
{
	int fd, ret = -1;
	ssize_t got;

	if (unpack_replace(u, dir, name, false) < 0)
		return -1;
	fd = openat(dir, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("layer: %s", e->name);
		return -1;
	}
	while ((got = tar_read(r, u->buf, sizeof(u->buf))) > 0)
		if (write(fd, u->buf, got) != got) {
			warn("layer: %s", e->name);
			goto out;
		}
	if (got == 0)
		ret = finish(u, e, fd, dir, name);
out:
	close(fd);
	return ret;
}

static int hardlink(struct unpack *u, struct tar_entry *e, char *name)
{
	char *target = e->link, *tlast, *last;
	int tdir, dir, ret = -1;

	if (unpack_clean(e->name, target) < 0)
		return -1;
	if (!*target) {
		warnx("layer: %s: a hard link to nothing (refused)", e->name);
		return -1;
	}
	/* Its target, found as any entry is: inside, through no symlink. */
	if ((tdir = unpack_parent(u, target, &tlast)) < 0)
		return -1;
	if ((tdir = dup(tdir)) < 0) {
		warn("layer: %s", e->name);
		return -1;
	}
	dir = unpack_parent(u, name, &last);
	if (dir >= 0 && unpack_replace(u, dir, last, false) == 0) {
		dir = unpack_parent(u, name, &last);
		/* linkat without AT_SYMLINK_FOLLOW: a symlink target is
		 * linked itself, never what it points to. */
		ret = dir < 0 ? -1 : linkat(tdir, tlast, dir, last, 0);
		if (ret < 0)
			warn("layer: %s: hard link to %s", e->name, e->link);
	}
	close(tdir);
	return ret;
}

static int unpack_one(struct unpack *u, struct tar_reader *r,
		      struct tar_entry *e)
{
	char *last;
	int dir, fd, ret;

	if (unpack_clean(e->name, e->name) < 0)
		return -1;
	if (!*e->name)
		return 0; /* "./": the layer's dir itself */
	if (e->type == '1')
		return hardlink(u, e, e->name);
	if ((dir = unpack_parent(u, e->name, &last)) < 0)
		return -1;
	if (strcmp(last, WH_OPAQUE) == 0)
		return opaque(u, e, dir);
	if (strncmp(last, WH_PREFIX, strlen(WH_PREFIX)) == 0)
		return whiteout(u, e, dir, last + strlen(WH_PREFIX));
	switch (e->type) {
	case '0':
		return file(u, r, e, dir, last);
	case '5':
		if (unpack_replace(u, dir, last, true) < 0 ||
		    (mkdirat(dir, last, 0700) < 0 && errno != EEXIST) ||
		    (fd = openat(dir, last,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				     O_CLOEXEC)) < 0) {
			warn("layer: %s", e->name);
			return -1;
		}
		ret = finish(u, e, fd, dir, last);
		close(fd);
		return ret < 0 ? -1 : unpack_note_dir(u, e);
	case '2':
		if (unpack_replace(u, dir, last, false) < 0)
			return -1;
		if (symlinkat(e->link, dir, last) < 0) {
			warn("layer: %s", e->name);
			return -1;
		}
		return finish(u, e, -1, dir, last);
	case '3':
		if (e->devmajor == 0 && e->devminor == 0)
			return whiteout(u, e, dir, last); /* overlay's form */
							  /* fall through */
	case '4':
		warnx("layer: %s: a device node %u,%u (refused: a layer may "
		      "hold none but whiteouts)",
		      e->name, e->devmajor, e->devminor);
		return -1;
	case '6':
		if (unpack_replace(u, dir, last, false) < 0)
			return -1;
		if (mkfifoat(dir, last, 0600) < 0 ||
		    fchmodat(dir, last, e->mode, 0) < 0) {
			warn("layer: %s", e->name);
			return -1;
		}
		return finish(u, e, -1, dir, last);
	}
	warnx("layer: %s: an entry of type '%c' (refused: unknown)", e->name,
	      e->type);
	return -1;
}

int layer_unpack_tar(struct tar_reader *r, int dirfd, bool rootless)
{
	struct unpack *u = calloc(1, sizeof(*u));
	struct tar_entry *e;
	int got, ret = -1;

	if (!u) {
		warn("layer");
		return -1;
	}
	u->root = dirfd;
	u->rootless = rootless;
	u->dfd = -1;
	while ((got = tar_next(r, &e)) > 0)
		if (unpack_one(u, r, e) < 0)
			goto out;
	if (got == 0 && unpack_dir_times(u) == 0)
		ret = 0;
out:
	unpack_forget(u);
	unpack_free_dirs(u);
	free(u);
	return ret;
}

int layer_unpack(int fd, int dirfd, bool rootless)
{
	static struct tar_reader r;
	int ret;

	tar_reader_init(&r, NULL, NULL, fd);
	ret = layer_unpack_tar(&r, dirfd, rootless);
	tar_reader_free(&r);
	return ret;
}
