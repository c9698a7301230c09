/*
 * 07-cgroups/cgroup_core.c - one interface over cgroup v1 and v2: find out
 * which the host runs, then create, join and remove a cgroup.
 *
 * Claim: the host's mode is read the way runtimes read it (statfs of
 *        /sys/fs/cgroup), and a per-run cgroup is gone after every run,
 *        its processes killed first.   (tested in tests/07-cgroups.bats)
 * Uses:  cgroup_v1.c, cgroup_v2.c (the two backends)
 * Read:  cgroups(7), statfs(2), Documentation/admin-guide/cgroup-v2.rst
 *
 * A cgroup is a directory: mkdir makes one, writing a PID to its
 * cgroup.procs moves that process in (its children follow it), rmdir
 * removes it, and the kernel refuses (EBUSY) while a process is inside.
 * Everything else is which files the directories hold, and that is what
 * differs between v1 and v2.
 *
 * Teaching and testing hook: LESSON_CGROUP_ROOT=DIR points the backends at
 * DIR instead of /sys/fs/cgroup, and LESSON_CGROUP_MODE=v1|v2 says how to
 * read it. When DIR is a plain directory (not cgroupfs), files are created
 * as they are written and no process is moved or killed, so you can watch
 * exactly what a backend writes, with `ls` and `cat`, on any host.
 */
#include "cgroup_backend.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

const char *const cgroup_controller_name[CG_COUNT] = {"cpu", "cpuacct",
						      "memory", "pids"};

static struct cgroup_host host;
static bool detected;
static const char *bad_mode; /* an LESSON_CGROUP_MODE we cannot use */

long cgroup_fs_type(const char *path)
{
	struct statfs s;

	return statfs(path, &s) == 0 ? (long)s.f_type : 0;
}

const struct cgroup_host *cgroup_detect(void)
{
	const char *root = getenv("LESSON_CGROUP_ROOT");
	const char *mode = getenv("LESSON_CGROUP_MODE");
	char path[PATH_MAX];

	if (detected)
		return &host;
	detected = true;
	host.root = root && *root ? root : "/sys/fs/cgroup";

	/* v2 mounts one cgroup2 filesystem at the root. v1 mounts a tmpfs
	 * there with one cgroup filesystem per hierarchy below it; "hybrid"
	 * adds an (often controller-less) cgroup2 tree at unified/. */
	if (cgroup_fs_type(host.root) == CGROUP2_SUPER_MAGIC)
		host.mode = CGROUP_V2;
	for (int c = 0; c < CG_COUNT && !host.mode; c++) {
		snprintf(path, sizeof(path), "%s/%s", host.root,
			 cgroup_controller_name[c]);
		if (cgroup_fs_type(path) == CGROUP_SUPER_MAGIC)
			host.mode = CGROUP_V1;
	}
	snprintf(path, sizeof(path), "%s/unified", host.root);
	host.hybrid = host.mode == CGROUP_V1 &&
		      cgroup_fs_type(path) == CGROUP2_SUPER_MAGIC;

	/* A root that is no cgroupfs at all is a scratch directory. */
	host.scratch = root && *root && host.mode == CGROUP_NONE;
	if (host.scratch) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", root);
		host.mode = access(path, F_OK) == 0 ? CGROUP_V2 : CGROUP_V1;
	}
	if (mode && strcmp(mode, "v1") == 0)
		host.mode = CGROUP_V1;
	else if (mode && strcmp(mode, "v2") == 0)
		host.mode = CGROUP_V2;
	else if (mode && *mode)
		bad_mode = mode;
	return &host;
}

const char *cgroup_mode_name(void)
{
	const struct cgroup_host *h = cgroup_detect();

	if (h->mode == CGROUP_V2)
		return "v2";
	if (h->mode == CGROUP_V1)
		return h->hybrid ? "hybrid v1" : "v1";
	return "none";
}

bool cgroup_needs(enum cgroup_controller c, const struct cgroup_limits *l)
{
	return (c == CG_CPU && l->cpu_quota_us > 0) ||
	       (c == CG_MEMORY && l->memory_bytes > 0) ||
	       (c == CG_PIDS && l->pids_max > 0);
}

