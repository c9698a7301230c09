/*
 * 10-full/layers.c - inside the container's mount namespace: the
 * directories its root filesystem is assembled from.
 *
 * Claim: the writable layer (upper/, work/) is on the disk of the data
 *        root; only the init layer and the mount point of the root are
 *        in memory, on a tmpfs of at most 4 MiB that the host never sees
 *        (mounted on ROOT/empty, in the container's namespace only).
 *        (tested in tests/10-full-disk.bats)
 * Uses:  state.c (the container's dir), selfexec.h (ROOT/empty);
 *        09-overlay mounts these.
 * Read:  tmpfs(5) (size=, nr_inodes=), overlayfs (upperdir, workdir)
 *
 * The init layer is Docker's answer to a small puzzle (notes:
 * Namespaces, cgroups and image layers, "Init层"). /etc/hostname, /etc/hosts
 * and /etc/resolv.conf belong to the image, yet each container needs its
 * own: its hostname, its network. Writing them into the image would change
 * it for every other container; writing them into the writable layer would
 * make them part of what `docker commit` saves. So they get a thin layer of
 * their own, read-only, stacked just above the image: lowerdir=init:ROOTFS.
 */
#include "selfexec.h"
#include "state.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* init/ holds three small files (a copy of the host's /etc/hosts with
 * --net host), merged/ is a mount point: a bound is all the tmpfs needs,
 * and with a bound a container cannot grow it. */
#define LAYERS_TMPFS "mode=0700,size=4m,nr_inodes=64"

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

/* mkdir each of dirs in dirfd (named below dir, for messages). */
static int make(int dirfd, const char *dir, const char *const *dirs, int n)
{
	for (int i = 0; i < n; i++)
		if (mkdirat(dirfd, dirs[i], 0755) < 0) {
			warn("mkdir %s/%s", dir, dirs[i]);
			return -1;
		}
	return 0;
}

/* `start`: the layers are there from the last run. overlayfs left
 * work/work/incompat/volatile in them (the "volatile" option: no sync),
 * and refuses to mount them again while it is there, since after a crash
 * the upper dir may be torn. The container stopped in this boot (rm.c,
 * cmd_start, checks the boot), so the page cache holds every write: the
 * mark may go, with the rest of overlayfs's scratch dir. Returns 0, or -1
 * after saying why. */
static int unvolatile(int dirfd, const char *dir)
{
	/* overlayfs makes work/work afresh at every mount. */
	if (state_remove_tree(dirfd, "work/work") < 0) {
		warnx("%s/work: cannot clear it for the next run", dir);
		return -1;
	}
	return 0;
}

/* The init layer's three files in init/etc of dirfd. */
static int write_init(int fd, const char *hostname, bool net_host)
{
	char text[256];

	snprintf(text, sizeof(text), "%s\n", hostname);
	if (write_file(fd, "init/etc/hostname", text, NULL) < 0)
		return -1;
	/* With the host's network, the host's names and name servers are
	 * the right ones; in a network namespace of its own (only lo),
	 * the container knows itself and nothing else. */
	if (net_host) {
		if (write_file(fd, "init/etc/hosts", NULL, "/etc/hosts") < 0 ||
		    write_file(fd, "init/etc/resolv.conf", NULL,
			       "/etc/resolv.conf") < 0)
			return -1;
		return 0;
	}
	snprintf(text, sizeof(text),
		 "127.0.0.1\tlocalhost\n"
		 "::1\tlocalhost ip6-localhost ip6-loopback\n"
		 "127.0.1.1\t%s\n",
		 hostname);
	if (write_file(fd, "init/etc/hosts", text, NULL) < 0 ||
	    write_file(fd, "init/etc/resolv.conf",
		       "# --net none: only lo, so no name servers\n", NULL) < 0)
		return -1;
	return 0;
}

int state_make_layers(const struct state *st, const char *hostname,
		      bool net_host)
{
	static const char *const on_disk[] = {"upper", "work"};
	static const char *const in_memory[] = {"init", "init/etc", "merged"};
	char mnt[PATH_MAX];
	int fd, ret = -1;

	/* Made by the container's root (us), on the disk under the data
	 * root: what the container writes costs disk, as in docker, and a
	 * full disk is ENOSPC inside, never the host's memory. */
	fd = open(st->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		warnx("%s: the container's root, a host user of its own "
		      "(--userns), cannot reach it: every directory above it "
		      "must be searchable by others (chmod o+x), as /var/lib "
		      "is", st->dir);
		return -1;
	}
	if (fd < 0) {
		warn("%s", st->dir);
		return -1;
	}
	if (st->restart ? unvolatile(fd, st->dir) < 0
			: !st->spared && make(fd, st->dir, on_disk, 2) < 0)
		goto out;
	close(fd);

	/* The rest is small and lives as long as the container: a tmpfs
	 * with a bound, in our mount namespace only, gone with it. Its
	 * mount point is the data root's empty/, which every container
	 * shares, each in a namespace of its own: one directory less to
	 * make and remove on the disk at every run (selfexec.h). */
	snprintf(mnt, sizeof(mnt), "%s/%s", st->root, SELFEXEC_EMPTY);
	if (mount("tmpfs", mnt, "tmpfs", 0, LAYERS_TMPFS) < 0) {
		warn("mount tmpfs on %s", mnt);
		return -1;
	}
	fd = open(mnt, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", mnt);
		return -1;
	}
	if (make(fd, mnt, in_memory, 3) == 0 &&
	    write_init(fd, hostname, net_host) == 0)
		ret = 0;
out:
	close(fd);
	return ret;
}
