/*
 * 10-full/devfs.c - a /dev with six device nodes, and nothing else that
 * opens. (/proc and /sys: procfs.c.)
 *
 * Claim: inside the container /dev holds only null zero full random
 *        urandom tty, pts/ptmx, shm, mqueue and the fd links, and a device
 *        node the image or a volume brings cannot be opened.
 *        (tested in tests/10-full.bats)
 * Uses:  resolve.c and mountfd.c (every target opened inside the root,
 *        mounted through its fd); called by child.c between
 *        overlay_mount() (09) and chroot_pivot() (08)
 * Read:  mount(2), proc(5), sysfs(5), Documentation/filesystems/devpts.rst,
 *        the OCI runtime spec (config-linux.md: default devices,
 *        maskedPaths, readonlyPaths)
 *
 * Everything here happens in the container's own mount namespace, before
 * pivot_root, inside the new root: the host's /dev is still reachable, so
 * its nodes can be bind-mounted in. No target is a path string: /dev is
 * opened in the root by resolve.c (a symlink there is refused, as runc
 * refuses one at /proc or /sys: an image could point it at the host's
 * tree, which is still "/" until pivot_root), and what goes in it is made
 * relative to the fd of the fresh tmpfs. Nothing is undone on failure:
 * these mounts die with the namespace when the child exits.
 *
 * /dev. The host's /dev holds every disk, /dev/mem, /dev/kmsg... A
 * container gets a fresh tmpfs instead, with the six nodes programs
 * expect. But a node need not be made inside to be there: an image
 * unpacked by root can carry one (b 8 0, the host's first disk), and so
 * can a volume. Docker's device cgroup refuses to open those; we have
 * none, so before /dev is built every mount under the new root (the
 * overlay, the volumes) is made nodev. The six nodes then come two ways:
 *  - as root (the host's, no user namespace): made here with mknod(2),
 *    as runc makes them, in a /dev tmpfs that is not nodev. Nothing
 *    else can ever be a device node there: making one needs CAP_MKNOD,
 *    which the container never has (harden.c: not even in its bounding
 *    set), and a node from another mount cannot be linked or renamed in
 *    (EXDEV). Six mounts fewer to make, and to tear down at the end,
 *    than binds: 0.06 ms of every start (README, "Speed").
 *  - in a user namespace (rootless, --userns), where mknod is refused:
 *    read-only bind mounts of the host's nodes, each a mount of its own,
 *    on a nodev tmpfs (the kernel makes a tmpfs mounted there nodev
 *    anyway).
 * Either way the six are the only device nodes that open. The
 * terminals get their own devpts instance ("newinstance"), so the
 * container sees its own ptys and not the host's; /dev/ptmx points into it.
 */
#include "devfs.h"
#include "resolve.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The most ptys a container may hold at once: a third of what the host
 * lends all devpts instances but its own (devpts.rst). */
#define PTYS_MAX "max=1024"

int devfs_mount_point(int rootfd, const char *name)
{
	struct stat st;
	int fd = resolve_in_root(rootfd, name,
				 IN_ROOT_MKDIR | IN_ROOT_NO_SYMLINKS);

	if (fd < 0 && errno == ELOOP) {
		warnx("/%s in the image is a symlink: the runtime mounts its "
		      "own /%s there, and needs a directory (or nothing)",
		      name, name);
		return -1;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		warn("/%s", name);
		goto bad;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("/%s in the image is not a directory: the runtime "
		      "mounts its own /%s there",
		      name, name);
		goto bad;
	}
	return fd;
bad:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Makes every mount under the new root (the overlay and the volumes in
 * it) nodev, recursively. Returns 0 or -1. */
static int forbid_devices_under(int rootfd)
{
	struct statx stx;

	/* Not a mount point, the flag would land on the mount holding it:
	 * the host's tree as this namespace sees it. */
	if (statx(rootfd, "", AT_EMPTY_PATH, 0, &stx) < 0) {
		warn("the new root");
		return -1;
	}
	if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
		warnx("the new root is not a mount point (mount it first)");
		return -1;
	}
	return mountfd_setattr(rootfd, MOUNT_ATTR_NODEV, 1,
			       "the mounts under the new root (nodev)");
}

