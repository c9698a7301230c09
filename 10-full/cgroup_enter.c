/*
 * 10-full/cgroup_enter.c - the container moves itself into its cgroup.
 *
 * Claim: a single-threaded process writing "0" to a v1 `tasks` file joins
 *        the cgroup in about 0.1 ms, where the parent writing the child's
 *        PID to cgroup.procs waits 8-18 ms on this machine; the limits
 *        still hold before the command starts.   (the limit tests in
 *        tests/10-full.bats; the time in make bench)
 * Uses:  07-cgroups (its backend: the cgroup's directories, cgroup_write)
 * Read:  cgroups(7), kernel/cgroup/cgroup.c cgroup_procs_write_start()
 *
 * Moving a whole process (cgroup.procs) must stop it from forking or
 * exiting halfway, so the kernel takes cgroup_threadgroup_rwsem for
 * writing. That lock is a per-CPU rwsem: cheap for the many readers (every
 * fork), and its writer first waits for an RCU grace period, several
 * clock ticks. Moving one thread that is the caller itself (`tasks`, "0")
 * needs no such lock: the thread cannot exit or exec while it is busy
 * writing. For a process with a single thread the result is the same.
 */
#include "cgroup_enter.h"

#include "../07-cgroups/cgroup_backend.h"

#include <stddef.h>

int cgroup_enter(struct cgroup *cg)
{
	for (int i = 0; i < cg->ndirs; i++) {
		/* v2 has no `tasks`: there cgroup.procs, and the wait. */
		const char *file = cgroup_has_file(cg->dir[i], "tasks")
				       ? "tasks"
				       : "cgroup.procs";

		if (cgroup_write(cg->dir[i], file, "0") < 0)
			return -1;
	}
	return 0;
}

void cgroup_enter_controllers(const struct cgroup *cg, const char **names,
			      int max)
{
	int n = 0;

	for (int c = 0; c < CG_COUNT && n < max - 1; c++)
		if (cg && cg->of[c] >= 0)
			names[n++] = cgroup_controller_name[c];
	names[n] = NULL;
}
