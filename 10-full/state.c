/*
 * 10-full/state.c - each container gets a directory of its own on the
 * host, and leaves nothing of it behind.
 *
 * Claim: the image directory is never written (the container writes to
 *        upper/), and the state dir is gone after every run, whatever the
 *        command did.   (tested in tests/10-full.bats)
 * Uses:  nothing but libc; 09-overlay mounts these directories.
 * Read:  getrandom(2), getdents64(2), unlinkat(2)
 *
 * The init layer is Docker's answer to a small puzzle (notes:
 * Namespaces, cgroups and image layers, "Init层"). /etc/hostname, /etc/hosts
 * and /etc/resolv.conf belong to the image, yet each container needs its
 * own: its hostname, its network. Writing them into the image would change
 * it for every other container; writing them into the writable layer would
 * make them part of what `docker commit` saves. So they get a thin layer of
 * their own, read-only, stacked just above the image: lowerdir=init:ROOTFS.
 */
#include "state.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int state_new_id(struct state *st, bool rootless)
{
	unsigned char bytes[6];

	if (getrandom(bytes, sizeof(bytes), 0) != sizeof(bytes)) {
		warn("getrandom");
		return -1;
	}
	for (int i = 0; i < 6; i++)
		snprintf(st->id + 2 * i, 3, "%02x", bytes[i]);
	/* Root's state lives in /run (a tmpfs on most systems, wiped at
	 * boot); a rootless caller cannot write there, so /tmp. */
	if (rootless)
		snprintf(st->dir, sizeof(st->dir),
			 "/tmp/lesson-container-%u-%s", (unsigned)getuid(),
			 st->id);
	else
		snprintf(st->dir, sizeof(st->dir), "/run/lesson-container-%s",
			 st->id);
	st->created = false;
	return 0;
}

/* Writes text, or the host file copy_from when text is NULL, to a new
 * file name in dirfd. Returns 0 or -1. */
static int write_file(int dirfd, const char *name, const char *text,
		      const char *copy_from)
{
	char buf[4096];
	int fd, in = -1, ret = -1;
	ssize_t n = text ? (ssize_t)strlen(text) : 0;

	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		warn("create %s", name);
		return -1;
	}
	if (copy_from) {
		in = open(copy_from, O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			warn("%s", copy_from);
			goto out;
		}
	}
	do {
		if (copy_from && (n = read(in, buf, sizeof(buf))) < 0) {
			warn("read %s", copy_from);
			goto out;
		}
		if (write(fd, copy_from ? buf : text, n) != n) {
			warn("write %s", name);
			goto out;
		}
	} while (copy_from && n > 0);
	ret = 0;
out:
	if (in >= 0)
		close(in);
	close(fd);
	return ret;
}

int state_write(const struct state *st, const char *name, const char *text)
{
	int fd = open(st->dir, O_PATH | O_DIRECTORY | O_CLOEXEC), ret;

	if (fd < 0) {
		warn("%s", st->dir);
		return -1;
	}
	ret = write_file(fd, name, text, NULL);
	close(fd);
	return ret;
}

int state_create(struct state *st, const char *name)
{
	if (mkdir(st->dir, 0700) < 0) {
		warn("mkdir %s", st->dir);
		return -1;
	}
	st->created = true;
	return name ? state_write(st, "name", name) : 0;
}

int state_make_layers(const struct state *st, const char *hostname,
		      bool net_host)
{
	static const char *const dirs[] = {"init", "init/etc", "upper", "work",
					   "merged"};
	char text[256];
	int fd;

	/* A tmpfs of the container's own, in its own mount namespace: what
	 * the container writes costs memory (charged to its cgroup, so -m
	 * bounds it), never a disk write; nothing is left to delete on the
	 * host; and overlayfs does not sync a disk filesystem when it is
	 * unmounted, which would cost more than the whole run. */
	if (mount("tmpfs", st->dir, "tmpfs", 0, "mode=0700") < 0) {
		warn("mount tmpfs on %s", st->dir);
		return -1;
	}
	fd = open(st->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", st->dir);
		return -1;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(fd, dirs[i], 0755) < 0) {
			warn("mkdir %s/%s", st->dir, dirs[i]);
			goto bad;
		}

	snprintf(text, sizeof(text), "%s\n", hostname);
	if (write_file(fd, "init/etc/hostname", text, NULL) < 0)
		goto bad;
	/* With the host's network, the host's names and name servers are
	 * the right ones; in a network namespace of its own (only lo),
	 * the container knows itself and nothing else. */
	if (net_host) {
		if (write_file(fd, "init/etc/hosts", NULL, "/etc/hosts") < 0 ||
		    write_file(fd, "init/etc/resolv.conf", NULL,
			       "/etc/resolv.conf") < 0)
			goto bad;
	} else {
		snprintf(text, sizeof(text),
			 "127.0.0.1\tlocalhost\n"
			 "::1\tlocalhost ip6-localhost ip6-loopback\n"
			 "127.0.1.1\t%s\n",
			 hostname);
		if (write_file(fd, "init/etc/hosts", text, NULL) < 0 ||
		    write_file(fd, "init/etc/resolv.conf",
			       "# --net none: only lo, so no name servers\n",
			       NULL) < 0)
			goto bad;
	}
	close(fd);
	return 0;
bad:
	close(fd);
	return -1;
}

/* Removes name in dirfd and everything under it. Returns 0 or -1. */
static int remove_tree(int dirfd, const char *name)
{
	char buf[2048];
	int fd, removed;
	ssize_t n;

	/* Most often an empty directory: one call. Else a file, or a
	 * directory with something in it. */
	if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ||
	    (errno == ENOTDIR && unlinkat(dirfd, name, 0) == 0))
		return 0;
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		/* overlayfs leaves work/work at mode 0; a rootless owner
		 * must give itself the right to look inside first. */
		fchmodat(dirfd, name, 0700, 0);
		fd = openat(dirfd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		warn("remove %s", name);
		return -1;
	}
	/* Deleting while reading a directory may skip entries, so read a
	 * batch, delete it, and start over until only . and .. remain. */
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
				if (remove_tree(fd, d->d_name) < 0)
					goto bad;
				removed++;
			}
		if (n < 0) {
			warn("read directory %s", name);
			goto bad;
		}
	} while (removed);
	close(fd);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0) {
		warn("rmdir %s", name);
		return -1;
	}
	return 0;
bad:
	close(fd);
	return -1;
}

void state_remove(struct state *st)
{
	if (st->created && remove_tree(AT_FDCWD, st->dir) == 0)
		st->created = false;
}
