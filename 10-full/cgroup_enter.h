/*
 * 10-full/cgroup_enter.h - a process moves itself into its cgroup, without
 * the RCU grace period that moving another process costs on cgroup v1.
 *
 * (An addition to 07-cgroups' interface: it lives here only until 07
 * takes it; it uses 07's backend, it does not copy it.)
 *
 * Read: cgroups(7) ("tasks" and "cgroup.procs"), kernel/cgroup/cgroup.c
 *       cgroup_procs_write_start()
 */
#ifndef CGROUP_ENTER_H
#define CGROUP_ENTER_H

#include "../07-cgroups/cgroups.h"

/* Moves the calling process, which must have one thread, into cg: on v1
 * by writing "0" (myself) to each tree's `tasks`, on v2 to cgroup.procs.
 * Returns 0, or -1 after saying which file failed. */
int cgroup_enter(struct cgroup *cg);

/* Puts the names of the controllers cg has a cgroup for ("pids",
 * "memory"...) into names, NULL-terminated (at most max-1 of them). */
void cgroup_enter_controllers(const struct cgroup *cg, const char **names,
			      int max);

#endif
