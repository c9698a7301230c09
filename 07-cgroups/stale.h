/*
 * 07-cgroups/stale.h - names that carry their owner, so that what a run
 * killed with SIGKILL left behind is known as dead by the next run.
 *
 * Read: proc(5) (/proc/PID/stat, field 22: starttime)
 */
#ifndef STALE_H
#define STALE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Field 22 of /proc/PID/stat: when the process started, in clock ticks
 * since boot. 0 when no such process runs, or only its corpse (a zombie
 * has run its exit: whatever cleanup it had, it did or never will). */
unsigned long long stale_start_time(pid_t pid);

/* Fields 3, 20 and 22 of /proc/PID/stat: the state ('Z' a zombie), the
 * number of threads, and the start time, which it returns (0: no such
 * process). 10-full's note.c judges a zombie owner by its threads. */
unsigned long long stale_proc_stat(pid_t pid, char *state, int *threads);

/* LESSON_TAG in the environment (1-16 lowercase letters or digits), a
 * mark of a workshop seat or a test run: every name below becomes
 * PREFIX-TAG-PID-START, and a sweep looks only at names with the same tag
 * (so, at names of the same seat or run). Without it, PREFIX-PID-START. */

/* Writes "PREFIX[-TAG]-PID-START" into buf: our own PID and start time,
 * which no later process with our PID can share. Returns 0, or -1 after
 * saying so if it does not fit or the tag is not one. */
int stale_name(char *buf, size_t size, const char *prefix);

/* True when name is "PREFIX[-TAG]-PID-START" (with our tag, if any) and
 * that process no longer runs; then *owner is its PID. */
bool stale_is_dead(const char *name, const char *prefix, pid_t *owner);

/* Calls drop(path, owner) for each entry of dir named PREFIX-PID-START
 * that is ours to judge and dead: a directory (not a link) owned by our
 * effective uid, whose owner no longer runs. Another user's, or a live
 * run's, is never passed on. drop() says what it removed. */
void stale_sweep(const char *dir, const char *prefix,
		 void (*drop)(const char *path, pid_t owner));

#endif
