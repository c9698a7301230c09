/*
 * 07-cgroups/cgroups.h - one interface to cgroup v1 and v2: create a
 * cgroup with limits, put a process in it, remove it.
 *
 * Read: cgroups(7), Documentation/admin-guide/cgroup-v2.rst,
 *       Documentation/admin-guide/cgroup-v1/
 */
#ifndef CGROUPS_H
#define CGROUPS_H

#include "../06-net/net.h"

/* A field that is 0 is not limited. */
struct cgroup_limits {
	long long cpu_quota_us;	 /* CPU time per period, in microseconds */
	long long cpu_period_us; /* the period (default 100000) */
	long long memory_bytes;	 /* memory limit (and no swap on top) */
	long long pids_max;	 /* most tasks at once */
	/* v1 only: join just the hierarchies that hold a limit, plus pids
	 * (to count and kill every process) and cpuacct with a CPU limit
	 * (to measure it). Each hierarchy joined costs a mkdir, a move and
	 * an rmdir per run; 10-full starts faster with it. 07 joins them
	 * all, so that you can watch the accounting. */
	bool lean;
};

/* "64M", "512K", "1G", "1048576" -> bytes. Returns 0, or -1 after saying
 * why (names the option). */
int cgroup_parse_size(const char *option, const char *text, long long *bytes);

/* "0.5" -> quota/period in limits (period 100000 unless already set).
 * Returns 0, or -1 after saying why. */
int cgroup_parse_cpus(const char *text, struct cgroup_limits *limits);

/* Positive whole number for --pids, --cpu-quota... Returns 0 or -1. */
int cgroup_parse_count(const char *option, const char *text, long long *n);

/* --cpu-quota and --cpu-period in microseconds, in the ranges the kernel
 * takes (quota at least 1000; period 1000 to 1000000); --pids at most
 * what pids.max takes. Each names option in its message. Returns 0 or -1,
 * so that a value the kernel would refuse is refused before anything is
 * made, not as a write error into a cgroup that already exists. */
int cgroup_parse_quota(const char *option, const char *text, long long *us);
int cgroup_parse_period(const char *option, const char *text, long long *us);
int cgroup_parse_pids(const char *option, const char *text, long long *n);

/* With every CPU option parsed: --cpus and --cpu-quota together, or a
 * period with nothing to limit, are refused (cpus_given: --cpus was
 * given). Fills in the default period. Returns 0 or -1. */
int cgroup_check_cpu(struct cgroup_limits *limits, bool cpus_given);

struct cgroup; /* opaque: which backend, which directories */

/* Checks, changing nothing, that a cgroup with these limits can be made
 * here: a cgroup filesystem, every controller they need (a missing one is
 * named), and write access ("needs root or cgroup delegation"). Returns
 * 0, or -1 after saying why. cgroup_create() checks the same. */
int cgroup_check(const struct cgroup_limits *limits);

/* True when a cgroup without limits could be made (quietly checked). */
bool cgroup_can_create(void);

/* Creates a cgroup named name (unique per run) with the limits, under the
 * host's hierarchy (v1 or v2, detected). Returns NULL after saying why (a
 * missing controller is named). */
struct cgroup *cgroup_create(const char *name,
			     const struct cgroup_limits *limits);

/* Moves process pid into the cgroup. Returns 0 or -1. */
int cgroup_add(struct cgroup *cg, pid_t pid);

/* True when the memory limit made the kernel OOM-kill something. */
bool cgroup_oom_killed(struct cgroup *cg);

/* Kills every process left in the cgroup, removes it, frees cg. */
void cgroup_destroy(struct cgroup *cg);

/* Removes the cgroups named PREFIX-PID-START (stale.h) that a run killed
 * with SIGKILL left where cgroup_create() would make ours: of our user
 * only, and only if that PID no longer runs; kills what is still inside.
 * Says what it removed. */
void cgroup_sweep(const char *prefix);

/* "v1", "v2" or "hybrid v1" for messages and tests ("none" without
 * cgroups). LESSON_CGROUP_ROOT=DIR and LESSON_CGROUP_MODE=v1|v2 point the
 * backends at a directory instead of /sys/fs/cgroup (cgroup_core.c). */
const char *cgroup_mode_name(void);

/* --cpus, --cpu-quota, --cpu-period, --memory, --pids. */
extern const struct lesson cgroups_lesson;

#endif
