/*
 * 07-cgroups/cgroup_v1.c - the v1 backend: one tree per controller.
 *
 * Claim: under v1 the per-run cgroup is one directory in each controller's
 *        tree (cpu, cpuacct, memory, pids), each with that controller's
 *        files: cpu.cfs_quota_us/cpu.cfs_period_us, memory.limit_in_bytes
 *        (and memory.memsw.limit_in_bytes, so no swap on top, and
 *        memory.kmem.tcp.limit_in_bytes, so that socket buffers count),
 *        pids.max.
 *        (tested in tests/07-cgroups.bats, on this host and on a scratch
 *        directory laid out like one)
 * Uses:  cgroup_core.c, cgroup_files.c
 * Read:  Documentation/admin-guide/cgroup-v1/{cgroups,memory,pids}.rst,
 *        Documentation/scheduler/sched-bwc.rst
 *
 * In v1 each hierarchy is its own mount (/sys/fs/cgroup/memory, ...) with
 * one or more controllers ("subsystems") attached: a process is in exactly
 * one cgroup of each hierarchy. Hosts often mount cpu and cpuacct together
 * (/sys/fs/cgroup/cpu,cpuacct with two symlinks to it); that is one tree,
 * so one directory.
 */
#include "cgroup_backend.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Our own cgroup in the tree that holds controller ctrl, from
 * /proc/self/cgroup lines such as "4:memory:/user.slice/session-2.scope"
 * (the login session's, on a systemd machine). The new
 * cgroup goes below it, like runc's relative cgroupsPath: it stays inside
 * any limit we are under, and a delegated subtree is enough. Returns 0
 * ("" for the root), or -1 after saying why. */
static int own_cgroup(const char *ctrl, char *path, size_t size)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 64];

	if (!f) {
		warn("open /proc/self/cgroup");
		return -1;
	}
	path[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *list = strchr(line, ':'), *where;

		if (!list || !(where = strchr(++list, ':')))
			continue;
		*where++ = '\0';
		where[strcspn(where, "\n")] = '\0';
		for (char *c = strtok(list, ","); c; c = strtok(NULL, ","))
			if (strcmp(c, ctrl) == 0 && strcmp(where, "/") != 0)
				snprintf(path, size, "%s", where);
	}
	fclose(f);
	return 0;
}

int cgroup_v1_locate(struct cgroup *cg, const struct cgroup_limits *limits,
		     bool quiet)
{
	const struct cgroup_host *h = cgroup_detect();
	struct stat seen[CG_COUNT], st;
	char tree[PATH_MAX], own[PATH_MAX] = "";

	for (int c = 0; c < CG_COUNT; c++) {
		const char *ctrl = cgroup_controller_name[c];
		int i;

		if (limits->lean && !cgroup_needs(c, limits) && c != CG_PIDS &&
		    !(c == CG_CPUACCT && limits->cpu_quota_us > 0))
			continue;
		snprintf(tree, sizeof(tree), "%s/%s", h->root, ctrl);
		if (stat(tree, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    (!h->scratch &&
		     cgroup_fs_type(tree) != CGROUP_SUPER_MAGIC)) {
			if (!cgroup_needs(c, limits))
				continue; /* fine: we only wanted to join */
			if (!quiet)
				warnx("the %s controller is missing: no cgroup "
				      "v1 hierarchy at %s (is '%s' enabled in "
				      "/proc/cgroups, and mounted?)",
				      ctrl, tree, ctrl);
			return -1;
		}
		for (i = 0; i < cg->ndirs; i++)
			if (seen[i].st_dev == st.st_dev &&
			    seen[i].st_ino == st.st_ino)
				break; /* co-mounted with an earlier one */
		if (i == cg->ndirs) {
			if (!h->scratch &&
			    own_cgroup(ctrl, own, sizeof(own)) < 0)
				return -1;
			seen[i] = st;
			snprintf(cg->parent[i], PATH_MAX, "%s%s", tree, own);
			cg->ndirs++;
		}
		cg->of[c] = i;
	}
	return 0;
}

int cgroup_v1_create(struct cgroup *cg, const char *name,
		     const struct cgroup_limits *limits)
{
	const char *dir;

	if (cgroup_make_dirs(cg, name) < 0)
		return -1;

	/* CFS bandwidth: at most quota microseconds of CPU time in every
	 * period, summed over all CPUs. Period first: the kernel checks the
	 * quota against it. */
	if (limits->cpu_quota_us > 0) {
		dir = cg->dir[cg->of[CG_CPU]];
		if (cgroup_write_number(dir, "cpu.cfs_period_us",
					limits->cpu_period_us) < 0 ||
		    cgroup_write_number(dir, "cpu.cfs_quota_us",
					limits->cpu_quota_us) < 0)
			return -1;
	}

	/* memsw limits memory plus swap, and must stay >= the memory limit,
	 * so it is written second. Equal values mean: no swap on top. It
	 * exists only when the kernel accounts swap. */
	if (limits->memory_bytes > 0) {
		dir = cg->dir[cg->of[CG_MEMORY]];
		if (cgroup_write_number(dir, "memory.limit_in_bytes",
					limits->memory_bytes) < 0)
			return -1;
		if (cgroup_has_file(dir, "memory.memsw.limit_in_bytes") &&
		    cgroup_write_number(dir, "memory.memsw.limit_in_bytes",
					limits->memory_bytes) < 0)
			return -1;
		/* The kernel's TCP buffers of our sockets: v1 counts them
		 * apart, and only once given a limit of their own (v2
		 * counts them in memory.max). Without it, a process under
		 * a 32 MiB limit queued 128 MiB in connections to itself
		 * that it never read. */
		if (cgroup_has_file(dir, "memory.kmem.tcp.limit_in_bytes") &&
		    cgroup_write_number(dir, "memory.kmem.tcp.limit_in_bytes",
					limits->memory_bytes) < 0)
			return -1;
	}

	if (limits->pids_max > 0 &&
	    cgroup_write_number(cg->dir[cg->of[CG_PIDS]], "pids.max",
				limits->pids_max) < 0)
		return -1;
	return 0;
}
