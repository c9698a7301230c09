/*
 * 10-full/userns.c - `--userns` as root: each container's root is a host
 * user of its own, and the image looks owned by it.
 *
 * Claim: two --userns containers running at once have disjoint ranges of
 *        host ids, so neither's root may signal the other's processes; a
 *        range is free again once its run ends (--rm) or the container
 *        is removed (rm), also after a kill -9 of `container`; inside,
 *        the image belongs to root, so the container may change its
 *        files (copy-up works).
 *        (tested in tests/10-full-userns.bats)
 * Uses:  nothing but libc
 * Read:  user_namespaces(7), mount_setattr(2) (MOUNT_ATTR_IDMAP), flock(2)
 *
 * Which host ids. The user namespace maps the container's ids 0-65535 on
 * 65536 host ids. If every container got the same ones, every container's
 * root would be one host user, and could kill, ptrace and read the files
 * of every other container. So each gets a range of its own, and not from
 * 100000: useradd gives each new user a range for rootless containers in
 * /etc/subuid, from SUB_UID_MIN 100000 up to SUB_UID_MAX 600100000 (Debian
 * and Ubuntu's login.defs), so 100000-165535 belongs to the first user.
 * The pool starts at 0x60000000 (1610612736): above those, below 2^31
 * (which programs that keep a uid in an int get wrong), and inside the ids
 * systemd reserves for containers, 524288-1879048191 (systemd.io,
 * "Users, Groups, UIDs and GIDs on systemd Systems"). Each range starts at
 * a multiple of 65536: the upper 16 bits say which container, the lower
 * 16 bits its own uid, as systemd-nspawn's ranges do.
 *
 * Who holds which. A range in use is a file IDPOOL_DIR/FIRST_ID, and its
 * holder keeps an flock(2) on it. The kernel drops that lock when the
 * holder's last fd on it is closed, which its death does however it dies:
 * a run killed with SIGKILL frees its range with no note to judge and no
 * PID that could have been reused. Whoever finds a file nobody locks
 * removes it. Every change to the directory is made under the lock of the
 * directory itself, so two runs never take the same free range, and the
 * last one out removes the directory. systemd-nspawn --private-users=pick
 * locks its ranges in /run/systemd/nspawn-uid/ the same way (Nix's
 * auto-allocate-uids too); podman's --userns=auto instead picks ranges
 * from the "containers" entry of /etc/subuid that none of its containers
 * (in its own database) uses.
 */
