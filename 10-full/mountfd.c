/*
 * 10-full/mountfd.c - mount on a file descriptor, never on a path string.
 *
 * Claim: what resolve.c opened is exactly what gets mounted on, even if a
 *        name on the way is swapped for a symlink in between.
 *        (tested in tests/10-full-mounts.bats)
 * Uses:  resolve.c (the fds), the host's /proc (before pivot_root)
 * Read:  open_tree(2), move_mount(2), mount_setattr(2), proc(5)
 *        (/proc/PID/fd), statfs(2)
 *
 * An fd names one file on one mount; the kernel never looks its path up
 * again. Two ways to mount on one:
 *   - a bind: open_tree(src, OPEN_TREE_CLONE) makes a detached copy of
 *     the source's mount, mount_setattr() sets its flags (read-only...)
 *     while nothing can see it yet, and move_mount(MOVE_MOUNT_T_EMPTY_PATH)
 *     attaches it on the target fd (Linux 5.2; mount_setattr 5.12).
 *   - a new filesystem: mount(2) on "/proc/self/fd/N". That path is a
 *     "magic link": the kernel does not resolve it by name, it jumps to
 *     the file the fd holds. runc mounts this way since CVE-2021-30465
 *     (its "procfd" mounts); it keeps mount(2)'s option strings as they
 *     are (fsopen(2)/fsconfig(2) would need them taken apart). The
 *     /proc used is the host's, which the container cannot touch: this
 *     runs before pivot_root, before the container's own /proc exists.
 */
#include "resolve.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

const char *mountfd_path(char *buf, int fd)
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

int mountfd_new(int dst, const char *src, const char *type, unsigned long flags,
		const char *data, const char *what)
{
	char path[32];

	if (mount(src, mountfd_path(path, dst), type, flags, data) < 0) {
		warn("mount %s on %s", type, what);
		return -1;
	}
	return 0;
}

int mountfd_setattr(int fd, unsigned int attr, int recursive, const char *what)
{
	struct mount_attr set = {.attr_set = attr};

	/* Changes only the flags asked for: a remount with MS_RDONLY would
	 * also clear nosuid/nodev, which a user namespace may not do. */
	if (mount_setattr(fd, "",
			  AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &set,
			  sizeof(set)) < 0) {
		warn("set the flags of %s", what);
		return -1;
	}
	return 0;
}

int mountfd_bind(int src, int dst, unsigned int attr, int recursive,
		 const char *what)
{
	int tree, ret = -1;

	tree = open_tree(src, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
			     (recursive ? AT_RECURSIVE : 0));
	if (tree < 0) {
		warn("bind on %s: copy the source", what);
		return -1;
	}
	if (attr && mountfd_setattr(tree, attr, recursive, what) < 0)
		goto out;
	if (move_mount(tree, "", dst, "",
		       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		warn("bind on %s", what);
		goto out;
	}
	ret = 0;
out:
	close(tree);
	return ret;
}

int mountfd_reopen(int rootfd, const char *path, long magic, const char *what)
{
	struct statfs sf;
	struct statx stx;
	int fd = resolve_in_root(rootfd, path, IN_ROOT_NO_SYMLINKS);

	if (fd < 0) {
		warn("%s", what);
		return -1;
	}
	/* What we mounted must be what the path now leads to: another
	 * filesystem or a directory inside one means the name was
	 * changed under us. */
	if (fstatfs(fd, &sf) < 0 || statx(fd, "", AT_EMPTY_PATH, 0, &stx) < 0) {
		warn("%s", what);
		goto bad;
	}
	/* f_type is a long in glibc, an unsigned long in musl. */
	if ((magic && (unsigned long)sf.f_type != (unsigned long)magic) ||
	    ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	     !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))) {
		warnx("%s: not the filesystem just mounted there", what);
		goto bad;
	}
	return fd;
bad:
	close(fd);
	return -1;
}
