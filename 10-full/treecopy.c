/*
 * 10-full/treecopy.c - a directory tree copied with all that a layer
 * keeps, for `commit` (the container's upper dir into a new layer) and
 * `import DIR`.
 *
 * Claim: the copy has the same modes, owners, times, symlinks, hard
 *        links (one inode, as many names), xattrs, whiteouts (0/0
 *        character devices) and opaque marks as the original, and none
 *        of overlayfs's other xattrs (origin, impure, redirect...).
 *        (tested in tests/10-full-image.bats: the commit test)
 * Uses:  xattrs.c, imagestore.c (which opaque mark this store writes),
 *        filecopy.c (the bytes)
 * Read:  copy_file_range(2), xattr(7), utimensat(2), linkat(2),
 *        Documentation/filesystems/overlayfs.rst
 *
 * The order for each entry matters: owner before mode (chown(2) clears
 * set-user-ID bits), xattrs after the owner (a chown clears
 * security.capability), times last, and a directory's times after its
 * entries (each entry made in it changes its mtime).
 */
#include "treecopy.h"
#include "filecopy.h"
#include "imagestore.h"
#include "xattrs.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned owner(const struct treecopy *tc, unsigned id)
{
	return tc->count && id >= tc->shift && id - tc->shift < tc->count
		       ? id - tc->shift
		       : id;
}

/* Owner, mode, xattrs, times of src (entry name of dir sfd, stat st)
 * onto the entry name of dir dfd; a regular file through its fds in and
 * out alone (else -1), made with st's permission bits (umask 0).
 * Returns 0 or -1. */
static int copy_meta(int sfd, int dfd, const char *name,
		     const struct stat *st, const struct treecopy *tc, int in,
		     int out)
{
	struct xref s, d;
	struct timespec times[2] = {st->st_atim, st->st_mtim};
	uid_t uid = owner(tc, st->st_uid);
	gid_t gid = owner(tc, st->st_gid);
	bool file = out >= 0;

	/* A new entry is ours already (its dir is no set-group-ID one
	 * while we copy: each is made 0700): no chown to do then. */
	if ((uid != tc->euid || gid != tc->egid) &&
	    (file ? fchown(out, uid, gid)
		  : fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW)) < 0 &&
	    !(imagestore_rootless() && errno == EPERM))
		return -1;
	/* A file was made with its permission bits; a chown cleared the
	 * set-ID bits, and only a chmod gives them. */
	if (!S_ISLNK(st->st_mode) && (!file || (st->st_mode & 07000)) &&
	    (file ? fchmod(out, st->st_mode & 07777)
		  : fchmodat(dfd, name, st->st_mode & 07777, 0)) < 0)
		return -1;
	if (xattrs_copy(file ? xref_fd(&s, in) : xref_at(&s, sfd, name),
			file ? xref_fd(&d, out) : xref_at(&d, dfd, name),
			tc->src_opaque) < 0)
		return -1;
	return file ? futimens(out, times)
		    : utimensat(dfd, name, times, AT_SYMLINK_NOFOLLOW);
}

/* A hard link to a file copied before, if st is one: 1 if linked, 0 if
 * not (remembered for later), -1 on failure. */
static int hard_link(struct treecopy *tc, int dfd, const char *name,
		     const struct stat *st)
{
	const char *first;

	if (S_ISDIR(st->st_mode) || st->st_nlink < 2)
		return 0;
	first = linkmap_find(&tc->links, st->st_dev, st->st_ino);
	if (first)
		return linkat(tc->dst_top, first, dfd, name, 0) < 0 ? -1 : 1;
	return linkmap_add(&tc->links, st->st_dev, st->st_ino, tc->path);
}

static bool skipped(const struct treecopy *tc)
{
	for (const char *const *s = tc->skip; s && *s; s++)
		if (strcmp(tc->path, *s) == 0)
			return true;
	return false;
}

static int copy_dir(int sfd, int dfd, struct treecopy *tc);

/* Whether fd is the regular file st describes (same device and inode). */
static bool same_file(int fd, const struct stat *st)
{
	struct stat now;

	return fstat(fd, &now) == 0 && S_ISREG(now.st_mode) &&
	       now.st_dev == st->st_dev && now.st_ino == st->st_ino;
}

