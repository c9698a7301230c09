/*
 * 10-full/procfs.c - a /proc with its dangerous corners masked. (/sys:
 * sysfs.c.)
 *
 * Claim: /proc/kcore and /proc/keys read empty; /proc/sys and
 *        /proc/sysrq-trigger refuse writes (EROFS), even to root; an
 *        image whose /proc is a symlink is refused, never followed.
 *        (tested in tests/10-full.bats, tests/10-full-mounts.bats)
 * Uses:  04-mount (mount_proc), resolve.c and mountfd.c (each target
 *        opened inside the new root, mounted through its fd), devfs.c
 *        (devfs_mount_point); called by child.c before chroot_pivot() (08)
 * Read:  proc(5), sysfs(5), the OCI runtime spec (config-linux.md:
 *        maskedPaths, readonlyPaths)
 *
 * Each mount point is opened in the new root (a symlink at /proc or /sys
 * is refused: an image whose /proc leads to a host directory would get
 * procfs mounted there); once the filesystem is mounted, it is opened
 * again and checked to be the new procfs or sysfs, and the paths masked
 * in it are opened relative to that fd, never leaving it (no symlink, no
 * other filesystem: RESOLVE_NO_XDEV).
 *
 * /proc. A fresh procfs shows only the container's processes, but many of
 * its files describe the whole machine, and some are controls. As the OCI
 * default spec does, files are masked by binding /dev/null over them
 * (kcore is the kernel's memory as an ELF core; keys lists the keyring,
 * which is not namespaced; timer_list and sched_debug leak other
 * processes' activity), whole directories by an empty read-only tmpfs
 * (acpi, scsi, asound), and the controls are bound read-only: sys (a root
 * with DAC_OVERRIDE could write most sysctls: only file modes guard them),
 * sysrq-trigger (one 'b' reboots the host), irq, bus, fs.
 *
 * The /dev/null bound over a file is the host's own inode, so its bind is
 * read-only: a hostile tester found that through a writable one the
 * container's root (CAP_CHOWN, CAP_FOWNER) did `chmod 600 /proc/keys`
 * and `chown 65534 /proc/timer_list`, and changed the host's /dev/null
 * for every user of the machine. Reading and writing the device itself
 * (it discards) still work through a read-only mount; its mode, owner,
 * times and xattrs do not (EROFS). runc binds the container's /dev/null.
 */
#include "../04-mount/mount.h"
#include "devfs.h"
#include "resolve.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The OCI default spec's lists, as runc and crun apply them. */
static const char *const proc_masked[] = {
	"acpi",	      "asound",	    "kcore",	  "keys",	"latency_stats",
	"sched_debug", "scsi",	    "timer_list", "timer_stats",
};
static const char *const proc_readonly[] = {
	"bus", "fs", "irq", "sys", "sysrq-trigger",
};

/* Opens name in the filesystem whose root is dir (in names it, for
 * messages), neither following a symlink nor leaving it. Returns the fd;
 * -1 with errno ENOENT and no message when this kernel lacks it; -1 after
 * saying why otherwise. */
static int open_in(int dir, const char *in, const char *name, char *what)
{
	int fd;

	snprintf(what, PATH_MAX, "%s/%s", in, name);
	fd = resolve_in_root(dir, name, IN_ROOT_NO_SYMLINKS | IN_ROOT_NO_XDEV);
	if (fd < 0 && errno != ENOENT)
		warn("%s", what);
	return fd;
}

int procfs_mask(int dir, const char *in, const char *name, int null)
{
	char what[PATH_MAX];
	struct stat st;
	int fd = open_in(dir, in, name, what), ret = -1;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0)
		warn("%s", what);
	else if (S_ISDIR(st.st_mode))
		ret = mountfd_new(fd, "tmpfs", "tmpfs",
				  MS_RDONLY | NOSUID_NODEV_NOEXEC, "mode=555",
				  what);
	else if (null >= 0) /* read-only: null is the host's (above) */
		ret = mountfd_bind(null, fd, MOUNT_ATTR_RDONLY, 0, what);
	else
		warnx("%s: expected a directory", what);
	close(fd);
	return ret;
}

/* Given a fresh procfs at proc: masks and read-only binds. */
static int procfs_harden(int proc)
{
	char what[PATH_MAX];
	size_t i;
	int fd, null, ret = -1;

	/* The host's /dev/null: "/" is still the host's, ours to trust. */
	null = open("/dev/null", O_PATH | O_CLOEXEC);
	if (null < 0) {
		warn("/dev/null");
		return -1;
	}
	for (i = 0; i < sizeof(proc_masked) / sizeof(proc_masked[0]); i++)
		if (procfs_mask(proc, "/proc", proc_masked[i], null) < 0)
			goto out;
	for (i = 0; i < sizeof(proc_readonly) / sizeof(proc_readonly[0]);
	     i++) {
		fd = open_in(proc, "/proc", proc_readonly[i], what);
		if (fd < 0 && errno == ENOENT)
			continue;
		/* A copy of itself, made read-only while still detached,
		 * then put on top of itself: a read-only flag belongs to a
		 * mount, and this path is not one yet. */
		if (fd < 0 ||
		    mountfd_bind(fd, fd, MOUNT_ATTR_RDONLY, 1, what) < 0) {
			if (fd >= 0)
				close(fd);
			goto out;
		}
		close(fd);
	}
	ret = 0;
out:
	close(null);
	return ret;
}

int procfs_mount(int rootfd)
{
	char path[32];
	int dir, proc = -1, ret = -1;

	dir = devfs_mount_point(rootfd, "proc");
	if (dir < 0)
		return -1;
	/* 04's mount_proc, on the directory we opened. */
	if (mount_proc(mountfd_path(path, dir)) < 0)
		goto out;
	proc = mountfd_reopen(rootfd, "proc", PROC_SUPER_MAGIC, "/proc");
	if (proc < 0)
		goto out;
	ret = procfs_harden(proc);
	close(proc);
out:
	close(dir);
	return ret;
}

