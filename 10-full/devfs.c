/*
 * 10-full/devfs.c - a /dev with six device nodes, and nothing else that
 * opens. (/proc and /sys: procfs.c.)
 *
 * Claim: inside the container /dev holds only null zero full random
 *        urandom tty, pts/ptmx, shm, mqueue and the fd links, and a device
 *        node the image or a volume brings cannot be opened.
 *        (tested in tests/10-full.bats)
 * Uses:  nothing but libc; called by child.c between overlay_mount() (09)
 *        and chroot_pivot() (08), around mount_proc() (04)
 * Read:  mount(2), proc(5), sysfs(5), Documentation/filesystems/devpts.rst,
 *        the OCI runtime spec (config-linux.md: default devices,
 *        maskedPaths, readonlyPaths)
 *
 * Everything here happens in the container's own mount namespace, before
 * pivot_root, on paths inside the new root: the host's /dev is still
 * reachable, so its nodes can be bind-mounted in. Nothing is undone on
 * failure: these mounts die with the namespace when the child exits.
 *
 * /dev. The host's /dev holds every disk, /dev/mem, /dev/kmsg... A
 * container gets a fresh tmpfs instead, with the six nodes programs
 * expect. They are bind mounts of the host's nodes, not mknod(2): a
 * rootless container (05-user) may not create device nodes, and neither
 * may a rootful one once CAP_MKNOD is gone (harden.c). But a node need not
 * be made inside to be there: an image unpacked by root can carry one
 * (b 8 0, the host's first disk), and so can a volume. Docker's device
 * cgroup refuses to open those; we have none, so before /dev is built
 * every mount under the new root (the overlay, the volumes) is made
 * nodev, and the /dev tmpfs is nodev too. The six binds come after, as
 * mounts of their own: they are the only device nodes that open. The
 * terminals get their own devpts instance ("newinstance"), so the
 * container sees its own ptys and not the host's; /dev/ptmx points into it.
 */
#include "devfs.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Puts dir/name into buf (PATH_MAX). Returns 0, or -1 if too long. */
int devfs_join(char *buf, const char *dir, const char *name)
{
	if (snprintf(buf, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX) {
		warnx("%s/%s: path too long", dir, name);
		return -1;
	}
	return 0;
}

/* Makes path a directory if it is missing, and refuses a symlink: an
 * image could point /dev or /sys anywhere in the host's tree, which is
 * still the root until pivot_root. Returns 0 or -1. */
int devfs_need_dir(const char *path, mode_t mode)
{
	struct stat st;

	if (mkdir(path, mode) < 0 && errno != EEXIST) {
		warn("mkdir %s", path);
		return -1;
	}
	if (lstat(path, &st) < 0) {
		warn("%s", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("%s: not a directory (a symlink in the image?)", path);
		return -1;
	}
	return 0;
}

int devfs_do_mount(const char *src, const char *dst, const char *type,
		    unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data) < 0) {
		warn("mount %s on %s", type ? type : src, dst);
		return -1;
	}
	return 0;
}

/* Makes the mount at path read-only, keeping its other flags: in a user
 * namespace the flags of a mount that came from the host are locked, and
 * a remount that left one out would be refused. Returns 0 or -1. */
int devfs_remount_readonly(const char *path)
{
	struct statvfs sv;
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;

	if (statvfs(path, &sv) < 0) {
		warn("statvfs %s", path);
		return -1;
	}
	flags |= (sv.f_flag & ST_NOSUID ? MS_NOSUID : 0) |
		 (sv.f_flag & ST_NODEV ? MS_NODEV : 0) |
		 (sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0) |
		 (sv.f_flag & ST_NOATIME ? MS_NOATIME : 0) |
		 (sv.f_flag & ST_NODIRATIME ? MS_NODIRATIME : 0) |
		 (sv.f_flag & ST_RELATIME ? MS_RELATIME : 0);
	if (mount(NULL, path, NULL, flags, NULL) < 0) {
		warn("make %s read-only", path);
		return -1;
	}
	return 0;
}

/* Makes every mount under the directory that holds dev (the new root:
 * the overlay and the volumes in it) nodev, recursively. Returns 0 or -1. */
static int forbid_devices_under(const char *dev)
{
	struct mount_attr nodev = {.attr_set = MOUNT_ATTR_NODEV};
	char root[PATH_MAX];
	struct statx stx;
	char *slash;

	if (snprintf(root, sizeof(root), "%s", dev) >= (int)sizeof(root) ||
	    !(slash = strrchr(root, '/')) || slash == root) {
		warnx("%s: expected ROOT/dev", dev);
		return -1;
	}
	*slash = '\0';
	/* Not a mount point, the flag would land on the mount holding it:
	 * the host's tree as this namespace sees it. */
	if (statx(AT_FDCWD, root, 0, 0, &stx) < 0) {
		warn("%s", root);
		return -1;
	}
	if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
		warnx("%s: not a mount point (mount the new root first)", root);
		return -1;
	}
	if (mount_setattr(AT_FDCWD, root, AT_RECURSIVE, &nodev,
			  sizeof(nodev)) < 0) {
		warn("make the mounts under %s nodev", root);
		return -1;
	}
	return 0;
}

static const char *const dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty",
};

static const struct {
	const char *name, *target;
} dev_links[] = {
	{ "ptmx", "pts/ptmx" },		 { "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },	 { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

int devfs_mount(const char *dev)
{
	char path[PATH_MAX], host[PATH_MAX];
	size_t i;
	int fd;

	if (forbid_devices_under(dev) < 0 || devfs_need_dir(dev, 0755) < 0 ||
	    devfs_do_mount("tmpfs", dev, "tmpfs", NOSUID_NODEV_NOEXEC,
		     "mode=755,size=65536k") < 0)
		return -1;
	for (i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
		/* A bind mount needs a file to land on. */
		if (devfs_join(path, dev, dev_nodes[i]) < 0 ||
		    devfs_join(host, "/dev", dev_nodes[i]) < 0)
			return -1;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			warn("create %s", path);
			return -1;
		}
		close(fd);
		if (devfs_do_mount(host, path, NULL, MS_BIND, NULL) < 0)
			return -1;
	}

	/* gid=5 is the tty group of most images; a user namespace that
	 * does not map it refuses the option, so try again without. */
	if (devfs_join(path, dev, "pts") < 0 || devfs_need_dir(path, 0755) < 0)
		return -1;
	if (mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0 &&
	    devfs_do_mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		     "newinstance,ptmxmode=0666,mode=0620") < 0)
		return -1;

	if (devfs_join(path, dev, "shm") < 0 || devfs_need_dir(path, 01777) < 0 ||
	    devfs_do_mount("shm", path, "tmpfs", NOSUID_NODEV_NOEXEC,
		     "mode=1777,size=65536k") < 0)
		return -1;
	/* mqueue shows the queues of the IPC namespace of whoever mounts
	 * it: ours, since 02-ipc. */
	if (devfs_join(path, dev, "mqueue") < 0 || devfs_need_dir(path, 0755) < 0 ||
	    devfs_do_mount("mqueue", path, "mqueue", NOSUID_NODEV_NOEXEC, NULL) < 0)
		return -1;

	for (i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
		if (devfs_join(path, dev, dev_links[i].name) < 0)
			return -1;
		if (symlink(dev_links[i].target, path) < 0) {
			warn("symlink %s", path);
			return -1;
		}
	}
	return 0;
}
