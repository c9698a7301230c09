/*
 * 10-full/cpuplace.h - right after clone(), the runtime leaves its CPU to
 * the child (cpuplace.c says why).
 *
 * Read: sched_setaffinity(2)
 */
#ifndef CPUPLACE_H
#define CPUPLACE_H

/* Right after clone(): where we may run on another CPU, moves us there,
 * off the one our child starts on, and gives us back our CPU set as it
 * was. Never fails: at worst nothing moves. */
void cpu_leave(void);

#endif
