/*
 * 07-cgroups/cgroups.c - a cgroup of its own: CPU, memory and process limits.
 *
 * Claim: the command runs in a fresh cgroup, joined before it execs, that
 *        holds it to --cpus (about that share of one CPU, by the cgroup's
 *        own usage counter), --memory (past it the kernel OOM-kills: exit
 *        137, and we say so) and --pids (forks fail at the limit); the
 *        cgroup is gone after every run.   (tested in tests/07-cgroups.bats)
 * Uses:  06-net (and through it 01-05), cgroup_core.c and its backends
 * Read:  cgroups(7), Documentation/admin-guide/cgroup-v2.rst
 *
 * Namespaces decide what a process can see; cgroups decide how much it may
 * use. The recipe is the one in the notes: make a directory in each
 * subsystem's tree, write the limits into its files, write the PID into
 * cgroup.procs. Here the parent does that while the child waits on its
 * pipe (01's parent hook), so not one instruction of the command runs
 * outside the limits, and everything it forks inherits the cgroup.
 */
#include "cgroups.h"
#include "stale.h"

#include <stdio.h>

static struct cgroup_limits limits;
static const char *cpus_text, *memory_text;
static bool use_cgroup;
static struct cgroup *cgroup;

static int set_cpus(const char *value)
{
	/* Refused now if wrong for the period known so far; check()
	 * computes it again once every option (--cpu-period) is in. */
	struct cgroup_limits probe = {.cpu_period_us = limits.cpu_period_us};

	if (cgroup_parse_cpus(value, &probe) < 0)
		return -1;
	cpus_text = value;
	return 0;
}

static int set_cpu_quota(const char *value)
{
	return cgroup_parse_quota("--cpu-quota", value, &limits.cpu_quota_us);
}

static int set_cpu_period(const char *value)
{
	return cgroup_parse_period("--cpu-period", value,
				   &limits.cpu_period_us);
}

static int set_memory(const char *value)
{
	memory_text = value;
	return cgroup_parse_size("--memory", value, &limits.memory_bytes);
}

static int set_pids(const char *value)
{
	return cgroup_parse_pids("--pids", value, &limits.pids_max);
}

/* Everything is checked here, before prepare() creates a thing. */
static int cgroups_check(void)
{
	if (cgroup_check_cpu(&limits, cpus_text) < 0 ||
	    (cpus_text && cgroup_parse_cpus(cpus_text, &limits) < 0))
		return -1;

	/* Without limits the cgroup only measures and tidies up; someone
	 * who may not make one (not root, nothing delegated) runs without
	 * it. Limits they asked for must not be silently dropped. */
	if (!limits.cpu_quota_us && !limits.memory_bytes && !limits.pids_max &&
	    !cgroup_can_create())
		return 0;
	use_cgroup = true;
	return cgroup_check(&limits);
}

static int cgroups_prepare(void)
{
	char prefix[64], name[128];

	if (!use_cgroup)
		return 0;
	/* lesson-07-cgroups-PID-START: unique per run (two runs at once must
	 * not share a cgroup), and it names its owner from the instant it
	 * exists, so that what a kill -9 leaves behind is known as dead by
	 * the next run of the same program, which removes it first. */
	snprintf(prefix, sizeof(prefix), "lesson-%s", lesson_program);
	cgroup_sweep(prefix);
	if (stale_name(name, sizeof(name), prefix) < 0)
		return -1;
	cgroup = cgroup_create(name, &limits);
	return cgroup ? 0 : -1;
}

/* The child is waiting on the pipe: it joins before it runs a line. */
static int cgroups_parent(pid_t child)
{
	return cgroup ? cgroup_add(cgroup, child) : 0;
}

static void cgroups_cleanup(void)
{
	if (!cgroup)
		return;
	if (memory_text && cgroup_oom_killed(cgroup))
		warnx("out of memory: the kernel killed a process in the "
		      "container for going over --memory %s (exit status "
		      "137 if it was the command)", memory_text);
	cgroup_destroy(cgroup);
	cgroup = NULL;
}

static const struct lesson_option cgroups_options[] = {
	{"cpus", 0, "N", "at most N CPUs of time (0.5: half of one)", set_cpus},
	{"cpu-quota", 0, "US", "CPU time per period, in microseconds",
	 set_cpu_quota},
	{"cpu-period", 0, "US", "the period (default 100000)", set_cpu_period},
	{"memory", 'm', "SIZE", "memory limit, no swap (64M, 1G)", set_memory},
	{"pids", 0, "N", "at most N processes and threads", set_pids},
	{0},
};

const struct lesson cgroups_lesson = {
	.name = "07-cgroups",
	.summary = "a cgroup of its own: CPU, memory and process limits",
	.prev = &net_lesson,
	.options = cgroups_options,
	.check = cgroups_check,
	.prepare = cgroups_prepare,
	.parent = cgroups_parent,
	.cleanup = cgroups_cleanup,
};