int cgroup_locate(struct cgroup *cg, const struct cgroup_limits *limits,
		  bool quiet)
{
	const struct cgroup_host *h = cgroup_detect();

	memset(cg, 0, sizeof(*cg));
	for (int c = 0; c < CG_COUNT; c++)
		cg->of[c] = -1;
	if (bad_mode) {
		if (!quiet)
			warnx("LESSON_CGROUP_MODE=%s: use v1 or v2", bad_mode);
		return -1;
	}
	if (h->mode == CGROUP_V1)
		return cgroup_v1_locate(cg, limits, quiet);
	if (h->mode == CGROUP_V2)
		return cgroup_v2_locate(cg, limits, quiet);
	if (!quiet)
		warnx("no cgroup filesystem at %s: this kernel or its mounts "
		      "have no cgroups (see /proc/cgroups)",
		      h->root);
	return -1;
}

/* We need to create directories below each parent. */
static int writable(const struct cgroup *cg, bool quiet)
{
	for (int i = 0; i < cg->ndirs; i++)
		if (access(cg->parent[i], W_OK) < 0) {
			if (!quiet)
				warnx("limits need root or cgroup delegation: "
				      "cannot create a cgroup in %s (%s); run "
				      "it with sudo",
				      cg->parent[i], strerror(errno));
			return -1;
		}
	return 0;
}

int cgroup_check(const struct cgroup_limits *limits)
{
	struct cgroup *cg = malloc(sizeof(*cg));
	int rc;

	if (!cg) {
		warn("malloc");
		return -1;
	}
	rc = cgroup_locate(cg, limits, false) < 0 || writable(cg, false) < 0
		     ? -1
		     : 0;
	free(cg);
	return rc;
}

bool cgroup_can_create(void)
{
	const struct cgroup_limits none = {0};
	struct cgroup *cg = malloc(sizeof(*cg));
	bool ok;

	ok = cg && cgroup_locate(cg, &none, true) == 0 && cg->ndirs > 0 &&
	     writable(cg, true) == 0;
	free(cg);
	return ok;
}

int cgroup_make_dirs(struct cgroup *cg, const char *name)
{
	for (int i = 0; i < cg->ndirs; i++) {
		char *dir = cg->dir[i];

		if (snprintf(dir, PATH_MAX, "%s/%s", cg->parent[i], name) >=
			    PATH_MAX ||
		    mkdir(dir, 0755) < 0) {
			warn("mkdir %s/%s", cg->parent[i], name);
			dir[0] = '\0'; /* not ours to remove */
			return -1;
		}
	}
	return 0;
}

struct cgroup *cgroup_create(const char *name,
			     const struct cgroup_limits *limits)
{
	struct cgroup_limits l = *limits;
	struct cgroup *cg = malloc(sizeof(*cg));
	int rc;

	if (!cg) {
		warn("malloc");
		return NULL;
	}
	if (cgroup_locate(cg, &l, false) < 0 || writable(cg, false) < 0) {
		free(cg);
		return NULL;
	}
	if (l.cpu_quota_us > 0 && l.cpu_period_us <= 0)
		l.cpu_period_us = 100000; /* the kernel's default period */
	rc = cgroup_detect()->mode == CGROUP_V2
		     ? cgroup_v2_create(cg, name, &l)
		     : cgroup_v1_create(cg, name, &l);
	if (rc < 0) {
		cgroup_destroy(cg);
		return NULL;
	}
	return cg;
}

int cgroup_add(struct cgroup *cg, pid_t pid)
{
	/* v1: the process joins one cgroup in every tree; v2: one tree. */
	for (int i = 0; i < cg->ndirs; i++)
		if (cgroup_write_number(cg->dir[i], "cgroup.procs", pid) < 0)
			return -1;
	return 0;
}

bool cgroup_oom_killed(struct cgroup *cg)
{
	int m = cg->of[CG_MEMORY];

	/* Both count the processes the OOM killer took: v1 in
	 * memory.oom_control, v2 in memory.events. */
	if (m < 0 || !cg->dir[m][0])
		return false;
	return cgroup_read_key(cg->dir[m],
			       cgroup_detect()->mode == CGROUP_V2
				       ? "memory.events"
				       : "memory.oom_control",
			       "oom_kill") > 0;
}

void cgroup_destroy(struct cgroup *cg)
{
	if (!cg)
		return;
	for (int i = cg->ndirs - 1; i >= 0; i--) {
		if (!cg->dir[i][0])
			continue;
		/* Most often nothing is left in it (the program has reaped
		 * its child, and a PID namespace takes the rest along): one
		 * rmdir. It fails with EBUSY while a process is inside (one
		 * the command left behind), ENOTEMPTY for a scratch dir:
		 * then kill what is left, and remove it. */
		if (rmdir(cg->dir[i]) == 0 || errno == ENOENT)
			continue;
		cgroup_kill_all(cg->dir[i]);
		cgroup_remove_dir(cg->dir[i]);
	}
	free(cg);
}