#include "userns.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates, opens and locks the pool directory. Returns its fd, or -1. */
static int pool_lock(void)
{
	struct stat sb;
	int fd;

	for (;;) {
		if (mkdir(IDPOOL_DIR, 0700) < 0 && errno != EEXIST)
			break;
		fd = open(IDPOOL_DIR,
			  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue; /* removed by the last one out: again */
		if (fd < 0)
			break;
		if (flock(fd, LOCK_EX) < 0) {
			close(fd);
			break;
		}
		/* Removed while we waited for the lock: we hold the lock of
		 * a directory nobody else will look in. Again. */
		if (fstat(fd, &sb) == 0 && sb.st_nlink > 0)
			return fd;
		close(fd);
	}
	warn("%s", IDPOOL_DIR);
	return -1;
}

/* Removes the pool directory if it is empty (else rmdir fails, and that is
 * fine), then lets the next one in. */
static void pool_unlock(int dirfd)
{
	rmdir(IDPOOL_DIR);
	close(dirfd);
}

/* FIRST.kept names the record of the container that keeps range FIRST
 * while it is not running. Whether that record still exists. */
static bool kept_for_record(int dirfd, const char *name)
{
	char path[PATH_MAX];
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, path, sizeof(path) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	path[n] = '\0';
	return path[0] == '/' && access(path, F_OK) == 0;
}

/* Marks in used[] the ranges whose file someone locks (1), and those a
 * container keeps until it is removed (2); removes the files nobody locks
 * and the reservations of removed containers. */
static void pool_scan(int dirfd, unsigned char *used)
{
	int dup_fd = dup(dirfd), fd;
	DIR *dir = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	struct dirent *d;
	unsigned long first;
	char *end;

	if (!dir) {
		if (dup_fd >= 0)
			close(dup_fd);
		return; /* then we only see what O_EXCL refuses */
	}
	while ((d = readdir(dir))) {
		first = strtoul(d->d_name, &end, 10);
		if (strcmp(end, ".kept") == 0 && first >= IDPOOL_FIRST &&
		    first < IDPOOL_FIRST + IDPOOL_RANGES * IDPOOL_SIZE) {
			if (kept_for_record(dirfd, d->d_name))
				used[(first - IDPOOL_FIRST) / IDPOOL_SIZE] |= 2;
			else
				unlinkat(dirfd, d->d_name, 0);
			continue;
		}
		if (*end || first < IDPOOL_FIRST ||
		    first >= IDPOOL_FIRST + IDPOOL_RANGES * IDPOOL_SIZE ||
		    first % IDPOOL_SIZE)
			continue;
		fd = openat(dirfd, d->d_name,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlinkat(dirfd, d->d_name, 0); /* its holder died */
		else
			used[(first - IDPOOL_FIRST) / IDPOOL_SIZE] |= 1;
		close(fd);
	}
	closedir(dir);
}

int userns_take_range(struct userns_range *r, const char *id, unsigned want,
		      const char *keep)
{
	unsigned char used[IDPOOL_RANGES] = {0};
	int dirfd = pool_lock(), fd = -1;
	char name[24], note[64];
	unsigned i = 0;

	r->fd = -1;
	if (dirfd < 0)
		return -1;
	pool_scan(dirfd, used);
	/* `start`: the range its files belong to, kept for it (2) and not
	 * in use (1). */
	if (want) {
		i = (want - IDPOOL_FIRST) / IDPOOL_SIZE;
		if (i >= IDPOOL_RANGES || used[i] != 2) {
			warnx("--userns: the host ids %u-%u of this container "
			      "are not kept for it any more: rm it", want,
			      want + IDPOOL_SIZE - 1);
			goto out;
		}
		used[i] = 0;
	}
	for (; i < IDPOOL_RANGES && fd < 0; i++) {
		if (used[i])
			continue;
		r->first = IDPOOL_FIRST + i * IDPOOL_SIZE;
		snprintf(name, sizeof(name), "%u", r->first);
		fd = openat(dirfd, name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno != EEXIST) {
			warn("%s/%s", IDPOOL_DIR, name);
			goto out;
		}
	}
	if (fd < 0 || (want && r->first != want)) {
		warnx("--userns: all %u ranges of host ids are in use (%s)",
		      IDPOOL_RANGES, IDPOOL_DIR);
		if (fd >= 0) {
			unlinkat(dirfd, name, 0);
			close(fd);
			fd = -1;
		}
		goto out;
	}
	/* A new file, made under the directory's lock: nobody else can
	 * have it open yet, so this lock cannot fail. */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		warn("lock %s/%s", IDPOOL_DIR, name);
		unlinkat(dirfd, name, 0);
		close(fd);
		goto out;
	}
	/* For people: who holds it. The lock is what counts. */
	snprintf(note, sizeof(note), "%d %s\n", (int)getpid(), id);
	if (write(fd, note, strlen(note)) < 0)
		warn("write %s/%s", IDPOOL_DIR, name);
	r->fd = fd;
	/* Not --rm: the range stays the container's while its record
	 * exists, running or not (its files on disk are owned by it), so
	 * the next run of it (start) gets it back. Made now, so a kill -9
	 * cannot lose it. */
	strcat(name, ".kept");
	if (keep && (fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC |
					      O_NOFOLLOW | O_CLOEXEC,
				 0600)) >= 0) {
		if (write(fd, keep, strlen(keep)) < 0)
			warn("write %s/%s", IDPOOL_DIR, name);
		close(fd);
	}
out:
	pool_unlock(dirfd);
	return r->fd >= 0 ? 0 : -1;
}

void userns_give_range(struct userns_range *r)
{
	char name[16];
	int dirfd;

	if (r->fd < 0)
		return;
	/* Removed before it is unlocked: a file nobody locks is free to be
	 * removed by anyone, even after someone else has made it again. */
	snprintf(name, sizeof(name), "%u", r->first);
	dirfd = pool_lock();
	if (dirfd >= 0) {
		unlinkat(dirfd, name, 0);
		pool_unlock(dirfd);
	}
	close(r->fd);
	r->fd = -1;
}

void userns_forget_range(unsigned first)
{
	char name[24];
	int dirfd;

	if (!first)
		return;
	snprintf(name, sizeof(name), "%u.kept", first);
	dirfd = pool_lock();
	if (dirfd >= 0) {
		unlinkat(dirfd, name, 0);
		pool_unlock(dirfd);
	}
}

int userns_idmap_image(int image_fd, pid_t child)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP};
	char path[64];
	int ns;

	/* The child's user namespace: its maps say who the host's ids are
	 * inside, and an idmapped mount applies them to every file the
	 * mount shows (uid 0 on disk: the container's root, so host id
	 * FIRST). A mount takes its idmap once, for good: so only now that
	 * the maps are written. */
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0) {
		warn("%s", path);
		return -1;
	}
	attr.userns_fd = ns;
	if (mount_setattr(image_fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) <
	    0)
		/* Linux < 5.12 (ENOSYS), or an image on a filesystem that
		 * cannot be idmapped (EINVAL): nfs, overlayfs (an image
		 * inside a docker container), tmpfs before Linux 6.3. The
		 * container still runs, as it did before idmapped mounts. */
		warnx("--userns: warning: the image cannot be idmapped "
		      "(mount_setattr: %s), so inside its files belong to "
		      "nobody and none can be changed, not even in /tmp "
		      "(this needs Linux 5.19 and a filesystem such as ext4, "
		      "xfs or btrfs; tmpfs from Linux 6.3)",
		      strerror(errno));
	close(ns);
	return 0;
}
