/*
 * 10-full/sysfs.c - a read-only /sys, with the container's own part of the
 * cgroup tree in it, read-only too.
 *
 * Claim: /sys and /sys/fs/cgroup refuse writes (EROFS), even to root; an
 *        image whose /sys is a symlink is refused, never followed.
 *        (tested in tests/10-full.bats)
 * Uses:  resolve.c and mountfd.c (targets opened inside the new root,
 *        mounted through their fds), devfs.c, procfs.c (procfs_mask);
 *        called by child.c before chroot_pivot() (08)
 * Read:  sysfs(5), cgroups(7), cgroup_namespaces(7)
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

/* The host's cgroup hierarchies: read by the parent (sysfs_find_cgroups),
 * used by the child; ours, or memory shared with the child. */
static struct sysfs_cgroups own = {.n = -1};
static struct sysfs_cgroups *table = &own;

void sysfs_cgroups_in(struct sysfs_cgroups *t)
{
	t->n = -1;
	table = t;
}

static const char *const base = "/sys/fs/cgroup";

int sysfs_find_cgroups(void)
{
	char *line = NULL, mp[PATH_MAX], type[32], super[512];
	size_t cap = 0, blen = strlen(base);
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f) {
		warn("/proc/self/mountinfo");
		return -1;
	}
	table->n = 0;
	while (getline(&line, &cap, f) > 0 &&
	       table->n < SYSFS_MAX_HIERARCHIES) {
		char *sep = strstr(line, " - ");
		struct sysfs_hierarchy *h = &table->h[table->n];

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1 ||
		    sscanf(sep + 3, "%31s %*s %511s", type, super) != 2 ||
		    strncmp(mp, base, blen) ||
		    (strcmp(type, "cgroup") && strcmp(type, "cgroup2")) ||
		    strlen(mp) >= sizeof(h->mp) ||
		    strlen(super) >= sizeof(h->super))
			continue;
		strcpy(h->mp, mp);
		strcpy(h->type, type);
		strcpy(h->super, super);
		table->n++;
	}
	free(line);
	fclose(f);
	return 0;
}

/* Mounts again, read-only, the host's cgroup2 tree on cg (an fd of
 * sys/fs/cgroup), or each v1 hierarchy the container has a cgroup in
 * (joined) at the same place under it (a tmpfs). Each is read-only from
 * the start (MS_RDONLY on a new mount makes that mount read-only, not the
 * hierarchy the host writes to), so no remount is needed. Returns 0 or
 * -1. */
static int mount_cgroups_readonly(int sys, int cg, const char *const *joined)
{
	char opts[512], super[512], path[32];
	const char *mp, *type;
	size_t blen = strlen(base);
	int ret = -1, tmp = -1, fd = -1;

	if (table->n < 0 && sysfs_find_cgroups() < 0)
		return -1;
	for (int i = 0; i < table->n; i++) {
		mp = table->h[i].mp;
		type = table->h[i].type;
		memcpy(super, table->h[i].super, sizeof(super));
		if (mp[blen] == '\0') { /* a cgroup2-only host */
			fd = dup(cg);
		} else if (mp[blen] == '/' && !strchr(mp + blen + 1, '/') &&
			   strcmp(type, "cgroup2") && ours(super, joined)) {
			if (tmp < 0 &&
			    (mountfd_new(cg, "cgroup", "tmpfs",
					 NOSUID_NODEV_NOEXEC, "mode=755",
					 base) < 0 ||
			     (tmp = mountfd_reopen(sys, "fs/cgroup",
						   TMPFS_MAGIC, base)) < 0))
				goto out;
			/* Made in our fresh tmpfs, relative to its fd. */
			if (mkdirat(tmp, mp + blen + 1, 0755) == 0)
				fd = openat(tmp, mp + blen + 1,
					    O_PATH | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);
		} else {
			continue;
		}
		if (fd < 0) {
			warn("%s", mp);
			goto out;
		}
		cgroup_options(super, opts, sizeof(opts));
		if (mount(type, mountfd_path(path, fd), type,
			  NOSUID_NODEV_NOEXEC | MS_RDONLY,
			  strcmp(type, "cgroup2") ? opts : NULL) < 0 &&
		    errno != EPERM) {
			/* EPERM: a kernel may refuse a hierarchy to a user
			 * namespace (v1, before cgroup namespaces knew
			 * it): its directory stays empty, which is safe. */
			warn("mount %s (%s) on %s", type, opts, mp);
			goto out;
		}
		close(fd);
		fd = -1;
	}
	/* The tmpfs holding the hierarchies' directories: read-only too,
	 * now that they are made. */
	ret = tmp >= 0 ? mountfd_setattr(tmp, MOUNT_ATTR_RDONLY, 0, base) : 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp >= 0)
		close(tmp);
	return ret;
}

int sysfs_mount_readonly(int rootfd, const char *const *joined)
{
	char path[32];
	int dir, sys = -1, cg = -1, ret = -1;

	dir = devfs_mount_point(rootfd, "sys");
	if (dir < 0)
		return -1;
	/* Read-only from the start; the masks and the cgroup tmpfs below are
	 * mounts of their own, and mounting onto a read-only directory is
	 * allowed. */
	if (mount("sysfs", mountfd_path(path, dir), "sysfs",
		  NOSUID_NODEV_NOEXEC | MS_RDONLY, NULL) < 0) {
		/* sysfs shows a network namespace's devices, so a user
		 * namespace may mount it only with a netns of its own. */
		warn("mount sysfs on /sys%s",
		     errno == EPERM ? " (rootless needs its own network "
				      "namespace: leave out --net host)"
				    : "");
		goto out;
	}
	sys = mountfd_reopen(rootfd, "sys", SYSFS_MAGIC, "/sys");
	/* Firmware tables, and the RAPL energy counters that leak what
	 * other tenants compute (Docker masks them too). */
	if (sys < 0 || procfs_mask(sys, "/sys", "firmware", -1) < 0 ||
	    procfs_mask(sys, "/sys", "devices/virtual/powercap", -1) < 0)
		goto out;
	cg = resolve_in_root(sys, "fs/cgroup",
			     IN_ROOT_NO_SYMLINKS | IN_ROOT_NO_XDEV);
	if (cg < 0) {
		warn("/sys/fs/cgroup");
		goto out;
	}
	ret = mount_cgroups_readonly(sys, cg, joined);
out:
	if (cg >= 0)
		close(cg);
	if (sys >= 0)
		close(sys);
	close(dir);
	return ret;
}
