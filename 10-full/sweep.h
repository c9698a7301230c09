/*
 * 10-full/sweep.h - what a container killed with SIGKILL left behind is
 * removed by the next `container run` of the same user.
 *
 * Read: note.h (who owns what), proc(5)
 */
#ifndef SWEEP_H
#define SWEEP_H

#include "state.h"

/* For each owner note in st->root/containers (ours only: the data root
 * is the user's own) whose owner is gone: removes its cgroups, its
 * container dir, its name and the note, and says so on stderr. A note
 * whose owner runs, or from another PID namespace, is left alone. */
void sweep_stale(const struct state *st);

#endif