static void close_if_open(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Makes the directory name in dev (our fresh tmpfs) and opens it. */
static int subdir(int dev, const char *name)
{
	int fd = -1;

	if (mkdirat(dev, name, 0755) == 0)
		fd = openat(dev, name,
			    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		warn("/dev/%s", name);
	return fd;
}

/* /dev/name: an empty file in dev, and the host's node bound on it,
 * read-only: the inode is the host's, and a writable bind would let root
 * inside set its times (its mode and owner need CAP_FOWNER over it, which
 * a user namespace's root has not). The device itself still reads and
 * writes through a read-only mount. */
static int bind_node(int dev, const char *name)
{
	char what[PATH_MAX], host[PATH_MAX];
	int src, dst, ret;

	snprintf(what, sizeof(what), "/dev/%s", name);
	/* The host's node: "/" is still the host's, and ours to trust. */
	snprintf(host, sizeof(host), "/dev/%s", name);
	src = open(host, O_PATH | O_CLOEXEC);
	if (src < 0) {
		warn("%s", host);
		return -1;
	}
	/* A bind mount needs a file to land on: made in our tmpfs, and
	 * the bind attached through its fd, never through a path. */
	dst = openat(dev, name,
		     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (dst < 0) {
		warn("%s", what);
		close(src);
		return -1;
	}
	ret = mountfd_bind(src, dst, MOUNT_ATTR_RDONLY, 0, what);
	close(dst);
	close(src);
	return ret;
}

/* The six, with their numbers (the kernel's Documentation/admin-guide/
 * devices.txt: they never change). */
static const struct {
	const char *name;
	unsigned major, minor;
} dev_nodes[] = {
	{ "null", 1, 3 },    { "zero", 1, 5 },	  { "full", 1, 7 },
	{ "random", 1, 8 },  { "urandom", 1, 9 }, { "tty", 5, 0 },
};

/* /dev/name as a node of our own, rw for all (as the host's are), in
 * dev. Returns 0, or -1 with errno set (EPERM: not allowed here). */
static int make_node(int dev, int i)
{
	const char *name = dev_nodes[i].name;

	/* The mode, whatever our umask, and no path: dev is our tmpfs. */
	if (mknodat(dev, name, S_IFCHR | 0666,
		    makedev(dev_nodes[i].major, dev_nodes[i].minor)) < 0)
		return -1;
	return fchmodat(dev, name, 0666, 0);
}

static const struct {
	const char *name, *target;
} dev_links[] = {
	{ "ptmx", "pts/ptmx" },		 { "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },	 { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

int devfs_mount(int rootfd, bool make_nodes)
{
	int dir = -1, dev = -1, pts = -1, shm = -1, mq = -1, ret = -1;
	char path[32];
	size_t i;

	if (forbid_devices_under(rootfd) < 0)
		return -1;
	dir = devfs_mount_point(rootfd, "dev");
	/* Not nodev where we make the nodes: see above. */
	if (dir < 0 ||
	    mountfd_new(dir, "tmpfs", "tmpfs",
			make_nodes ? MS_NOSUID | MS_NOEXEC : NOSUID_NODEV_NOEXEC,
			"mode=755,size=65536k", "/dev") < 0)
		goto out;
	/* From here on, everything is made relative to the tmpfs's own
	 * root: nothing of the image is left to lead anywhere. */
	dev = mountfd_reopen(rootfd, "dev", TMPFS_MAGIC, "/dev");
	if (dev < 0)
		goto out;
	for (i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
		/* Root in a user namespace of someone else's making (a
		 * runtime nested in one) may not mknod either: binds then. */
		if (make_nodes && make_node(dev, i) == 0)
			continue;
		if (make_nodes && errno != EPERM) {
			warn("mknod /dev/%s", dev_nodes[i].name);
			goto out;
		}
		make_nodes = false;
		if (bind_node(dev, dev_nodes[i].name) < 0)
			goto out;
	}

	/* gid=5 is the tty group of most images; a user namespace that
	 * does not map it refuses the option, so try again without.
	 * max: the ptys every devpts but the host's first share are 3072
	 * (kernel.pty.max 4096 less kernel.pty.reserve 1024): one container
	 * took them all, and -t failed for every other (ENOSPC). */
	if ((pts = subdir(dev, "pts")) < 0)
		goto out;
	if (mount("devpts", mountfd_path(path, pts), "devpts",
		  MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620,gid=5," PTYS_MAX) < 0 &&
	    mountfd_new(pts, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
			"newinstance,ptmxmode=0666,mode=0620," PTYS_MAX,
			"/dev/pts") < 0)
		goto out;

	if ((shm = subdir(dev, "shm")) < 0 ||
	    mountfd_new(shm, "shm", "tmpfs", NOSUID_NODEV_NOEXEC,
			"mode=1777,size=65536k", "/dev/shm") < 0)
		goto out;
	/* mqueue shows the queues of the IPC namespace of whoever mounts
	 * it: ours, since 02-ipc. */
	if ((mq = subdir(dev, "mqueue")) < 0 ||
	    mountfd_new(mq, "mqueue", "mqueue", NOSUID_NODEV_NOEXEC, NULL,
			"/dev/mqueue") < 0)
		goto out;

	for (i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0) {
			warn("symlink /dev/%s", dev_links[i].name);
			goto out;
		}
	ret = 0;
out:
	close_if_open(mq);
	close_if_open(shm);
	close_if_open(pts);
	close_if_open(dev);
	close_if_open(dir);
	return ret;
}
