/*
 * 10-full/rmtree.c - rm -rf without a fork, and without recursion: how
 * deep a container's layer goes is the container's choice.
 *
 * Claim: a chain of 10,000 directories made inside a container is
 *        removed by the end of a --rm run, by `rm` and by the sweep,
 *        with one directory open at a time, whatever the stack and
 *        `ulimit -n`; a tree that cannot be removed is named, and the
 *        caller says it failed.   (tested in tests/10-full-disk.bats)
 * Uses:  nothing but libc; state.c, sweep.c, rm.c, rmi.c, load.c call it
 * Read:  unlinkat(2), getdents64(2), openat(2) (O_NOFOLLOW, ".."),
 *        path_resolution(7)
 *
 * A container may make "mkdir a; cd a" as many times as it likes: no
 * path is ever longer than its last name. The recursive removal before
 * this one kept a 2 KiB buffer on the stack and an open fd per level. At
 * about 3,900 levels the 8 MiB stack overflowed, in the sweep that every
 * verb runs first: one container made every verb of its data root crash
 * (139) until root removed the tree by hand. At about 1,000 levels, with
 * `ulimit -n 1024`, the fds ran out, and `rm` removed the record while
 * the layer stayed on the disk for good.
 *
 * So: one directory open at a time. Empty it of what can go at once
 * (files, empty dirs); go down into a directory that is not empty; once
 * a directory is empty, go back up through "..", and remove it from
 * there. The way back up is checked: each directory's device and inode
 * number are kept on the heap (16 bytes a level, not a frame of stack),
 * and ".." must be the directory we came down from, so that a tree
 * moved while we work in it cannot lead us out of it.
 */
#include "state.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct level {
	dev_t dev;
	ino_t ino;
};

/* Opens name in dirfd as a directory to read, giving ourselves the right
 * first if its mode forbids it: overlayfs leaves work/work at mode 0, and
 * a container may chmod its dirs to 0 or 0500; a rootless owner has no
 * CAP_DAC_OVERRIDE to ignore that. Returns the fd, or -1. */
static int open_dir(int dirfd, const char *name)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, name, flags);

	if (fd < 0 && errno == EACCES && fchmodat(dirfd, name, 0700, 0) == 0)
		fd = openat(dirfd, name, flags);
	if (fd >= 0 && geteuid() != 0)
		fchmod(fd, 0700); /* to unlink in it */
	return fd;
}

/* Removes name in fd: a file, or an empty directory. Returns 0, 1 when
 * it is a directory with something in it, or -1 after saying why. */
static int remove_one(int fd, const char *name, unsigned char type)
{
	int dir_first = type == DT_DIR;

	if (unlinkat(fd, name, dir_first ? AT_REMOVEDIR : 0) == 0 ||
	    errno == ENOENT)
		return 0;
	if (!dir_first && errno == EISDIR &&
	    (unlinkat(fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT))
		return 0;
	if (errno == ENOTEMPTY || errno == EEXIST)
		return 1;
	warn("remove %s", name);
	return -1;
}

/* Empties fd's directory of its files and empty dirs. Returns 0 when it
 * is empty, 1 with the name of a directory that is not (in sub, of
 * size NAME_MAX + 1), or -1 after saying why. Deleting while reading a
 * directory may skip entries: a batch is read, deleted, and the reading
 * starts over until a pass deletes nothing. */
static int empty_level(int fd, char *sub)
{
	char buf[2048];
	int removed, r;
	ssize_t n;

	do {
		removed = 0;
		lseek(fd, 0, SEEK_SET);
		while ((n = getdents64(fd, buf, sizeof(buf))) > 0)
			for (ssize_t off = 0; off < n;) {
				struct dirent64 *d = (void *)(buf + off);

				off += d->d_reclen;
				if (strcmp(d->d_name, ".") == 0 ||
				    strcmp(d->d_name, "..") == 0)
					continue;
				r = remove_one(fd, d->d_name, d->d_type);
				if (r == 1)
					strcpy(sub, d->d_name);
				if (r != 0)
					return r;
				removed++;
			}
		if (n < 0) {
			warn("read a directory to remove");
			return -1;
		}
	} while (removed);
	return 0;
}

/* Pushes fd's device and inode on *levels (n of them, *cap room).
 * Returns 0, or -1 after saying why. */
static int push(struct level **levels, size_t n, size_t *cap, int fd)
{
	struct stat s;

	if (n == *cap) {
		size_t more = *cap ? *cap * 2 : 64;
		struct level *l = realloc(*levels, more * sizeof(*l));

		if (!l) {
			warn("remove a tree");
			return -1;
		}
		*levels = l;
		*cap = more;
	}
	if (fstat(fd, &s) < 0) {
		warn("remove a tree: fstat");
		return -1;
	}
	(*levels)[n] = (struct level){s.st_dev, s.st_ino};
	return 0;
}

int state_remove_tree(int dirfd, const char *name)
{
	struct level *levels = NULL;
	size_t depth = 0, cap = 0;
	char sub[NAME_MAX + 1];
	struct stat s;
	int fd, next, r, ret = -1;

	/* Most often an empty directory: one call. Else a file, or a
	 * directory with something in it. */
	if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ||
	    (errno == ENOTDIR && unlinkat(dirfd, name, 0) == 0))
		return 0;
	fd = open_dir(dirfd, name);
	if (fd < 0) {
		warn("remove %s", name);
		return -1;
	}
	if (push(&levels, 0, &cap, fd) < 0)
		goto out;
	while ((r = empty_level(fd, sub)) >= 0) {
		if (r == 1) { /* down into sub */
			next = open_dir(fd, sub);
			if (next < 0) {
				warn("remove %s", sub);
				goto out;
			}
			close(fd);
			fd = next;
			if (push(&levels, ++depth, &cap, fd) < 0)
				goto out;
			continue;
		}
		if (depth == 0)
			break; /* the top is empty */
		/* Back up to the directory we came from, and only to it. */
		next = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = next;
		depth--;
		if (fd < 0 || fstat(fd, &s) < 0 ||
		    s.st_dev != levels[depth].dev ||
		    s.st_ino != levels[depth].ino) {
			warnx("remove %s: the tree moved while it was removed",
			      name);
			goto out;
		}
	}
	if (r == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
		ret = 0;
	else if (r == 0)
		warn("rmdir %s", name);
out:
	if (fd >= 0)
		close(fd);
	free(levels);
	return ret;
}
