/*
 * 10-full/cpuplace.c - right after clone(), the runtime leaves its CPU to
 * the child, which has the longer way to go.
 *
 * Claim: a start is as before, only sooner where the kernel put the child
 *        on our CPU and another one is free (make bench, the run row;
 *        README, "Speed"). Nothing of the container's changes: its CPUs
 *        are the ones it was cloned with.
 * Uses:  nothing of the lessons; called by run.c (parent)
 * Read:  sched_setaffinity(2), sched_getcpu(3), proc(5) (/proc/PID/stat,
 *        field 39: the CPU a task last ran on, or is queued on)
 *
 * A new process starts on its parent's CPU: on the VM of the README's
 * "Speed", 197 forks in 200 did, even with the other CPU idle. Our child
 * then waits there, queued, while we go on: the relay thread, the record,
 * the signal handlers, "go" (0.23 ms, median of 150 traced starts),
 * although its way to the command (its root: ~25 mounts, then the init)
 * is the long one, and ours only has to be done before its root is. So,
 * when it waits on our CPU and another is allowed, we move ourselves
 * there: the kernel moves a running task at once, and the child runs.
 * Then we put our CPU set back as it was, at once: we are allowed where
 * we are now, so that moves nothing. (The kernel keeps the set given to
 * sched_setaffinity() as "asked for" and applies it again if our cgroup's
 * cpuset changes: it is the set we had anyway, and the container, cloned
 * before, is not concerned.) The child is never the one moved: the set
 * given to it would stay its own, and its container's.
 */
#include "cpuplace.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The CPU pid is on (field 39 of /proc/PID/stat), or -1. */
static int cpu_of(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd, field;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* after the name, which may hold anything */
	if (!p)
		return -1;
	for (field = 2; p && field < 39; field++)
		p = strchr(p + 1, ' ');
	return p ? atoi(p + 1) : -1;
}

void cpu_leave_to(pid_t child)
{
	cpu_set_t ours, others;
	int cpu = sched_getcpu();

	if (cpu < 0 || sched_getaffinity(0, sizeof(ours), &ours) < 0 ||
	    !CPU_ISSET(cpu, &ours))
		return;
	others = ours;
	CPU_CLR(cpu, &others);
	if (CPU_COUNT(&others) == 0 || cpu_of(child) != cpu)
		return;
	if (sched_setaffinity(0, sizeof(others), &others) == 0)
		sched_setaffinity(0, sizeof(ours), &ours);
}
