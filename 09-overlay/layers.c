/*
 * 09-overlay/layers.c - check every directory of an overlay before making
 * anything, and clean up after.
 *
 * Claim: a missing layer, an upper dir on a filesystem overlayfs cannot
 *        write to (proc, sysfs, another overlay...), an upper dir inside a
 *        layer, or too many layers each stop the program with one clear
 *        line and exit 125, with nothing created or mounted.
 *        (tested in tests/09-overlay.bats)
 * Uses:  08-chroot (chroot_check_rootfs)
 * Read:  statfs(2), statvfs(3), realpath(3), nftw(3),
 *        Documentation/filesystems/overlayfs.rst ("Upper and Lower")
 *
 * The kernel checks all of this too, but its answer is EINVAL, with the
 * reason in the kernel log. We check first, to say it where the user looks.
 */
#include "layers.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../08-chroot/chroot.h"
#include "../07-cgroups/stale.h"

/* Filesystems an upper dir cannot live on: overlayfs needs one that
 * supports trusted.* xattrs, d_type, whiteouts (character devices) and
 * O_TMPFILE, and that is not itself an overlay. ext4, xfs, btrfs, tmpfs
 * and f2fs are fine; anything not listed here is left to the kernel. */
static const struct {
	unsigned long magic;
	const char *name;
} bad_upper_fs[] = {
	{OVERLAYFS_SUPER_MAGIC, "overlay"}, {PROC_SUPER_MAGIC, "proc"},
	{SYSFS_MAGIC, "sysfs"},		    {CGROUP_SUPER_MAGIC, "cgroup"},
	{CGROUP2_SUPER_MAGIC, "cgroup2"},   {DEVPTS_SUPER_MAGIC, "devpts"},
	{NFS_SUPER_MAGIC, "nfs"},	    {FUSE_SUPER_MAGIC, "fuse"},
	{MSDOS_SUPER_MAGIC, "vfat"},	    {RAMFS_MAGIC, "ramfs"},
	{SQUASHFS_MAGIC, "squashfs"},	    {ISOFS_SUPER_MAGIC, "iso9660"},
};

/* realpath() of a directory, checked. what names it in messages. */
static int resolve_dir(const char *what, const char *path, char *out)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		warnx("%s '%s': %s", what, path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("%s '%s' is not a directory", what, path);
		return -1;
	}
	if (!realpath(path, out)) {
		warn("%s '%s'", what, path);
		return -1;
	}
	/* overlayfs options separate with ',' and ':' (escaping aside). */
	if (strpbrk(out, ",:\\")) {
		warnx("%s '%s': overlayfs options cannot hold ',' ':' or '\\' "
		      "in a path; rename it",
		      what, out);
		return -1;
	}
	return 0;
}

/* True when path is dir or inside it (both absolute, resolved). */
static bool inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	return strncmp(dir, path, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/' || n == 1 /* "/" */);
}

/* True when dir, or a directory above it, is the directory top (same
 * device and inode): what a path comparison misses when one of them is
 * reached through a bind mount or another name. */
static bool below_same(const char *dir, const char *top)
{
	char path[PATH_MAX];
	struct stat st, t;

	if (stat(top, &t) < 0)
		return false;
	snprintf(path, sizeof(path), "%s", dir);
	for (;;) {
		if (stat(path, &st) == 0 && st.st_dev == t.st_dev &&
		    st.st_ino == t.st_ino)
			return true;
		if (path[0] != '/' || path[1] == '\0')
			return false; /* "/" was the last */
		/* dirname(3) cuts path in place, or returns "/". */
		char *up = dirname(path);
		if (up != path)
			snprintf(path, sizeof(path), "%s", up);
	}
}

static int check_upper_fs(const char *upper)
{
	struct statfs fs;
	struct statvfs vfs;
	struct stat up, parent;
	char parent_dir[PATH_MAX];

	if (statfs(upper, &fs) < 0 || statvfs(upper, &vfs) < 0) {
		warn("statfs %s", upper);
		return -1;
	}
	for (size_t i = 0; i < sizeof(bad_upper_fs) / sizeof(bad_upper_fs[0]);
	     i++)
		if ((unsigned long)fs.f_type == bad_upper_fs[i].magic) {
			warnx("upper '%s' is on %s, which overlayfs cannot write "
			      "to: use a directory on ext4, xfs, btrfs or tmpfs",
			      upper, bad_upper_fs[i].name);
			return -1;
		}
	if (vfs.f_flag & ST_RDONLY) {
		warnx("upper '%s' is on a read-only mount", upper);
		return -1;
	}
	/* The work dir goes next to upper: it must share its filesystem. */
	snprintf(parent_dir, sizeof(parent_dir), "%s", upper);
	if (stat(upper, &up) < 0 || stat(dirname(parent_dir), &parent) < 0) {
		warn("stat %s", upper);
		return -1;
	}
	if (up.st_dev != parent.st_dev) {
		warnx("upper '%s' is a mount point: the work dir, made next to "
		      "it, would be on another filesystem; use a directory "
		      "inside it",
		      upper);
		return -1;
	}
	return 0;
}

/* Default rootfs: build/rootfs of the repository this program was built
 * in, found from /proc/self/exe (REPO/09-overlay/overlay), so that it
 * works from any working directory. */
