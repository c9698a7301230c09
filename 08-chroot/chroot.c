/*
 * 08-chroot/chroot.c - a root filesystem of its own: chroot(2), and why
 * containers use pivot_root(2) instead.
 *
 * Claim: the command sees ROOTFS as "/" (ls / lists it, a host file is
 *        unreachable) and cannot tell: its /proc/self/root is "/". After
 *        chroot(2) a root process escapes back to the host's files; after
 *        --pivot (pivot_root(2), old root detached) the same escape stops
 *        at the container's root.   (tested in tests/08-chroot.bats)
 * Uses:  07-cgroups and everything below it; 04-mount's private mount
 *        namespace (pivot_root needs it) and its /proc, which 04 (and 06
 *        /sys) mount inside ROOTFS between our two hooks: child_root
 *        names the new root, child_enter switches to it.
 * Read:  chroot(2), pivot_root(2), umount2(2), mount_namespaces(7)
 *
 * chroot(2) only changes where the kernel starts resolving "/" for this
 * process (and where ".." stops). Everything else stays: the mount tree
 * still holds the host's root, and a process that can call chroot() again
 * walks back to it (see escape.c). pivot_root(2) changes the mount tree
 * itself: the new root becomes the root mount of our mount namespace, the
 * old root is moved aside, and once we detach it nothing of the host is
 * left in the tree to walk back to.
 */
#include "chroot.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <limits.h>
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *rootfs;
static bool use_pivot;

/* True when dir has no entry but . and .. (it can be read). */
static bool is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return false;
	while (empty && (e = readdir(d)))
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	return empty;
}

int chroot_check_rootfs(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		warnx("ROOTFS '%s': %s%s", dir, strerror(errno),
		      errno == ENOENT ? " (build one with `make rootfs`)" : "");
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("ROOTFS '%s' is not a directory: give the directory "
		      "that is to become \"/\"",
		      dir);
		return -1;
	}
	if (is_empty(dir)) {
		warnx("ROOTFS '%s' is empty: nothing could run in it (build "
		      "one with `make rootfs`)",
		      dir);
		return -1;
	}
	return 0;
}

/* --pivot needs a root other than the one we have: pivot_root(2) moves
 * the current root under the new one, and "/" cannot go under itself
 * (EBUSY, after everything else was set up). Checked once every option
 * is in. */
static int chroot_check(void)
{
	char real[PATH_MAX];

	if (use_pivot && realpath(rootfs, real) && strcmp(real, "/") == 0) {
		warnx("--pivot: ROOTFS '%s' is the host's own /: pivot_root "
		      "needs another directory to become \"/\"",
		      rootfs);
		return -1;
	}
	return 0;
}

int chroot_enter(const char *root)
{
	if (chroot(root) < 0) {
		warn("chroot %s", root);
		return -1;
	}
	/* chroot() leaves the working directory where it was, outside the
	 * new root; move it in, or the command starts outside already. */
	if (chdir("/") < 0) {
		warn("chdir / in %s", root);
		return -1;
	}
	return 0;
}

/* glibc has no pivot_root() wrapper. */
static int pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/* Is path the root of a mount? statx() tells since Linux 5.8. */
static bool is_mount_point(const char *path)
{
	struct statx stx;

	return statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

int chroot_make_mount_point(const char *root)
{
	/* A bind mount of root onto itself makes it a mount point (MS_REC
	 * keeps mounts under it). An overlay (09, 10) already is one, and
	 * saves the extra mount. */
	if (!is_mount_point(root) &&
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0) {
		warn("bind mount %s onto itself", root);
		return -1;
	}
	return 0;
}

int chroot_pivot(const char *root)
{
	/* pivot_root() wants new_root to be a mount point. */
	if (chroot_make_mount_point(root) < 0)
		return -1;
	if (chdir(root) < 0) {
		warn("chdir %s", root);
		return -1;
	}
	/* pivot_root(".", "."): new_root and put_old may be the same
	 * directory (pivot_root(2), NOTES). The old root ends up stacked on
	 * top of the new one at "/", so no put-old directory has to be made
	 * inside the rootfs, which may be read-only or shared with other
	 * containers. It fails with EINVAL if a mount involved is shared:
	 * 04-mount made ours private first. */
	if (pivot_root(".", ".") < 0) {
		warn("pivot_root %s", root);
		return -1;
	}
	/* Detach the old root and every mount under it. MNT_DETACH because
	 * it is busy (our own cwd was in it a moment ago); from now on it is
	 * not reachable by any path, not even "..". */
	if (umount2(".", MNT_DETACH) < 0) {
		warn("detach the old root");
		return -1;
	}
	if (chdir("/") < 0) {
		warn("chdir / in %s", root);
		return -1;
	}
	return 0;
}

static int set_rootfs(const char *value)
{
	if (chroot_check_rootfs(value) < 0)
		return -1;
	rootfs = value;
	return 0;
}

/* In the child, after 04-mount made the mount namespace private: name
 * the new root, so that 04 and 06 mount /proc and /sys inside it, and
 * give it a /dev of its own (dev.c). For
 * --pivot, make it a mount point now, so that they are mounted on the
 * mount that will be "/" (a bind made later would copy them onto it). */
static int chroot_child_root(void)
{
	if (use_pivot && chroot_make_mount_point(rootfs) < 0)
		return -1;
	/* On that mount too: a /dev of our own, before anything runs. */
	if (chroot_mount_dev(rootfs) < 0)
		return -1;
	lesson_root = rootfs;
	return 0;
}

/* Last, with /proc and /sys mounted inside: the switch. Not earlier: in
 * a user namespace (05) they could not be mounted once the host's are
 * out of sight, and pivot_root takes them out. */
static int chroot_child_enter(void)
{
	return use_pivot ? chroot_pivot(rootfs) : chroot_enter(rootfs);
}

static const struct lesson_option chroot_options[] = {
	{"pivot", 0, NULL, "pivot_root(2) and detach the old root (no escape)",
	 NULL, &use_pivot},
	{0},
};

const struct lesson chroot_lesson = {
	.name = "08-chroot",
	.summary = "run a command with ROOTFS as its root: chroot(2), or "
		   "pivot_root(2) with --pivot",
	.prev = &cgroups_lesson,
	.options = chroot_options,
	.positional = "ROOTFS",
	.set_positional = set_rootfs,
	.check = chroot_check,
	.child_root = chroot_child_root,
	.child_enter = chroot_child_enter,
};
