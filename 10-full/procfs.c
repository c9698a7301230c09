/*
 * 10-full/procfs.c - a /proc with its dangerous corners masked, and a
 * read-only /sys.
 *
 * Claim: /proc/kcore and /proc/keys read empty; /proc/sys,
 *        /proc/sysrq-trigger, /sys and /sys/fs/cgroup refuse writes
 *        (EROFS), even to root.   (tested in tests/10-full.bats)
 * Uses:  devfs.c (its mount helpers); called by child.c before
 *        chroot_pivot() (08), after mount_proc() (04)
 * Read:  proc(5), sysfs(5), the OCI runtime spec (config-linux.md:
 *        maskedPaths, readonlyPaths)
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
#include <limits.h>
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

/* Hides path: /dev/null over a file, an empty read-only tmpfs over a
 * directory; a path this kernel lacks is skipped. Returns 0 or -1. */
static int mask(const char *dir, const char *name, const char *dev_null)
{
	char path[PATH_MAX];
	struct stat st;

	if (devfs_join(path, dir, name) < 0)
		return -1;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		warn("%s", path);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return devfs_do_mount("tmpfs", path, "tmpfs",
				MS_RDONLY | NOSUID_NODEV_NOEXEC,
				"mode=555");
	return devfs_do_mount(dev_null, path, NULL, MS_BIND, NULL);
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
		if (devfs_join(path, proc, proc_readonly[i]) < 0)
			return -1;
		if (access(path, F_OK) < 0 && errno == ENOENT)
			continue;
		/* Bound onto itself first: a read-only flag belongs to a
		 * mount, and this path is not one yet. */
		if (devfs_do_mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0 ||
		    devfs_remount_readonly(path) < 0)
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

/* True for a v1 hierarchy that holds one of the controllers in joined
 * (super: mountinfo's super options, "rw,cpu,cpuacct"). The others
 * (devices, freezer, name=systemd...) would show the host's tree from
 * where the container sits in it, since it has no cgroup of its own
 * there for its cgroup namespace to be rooted in. */
static bool ours(const char *super, const char *const *joined)
{
	char copy[512], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", super);
	for (char *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save))
		for (int i = 0; joined[i]; i++)
			if (strcmp(t, joined[i]) == 0)
				return true;
	return false;
}

/* Mounts again, read-only, the host's cgroup2 tree at cg, or each v1
 * hierarchy the container has a cgroup in (joined) at the same place
 * under cg (a
 * tmpfs). Each is read-only from the start (MS_RDONLY on a new mount
 * makes that mount read-only, not the hierarchy the host writes to), so
 * no remount is needed. Returns 0 or -1. */
static int mount_cgroups_readonly(const char *cg, const char *const *joined)
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
		} else if (mp[blen] == '/' && !strchr(mp + blen + 1, '/') &&
			   strcmp(type, "cgroup2") && ours(super, joined)) {
			if (!over_tmpfs && devfs_do_mount("cgroup", cg, "tmpfs",
					NOSUID_NODEV_NOEXEC, "mode=755") < 0)
				goto out;
			over_tmpfs = 1;
			if (devfs_join(path, cg, mp + blen + 1) < 0 ||
			    devfs_need_dir(path, 0755) < 0)
				goto out;
		} else {
			continue;
		}
		cgroup_options(super, opts, sizeof(opts));
		if (mount(type, path, type, NOSUID_NODEV_NOEXEC | MS_RDONLY,
			  strcmp(type, "cgroup2") ? opts : NULL) < 0) {
			/* A kernel may refuse a hierarchy to a user
			 * namespace (v1, before cgroup namespaces knew
			 * it): its directory stays empty, which is safe. */
			if (errno == EPERM)
				continue;
			warn("mount %s (%s) on %s", type, opts, path);
			goto out;
		}
	}
	/* The tmpfs holding the hierarchies' directories: read-only too,
	 * now that they are made. */
	ret = over_tmpfs ? devfs_remount_readonly(cg) : 0;
out:
	free(line);
	fclose(f);
	return ret;
}

int sysfs_mount_readonly(const char *sys, const char *const *joined)
{
	char cg[PATH_MAX];

	if (devfs_need_dir(sys, 0555) < 0)
		return -1;
	/* Read-only from the start; the masks and the cgroup tmpfs below are
	 * mounts of their own, and mounting onto a read-only directory is
	 * allowed. */
	if (mount("sysfs", sys, "sysfs", NOSUID_NODEV_NOEXEC | MS_RDONLY,
		  NULL) < 0) {
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
	    devfs_join(cg, sys, "fs/cgroup") < 0 || mount_cgroups_readonly(cg, joined) < 0)
		return -1;
	return 0;
}
