/*
 * 10-full/cpuplace.c - right after clone(), the runtime leaves its CPU to
 * the child, which has the longer way to go.
 *
 * Claim: a start is as before, only sooner where the kernel put the child
 *        on our CPU and another one is free (make bench, the run row;
 *        README, "Speed"). Nothing of the container's changes: its CPUs
 *        are the ones it was cloned with.
 * Uses:  nothing of the lessons; called by run.c (parent)
 * Read:  sched_setaffinity(2), sched_getcpu(3)
 *
 * A new process starts on its parent's CPU: on the VM of the README's
 * "Speed", 197 forks in 200 did, even with the other CPU idle. Our child
 * then waits there, queued, while we go on: the relay thread, the record,
 * the signal handlers, "go" (0.23 ms, median of 150 traced starts),
 * although its way to the command (its root: ~20 mounts, then the init)
 * is the long one, and ours only has to be done before its root is. So,
 * when another CPU is allowed, we move ourselves there: the kernel moves
 * a running task at once, and the child runs. We do not look where the
 * child is first: /proc/PID/stat would tell, but reading it made the
 * child wait 0.015 ms more every time, and in the rare start where it
 * began elsewhere, the kernel's balancing soon gives the CPU we left to
 * one of the two that share one.
 * Then we put our CPU set back as it was, at once: we are allowed where
 * we are now, so that moves nothing. (The kernel keeps the set given to
 * sched_setaffinity() as "asked for" and applies it again if our cgroup's
 * cpuset changes: it is the set we had anyway, and the container, cloned
 * before, is not concerned.) The child is never the one moved: the set
 * given to it would stay its own, and its container's.
 */
#include "cpuplace.h"

#include <sched.h>

void cpu_leave(void)
{
	cpu_set_t ours, others;
	int cpu = sched_getcpu();

	if (cpu < 0 || sched_getaffinity(0, sizeof(ours), &ours) < 0 ||
	    !CPU_ISSET(cpu, &ours))
		return;
	others = ours;
	CPU_CLR(cpu, &others);
	if (CPU_COUNT(&others) == 0)
		return;
	if (sched_setaffinity(0, sizeof(others), &others) == 0)
		sched_setaffinity(0, sizeof(ours), &ours);
}
