/*
 * 10-full/sweep.h - what a container killed with SIGKILL left behind is
 * removed by the next `container run`.
 *
 * Read: proc(5) (/proc/PID/stat, field 22: starttime)
 */
#ifndef SWEEP_H
#define SWEEP_H

#include "../07-cgroups/cgroups.h"
#include "state.h"

/* Writes st->dir/owner: our PID, start time and PID namespace, then the
 * directory of each of cg's cgroups (cg may be NULL), one a line: what a
 * later run needs to know that we are gone and what to remove. Returns
 * 0, or -1 after saying why. */
int sweep_note(const struct state *st, const struct cgroup *cg);

/* Removes every state dir of ours (root: /run/lesson-container-*;
 * rootless: /tmp/lesson-container-UID-*) whose owner is no longer
 * running, with the cgroups it names, and says so on stderr. A dir
 * without an owner note, or whose owner runs, is left alone. */
void sweep_stale(bool rootless);

#endif