/* One entry of dir sfd, name, into dir dfd. Returns 0 or -1. */
static int copy_entry(int sfd, int dfd, const char *name,
		      struct treecopy *tc)
{
	char *link = tc->link; /* not on the stack: one frame a level */
	struct stat st;
	int in = -1, out = -1, ret = -1, linked;
	ssize_t n;

	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    (linked = hard_link(tc, dfd, name, &st)) < 0)
		return -1;
	if (linked)
		return 0;
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		if (mkdirat(dfd, name, 0700) < 0)
			return -1;
		in = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC);
		out = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (in < 0 || out < 0 || copy_dir(in, out, tc) < 0)
			goto out;
		break;
	case S_IFREG:
		/* The tree may be another user's (import DIR): a FIFO put
		 * in the file's place since fstatat() would block open()
		 * for good, the image store locked. So: opened without
		 * waiting, and only the very file that was looked at. */
		in = openat(sfd, name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (in >= 0 && !same_file(in, &st)) {
			errno = ESTALE; /* "changed while copied" */
			goto out;
		}
		out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			     st.st_mode & 0777);
		if (in < 0 || out < 0 || filecopy_data(in, out, &st) < 0)
			goto out;
		break;
	case S_IFLNK:
		n = readlinkat(sfd, name, link, sizeof(tc->link) - 1);
		if (n < 0)
			return -1;
		link[n] = '\0';
		if (symlinkat(link, dfd, name) < 0)
			return -1;
		break;
	default: /* whiteouts (0/0), fifos, sockets, devices */
		if (mknodat(dfd, name, st.st_mode & S_IFMT, st.st_rdev) < 0)
			return -1;
	}
	ret = copy_meta(sfd, dfd, name, &st, tc, in,
			S_ISREG(st.st_mode) ? out : -1);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

static int copy_dir(int sfd, int dfd, struct treecopy *tc)
{
	size_t len = strlen(tc->path);
	struct dirent *d;
	DIR *dir;
	int fd, ret = 0;

	if (tc->depth >= TREE_MAX_DEPTH) {
		tc->too_deep = true; /* said at the end */
		return -1;
	}
	fd = dup(sfd);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (ret == 0 && (errno = 0, d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (len + strlen(d->d_name) + 2 > sizeof(tc->path)) {
			errno = ENAMETOOLONG;
			ret = -1;
			break;
		}
		snprintf(tc->path + len, sizeof(tc->path) - len, "%s%s",
			 len ? "/" : "", d->d_name);
		tc->depth++;
		if (!skipped(tc))
			ret = copy_entry(sfd, dfd, d->d_name, tc);
		tc->depth--;
		if (ret == 0)
			tc->path[len] = '\0'; /* else: names the culprit */
	}
	if (ret == 0 && errno)
		ret = -1;
	closedir(dir);
	return ret;
}

int treecopy(int src, int dst, struct treecopy *tc)
{
	struct stat st;
	struct xref s, d;
	struct timespec times[2];
	mode_t mask = umask(0); /* files made with their bits, as they are */
	int ret = -1;

	tc->dst_top = dst;
	tc->euid = geteuid();
	tc->egid = getegid();
	tc->path[0] = '\0';
	tc->depth = 0;
	tc->too_deep = false;
	if (copy_dir(src, dst, tc) < 0 || fstat(src, &st) < 0)
		goto out;
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if ((fchown(dst, owner(tc, st.st_uid), owner(tc, st.st_gid)) < 0 &&
	     !(imagestore_rootless() && errno == EPERM)) ||
	    fchmod(dst, st.st_mode & 07777) < 0 ||
	    xattrs_copy(xref_fd(&s, src), xref_fd(&d, dst), tc->src_opaque) < 0 ||
	    futimens(dst, times) < 0)
		goto out;
	ret = 0;
out:
	umask(mask);
	if (ret < 0 && errno == ESTALE)
		warnx("copy /%s: it changed while copied (no longer the "
		      "regular file first looked at)", tc->path);
	else if (ret < 0 && tc->too_deep)
		warnx("copy /%.40s...: more than %d directories deep",
		      tc->path, TREE_MAX_DEPTH);
	else if (ret < 0)
		warn("copy /%s", tc->path);
	linkmap_free(&tc->links);
	return ret;
}
