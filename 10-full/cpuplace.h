/*
 * 10-full/cpuplace.h - right after clone(), the runtime leaves its CPU to
 * the child (cpuplace.c says why).
 *
 * Read: sched_setaffinity(2)
 */
#ifndef CPUPLACE_H
#define CPUPLACE_H

#include <sys/types.h>

/* Where child waits on our CPU and we may run on another, moves us
 * there, and gives us back our CPU set as it was. Never fails: at worst
 * nothing moves. */
void cpu_leave_to(pid_t child);

#endif
