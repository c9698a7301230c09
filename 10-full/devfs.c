/*
 * 10-full/devfs.c - the special filesystems a container sees: a /dev with
 * six device nodes, a /proc with its dangerous corners masked, and a
 * read-only /sys.
 *
 * Claim: inside the container /dev holds only null zero full random
 *        urandom tty, pts/ptmx, shm, mqueue and the fd links, and a device
 *        node the image or a volume brings cannot be opened; /proc/kcore
 *        and /proc/keys read empty; /proc/sys, /proc/sysrq-trigger, /sys
 *        and /sys/fs/cgroup refuse writes (EROFS), even to root.
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
 * /sys. A fresh sysfs shows the devices of the container's network
 * namespace; mounted read-only. The cgroup tree is the one place in /sys a
 * container may find useful (its own limits), so it is mounted again
 * under sys/fs/cgroup, read-only: thanks to the cgroup namespace that
 * child.c makes once it is in its own cgroup, each hierarchy shows only
 * the container's part of the tree, and read-only means root inside can
 * neither raise its limits nor make a cgroup of its own.
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

#define NOSUID_NODEV_NOEXEC (MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* Puts dir/name into buf (PATH_MAX). Returns 0, or -1 if too long. */
static int join(char *buf, const char *dir, const char *name)
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
static int need_dir(const char *path, mode_t mode)
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

static int do_mount(const char *src, const char *dst, const char *type,
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
static int remount_readonly(const char *path)
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

	if (forbid_devices_under(dev) < 0 || need_dir(dev, 0755) < 0 ||
	    do_mount("tmpfs", dev, "tmpfs", NOSUID_NODEV_NOEXEC,
		     "mode=755,size=65536k") < 0)
		return -1;
	for (i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
		/* A bind mount needs a file to land on. */
		if (join(path, dev, dev_nodes[i]) < 0 ||
		    join(host, "/dev", dev_nodes[i]) < 0)
			return -1;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			warn("create %s", path);
			return -1;
		}
		close(fd);
		if (do_mount(host, path, NULL, MS_BIND, NULL) < 0)
			return -1;
	}

	/* gid=5 is the tty group of most images; a user namespace that
	 * does not map it refuses the option, so try again without. */
	if (join(path, dev, "pts") < 0 || need_dir(path, 0755) < 0)
		return -1;
	if (mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0 &&
	    do_mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		     "newinstance,ptmxmode=0666,mode=0620") < 0)
		return -1;

	if (join(path, dev, "shm") < 0 || need_dir(path, 01777) < 0 ||
	    do_mount("shm", path, "tmpfs", NOSUID_NODEV_NOEXEC,
		     "mode=1777,size=65536k") < 0)
		return -1;
	/* mqueue shows the queues of the IPC namespace of whoever mounts
	 * it: ours, since 02-ipc. */
	if (join(path, dev, "mqueue") < 0 || need_dir(path, 0755) < 0 ||
	    do_mount("mqueue", path, "mqueue", NOSUID_NODEV_NOEXEC, NULL) < 0)
		return -1;

	for (i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
		if (join(path, dev, dev_links[i].name) < 0)
			return -1;
		if (symlink(dev_links[i].target, path) < 0) {
			warn("symlink %s", path);
			return -1;
		}
	}
	return 0;
}

/* The OCI default spec's lists, as runc and crun apply them. */
static const char *const proc_masked[] = {
	"acpi",	      "asound",	    "kcore",	  "keys",	"latency_stats",
	"sched_debug", "scsi",	    "timer_list", "timer_stats",
};
static const char *const proc_readonly[] = {
	"bus", "fs", "irq", "sys", "sysrq-trigger",
};

/* Hides path: /dev/null over a file, an empty read-only tmpfs over a
 * directory; a path this kernel lacks is skipped. Returns 0 or -1. */
static int mask(const char *dir, const char *name, const char *dev_null)
{
	char path[PATH_MAX];
	struct stat st;

	if (join(path, dir, name) < 0)
		return -1;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		warn("%s", path);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return do_mount("tmpfs", path, "tmpfs",
				MS_RDONLY | NOSUID_NODEV_NOEXEC,
				"mode=555");
	return do_mount(dev_null, path, NULL, MS_BIND, NULL);
}

