/*
 * 09-overlay/overlay.c - image layers: an overlayfs of read-only layers
 * and one writable layer becomes the container's root.
 *
 * Claim: the command's "/" is the union of the layers and the rootfs,
 *        the top-most copy of a name winning; whatever it writes lands in
 *        the upper dir only (copy-up), deletions become whiteouts (0/0
 *        character devices) and a directory deleted then made again is
 *        opaque. The lower layers and the rootfs are never modified, and
 *        nothing stays mounted.   (tested in tests/09-overlay.bats)
 * Uses:  08-chroot (chroot_pivot, chroot_check_rootfs, chroot_mount_dev;
 *        not its lesson: its hooks would make the bare rootfs the root),
 *        07-cgroups and below (the chain), 04-mount (the private mount
 *        namespace we mount in, and /proc, mounted inside the overlay
 *        before we pivot into it).
 * Read:  Documentation/filesystems/overlayfs.rst, mount(2), statfs(2)
 *
 *   lowerdir=L1:L2:...:ROOTFS   read-only, L1 on top; ROOTFS at the bottom
 *   upperdir=UPPER              writable: every change of the container
 *   workdir=UPPER.work-PID      overlayfs's scratch space, on UPPER's fs
 *
 * This is what docker's overlay2 driver mounts for every container (see
 * What is a container, really: lowerdir=.../snapshots/3/fs:.../2/fs:.../1/fs).
 * The mount is made by the child, inside its private mount namespace, on a
 * directory the parent made; it disappears with the namespace.
 */
#include "overlay.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layers.h"

static const char *rootfs_opt, *layers_opt, *upper_opt;
static bool want_diff, started;
static struct overlay_dirs dirs;

/* True when we run in a user namespace other than the initial one: its
 * uid_map is not the identity over all 2^32 ids. */
static bool in_user_namespace(void)
{
	unsigned inside, outside, count;
	bool child_ns = false;
	FILE *f = fopen("/proc/self/uid_map", "r");

	if (!f)
		return false;
	if (fscanf(f, "%u %u %u", &inside, &outside, &count) == 3)
		child_ns = !(inside == 0 && outside == 0 && count == UINT_MAX);
	fclose(f);
	return child_ns;
}

int overlay_mount(const char *lowerdirs, const char *upper, const char *work,
		  const char *target, const char *extra)
{
	char data[OVERLAY_MAX_OPTIONS];
	int n;

	/* Inside a user namespace the kernel will not let us set trusted.*
	 * xattrs: userxattr makes overlayfs keep its own (the opaque mark,
	 * ...) in user.overlay.* instead (Linux 5.11). */
	n = snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s%s%s%s",
		     lowerdirs, upper, work,
		     in_user_namespace() ? ",userxattr" : "", extra ? "," : "",
		     extra ? extra : "");
	if (n < 0 || (size_t)n >= sizeof(data)) {
		warnx("overlay options are %d bytes, mount(2) takes at most %zu: "
		      "use fewer layers or shorter paths",
		      n, sizeof(data) - 1);
		return -1;
	}
	if (mount("overlay", target, "overlay", 0, data) < 0) {
		warnx("mount overlay on %s (lowerdir=%s, upperdir=%s): %s%s",
		      target, lowerdirs, upper, strerror(errno),
		      errno == EINVAL ? " (the kernel log, dmesg, says why)" : "");
		return -1;
	}
	return 0;
}

static int set_rootfs(const char *value)
{
	rootfs_opt = value;
	return 0;
}

static int set_layers(const char *value)
{
	layers_opt = value;
	return 0;
}

static int set_upper(const char *value)
{
	upper_opt = value;
	return 0;
}

/* All options are known here: check every path before anything exists. */
static int overlay_check(void)
{
	if (!upper_opt) {
		warnx("--upper DIR is missing: the writable layer, e.g. an "
		      "empty directory");
		return -1;
	}
	if (overlay_plan(rootfs_opt, layers_opt, upper_opt, &dirs) < 0)
		return -1;
	/* Held until we exit (or die): a second run is refused here. */
	return overlay_lock_upper(dirs.upper);
}

/* Parent: the work dir (next to upper, so on its filesystem) and the
 * mount point. Both are empty directories, removed by cleanup, or here if
 * we fail (the framework runs cleanup only for hooks that succeeded). */
static int overlay_prepare(void)
{
	overlay_sweep(&dirs); /* what a killed run left: gone first */
	if (mkdir(dirs.work, 0700) < 0) {
		if (errno == EACCES)
			warnx("mkdir %s: permission denied: the work dir goes "
			      "next to --upper, on its filesystem, so the "
			      "directory that holds --upper must be writable "
			      "by you", dirs.work);
		else
			warn("mkdir %s", dirs.work);
		goto bad;
	}
	dirs.made_work = true;
	if (mkdir(dirs.merged, 0755) < 0) {
		warn("mkdir %s", dirs.merged);
		goto bad;
	}
	dirs.made_merged = true;
	return 0;
bad:
	overlay_unplan(&dirs);
	return -1;
}

static int overlay_parent(pid_t child)
{
	(void)child;
	started = true; /* from now on the upper dir may change */
	return 0;
}

/* Child, in its private mount namespace: mount the overlay and name it
 * the new root; 04 and 06 then mount /proc and /sys inside it. */
static int overlay_child_root(void)
{
	if (overlay_mount(dirs.lowers, dirs.upper, dirs.work, dirs.merged,
			  NULL) < 0)
		return -1;
	/* 08's /dev of its own: a "2>/dev/null" would otherwise write a
	 * regular file dev/null into the upper dir (and the diff). */
	if (chroot_mount_dev(dirs.merged) < 0)
		return -1;
	lesson_root = dirs.merged;
	return 0;
}

/* Last, with everything mounted inside (a user namespace allows a new
 * /proc only before the host's is detached): make the overlay "/". */
static int overlay_child_enter(void)
{
	return chroot_pivot(dirs.merged);
}

static void overlay_cleanup(void)
{
	/* The mount lived in the child's mount namespace, which died with
	 * it: on the host both directories are plain, unmounted ones. */
	overlay_unplan(&dirs);
	if (want_diff && started) {
		fflush(stdout);
		/* The child's mount was in a user namespace (userxattr)
		 * when we are not root, or are in one already. */
		overlay_diff(dirs.upper, dirs.lowers,
			     geteuid() != 0 || in_user_namespace(), fputs,
			     stdout);
		fflush(stdout);
	}
}

static const struct lesson_option overlay_options[] = {
	{"rootfs", 0, "DIR", "bottom layer (default: build/rootfs of this repo)",
	 set_rootfs},
	{"layers", 0, "L1:L2:...", "read-only image layers, top first",
	 set_layers},
	{"upper", 0, "DIR", "writable layer: the container's changes land here",
	 set_upper},
	{"diff", 0, NULL, "after exit, list the changes as A/C/D (docker diff)",
	 NULL, &want_diff},
	{0},
};

const struct lesson overlay_lesson = {
	.name = "09-overlay",
	.summary = "run a command on an overlay of image layers and a "
		   "writable layer",
	/* Not &chroot_lesson: its hooks would make the bare rootfs the
	 * root, not our overlay. We link its functions only. */
	.prev = &cgroups_lesson,
	.options = overlay_options,
	.check = overlay_check,
	.prepare = overlay_prepare,
	.parent = overlay_parent,
	.child_root = overlay_child_root,
	.child_enter = overlay_child_enter,
	.cleanup = overlay_cleanup,
};