static int default_rootfs(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0) {
		warn("readlink /proc/self/exe");
		return -1;
	}
	exe[n] = '\0';
	/* dirname() twice: strip the program, then its lesson directory. */
	snprintf(out, size, "%s/build/rootfs", dirname(dirname(exe)));
	return 0;
}

/* Appends dir to the ':'-separated list. Returns 0, or -1 if full. */
static int append_lower(struct overlay_dirs *d, const char *dir)
{
	size_t len = strlen(d->lowers);
	int n = snprintf(d->lowers + len, sizeof(d->lowers) - len, "%s%s",
			 len ? ":" : "", dir);

	return n < 0 || (size_t)n >= sizeof(d->lowers) - len ? -1 : 0;
}

int overlay_plan(const char *rootfs, const char *layers, const char *upper,
		 struct overlay_dirs *d)
{
	char path[PATH_MAX], list[OVERLAY_MAX_OPTIONS], *save = NULL;
	char dup[OVERLAY_MAX_OPTIONS], *dsave = NULL;
	int count = 0;

	memset(d, 0, sizeof(*d));
	for (const char *p = layers; p && *p; p++)
		count += *p == ':';
	if (count + 2 > OVERLAY_MAX_LOWERS) { /* + the last layer, rootfs */
		warnx("too many layers: %d; overlayfs stacks at most %d lower "
		      "dirs, and the rootfs is one of them",
		      count + 1, OVERLAY_MAX_LOWERS);
		return -1;
	}
	if (layers && strlen(layers) >= sizeof(list))
		goto too_long;
	snprintf(list, sizeof(list), "%s", layers ? layers : "");
	for (char *l = strtok_r(list, ":", &save); l;
	     l = strtok_r(NULL, ":", &save)) {
		if (resolve_dir("layer", l, path) < 0)
			return -1;
		/* The same layer twice is overlayfs's ELOOP: say it. */
		snprintf(dup, sizeof(dup), "%s", d->lowers);
		for (char *o = strtok_r(dup, ":", &dsave); o;
		     o = strtok_r(NULL, ":", &dsave))
			if (below_same(o, path) && below_same(path, o)) {
				warnx("layer '%s' is given twice: give each layer "
				      "once",
				      l);
				return -1;
			}
		dsave = NULL;
		if (append_lower(d, path) < 0)
			goto too_long;
	}

	if (!rootfs && default_rootfs(path, sizeof(path)) < 0)
		return -1;
	if (chroot_check_rootfs(rootfs ? rootfs : path) < 0 ||
	    resolve_dir("rootfs", rootfs ? rootfs : path, path) < 0)
		return -1;
	if (append_lower(d, path) < 0)
		goto too_long;

	if (resolve_dir("upper", upper, d->upper) < 0 ||
	    check_upper_fs(d->upper) < 0)
		return -1;
	/* Upper inside a layer would change the layer: overlayfs refuses
	 * (ELOOP) and so do we, by name. */
	snprintf(list, sizeof(list), "%s", d->lowers);
	save = NULL;
	for (char *l = strtok_r(list, ":", &save); l;
	     l = strtok_r(NULL, ":", &save))
		if (inside(l, d->upper) || inside(d->upper, l) ||
		    below_same(d->upper, l) || below_same(l, d->upper)) {
			warnx("upper '%s' and layer '%s' overlap: give them "
			      "separate directories",
			      d->upper, l);
			return -1;
		}

	/* Both named after us (stale.h), so that after a kill -9 the next
	 * run knows them for a dead run's and removes them. */
	if (snprintf(path, sizeof(path), "%s.work", d->upper) >=
		    (int)sizeof(path) ||
	    stale_name(d->work, sizeof(d->work), path) < 0 ||
	    stale_name(d->merged, sizeof(d->merged), OVERLAY_MERGED) < 0)
		return -1;
	/* "lowerdir=,upperdir=,workdir=,userxattr" */
	if (strlen(d->lowers) + strlen(d->upper) + strlen(d->work) + 40 >=
	    OVERLAY_MAX_OPTIONS)
		goto too_long;
	return 0;
too_long:
	warnx("too many layers or too long paths: overlay mount options "
	      "take at most %d bytes",
	      OVERLAY_MAX_OPTIONS - 1);
	return -1;
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	if (remove(path) < 0)
		warn("remove %s", path);
	return 0;
}

int overlay_remove_work(const char *work)
{
	char inner[PATH_MAX + 8];

	/* overlayfs leaves work/work (mode 000) and maybe work/index in
	 * it. Root reads a mode 000 dir anyway; its owner (a rootless run)
	 * must open it up first (none there if the mount never happened:
	 * then nftw() has nothing to enter either).
	 * FTW_PHYS|FTW_MOUNT: never follow a link or enter a mount. */
	snprintf(inner, sizeof(inner), "%s/work", work);
	fchmodat(AT_FDCWD, inner, 0700, AT_SYMLINK_NOFOLLOW);
	if (nftw(work, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0) {
		warn("remove %s", work);
		return -1;
	}
	return 0;
}

void overlay_unplan(struct overlay_dirs *d)
{
	if (d->made_work)
		overlay_remove_work(d->work);
	if (d->made_merged && rmdir(d->merged) < 0)
		warn("rmdir %s", d->merged);
	d->made_work = d->made_merged = false;
}