int procfs_harden(const char *proc, const char *dev_null)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(proc_masked) / sizeof(proc_masked[0]); i++)
		if (mask(proc, proc_masked[i], dev_null) < 0)
			return -1;
	for (i = 0; i < sizeof(proc_readonly) / sizeof(proc_readonly[0]);
	     i++) {
		if (join(path, proc, proc_readonly[i]) < 0)
			return -1;
		if (access(path, F_OK) < 0 && errno == ENOENT)
			continue;
		/* Bound onto itself first: a read-only flag belongs to a
		 * mount, and this path is not one yet. */
		if (do_mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0 ||
		    remount_readonly(path) < 0)
			return -1;
	}
	return 0;
}

/* mountinfo's super options of a cgroup hierarchy as mount(2) data: the
 * same (so that the kernel finds the existing hierarchy), less rw/ro and
 * release_agent=, which a namespaced mount may not set. */
static void cgroup_options(char *super, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (char *t = strtok(super, ","); t && len < size;
	     t = strtok(NULL, ","))
		if (strcmp(t, "rw") && strcmp(t, "ro") &&
		    strncmp(t, "release_agent=", 14))
			len += snprintf(out + len, size - len, "%s%s",
					len ? "," : "", t);
}

/* Mounts again, read-only, each cgroup hierarchy the host has under
 * /sys/fs/cgroup, at the same place under cg (a tmpfs) or at cg itself
 * where the host has cgroup2 there. Returns 0 or -1. */
static int mount_cgroups_readonly(const char *cg)
{
	char *line = NULL, mp[PATH_MAX], type[32], super[512], opts[512];
	char path[PATH_MAX];
	const char *base = "/sys/fs/cgroup";
	size_t cap = 0, blen = strlen(base);
	int ret = -1, over_tmpfs = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f) {
		warn("/proc/self/mountinfo");
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1 ||
		    sscanf(sep + 3, "%31s %*s %511s", type, super) != 2 ||
		    strncmp(mp, base, blen) ||
		    (strcmp(type, "cgroup") && strcmp(type, "cgroup2")))
			continue;
		if (mp[blen] == '\0') { /* a cgroup2-only host */
			strcpy(path, cg);
		} else if (mp[blen] == '/' && !strchr(mp + blen + 1, '/')) {
			if (!over_tmpfs && do_mount("cgroup", cg, "tmpfs",
					NOSUID_NODEV_NOEXEC, "mode=755") < 0)
				goto out;
			over_tmpfs = 1;
			if (join(path, cg, mp + blen + 1) < 0 ||
			    need_dir(path, 0755) < 0)
				goto out;
		} else {
			continue;
		}
		cgroup_options(super, opts, sizeof(opts));
		if (mount(type, path, type, NOSUID_NODEV_NOEXEC,
			  strcmp(type, "cgroup2") ? opts : NULL) < 0) {
			/* A kernel may refuse a hierarchy to a user
			 * namespace (v1, before cgroup namespaces knew
			 * it): its directory stays empty, which is safe. */
			if (errno == EPERM)
				continue;
			warn("mount %s (%s) on %s", type, opts, path);
			goto out;
		}
		if (remount_readonly(path) < 0)
			goto out;
	}
	ret = over_tmpfs ? remount_readonly(cg) : 0;
out:
	free(line);
	fclose(f);
	return ret;
}

int sysfs_mount_readonly(const char *sys)
{
	char cg[PATH_MAX];

	if (need_dir(sys, 0555) < 0)
		return -1;
	if (mount("sysfs", sys, "sysfs", NOSUID_NODEV_NOEXEC, NULL) < 0) {
		/* sysfs shows a network namespace's devices, so a user
		 * namespace may mount it only with a netns of its own. */
		warn("mount sysfs on %s%s", sys,
		     errno == EPERM ? " (rootless needs its own network "
				      "namespace: leave out --net host)" : "");
		return -1;
	}
	/* Firmware tables, and the RAPL energy counters that leak what
	 * other tenants compute (Docker masks them too). */
	if (mask(sys, "firmware", NULL) < 0 ||
	    mask(sys, "devices/virtual/powercap", NULL) < 0 ||
	    join(cg, sys, "fs/cgroup") < 0 || mount_cgroups_readonly(cg) < 0)
		return -1;
	return remount_readonly(sys);
}
