/*
 * 10-full/oomscore.h - a container's OOM score adjustment: 0, or
 * --oom-score-adj's, never the caller's.
 *
 * Read: proc(5) /proc/PID/oom_score_adj
 */
#ifndef OOMSCORE_H
#define OOMSCORE_H

#include <stdbool.h>
#include <sys/types.h>

/* --oom-score-adj's text, -1000..1000, into *value. Returns 0, or -1
 * after one line saying what is wrong. */
int oomscore_parse(const char *text, int *value);

/* Whether value may be set by us: a raise always; a lower value, the
 * kernel is asked (on ourselves, and ours put back). Returns 0, or -1
 * after one line. */
int oomscore_check(int value);

/* Sets pid's (0: ours) to value when given; else to 0, unless that is a
 * lowering we may not make (then pid keeps its own, above 0). Returns 0,
 * or -1 after saying why. */
int oomscore_apply(pid_t pid, bool given, int value);

#endif
