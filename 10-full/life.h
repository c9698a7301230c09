/*
 * 10-full/life.h - the steps of a container's record through one run
 * (store.h has the record, life.c says when each step comes).
 *
 * Read: docker-run(1) (--rm)
 */
#ifndef LIFE_H
#define LIFE_H

#include "options.h"
#include "state.h"

#include <sys/types.h>

/* Once the container's dir exists: the record says "created" (for
 * `start`, st->restart: the old record, rewritten), with its range of
 * host ids (--userns as root, else 0), and the log is open when the
 * output is kept. Returns 0, or -1 after saying why. */
int life_created(const struct state *st, const struct config *c,
		 unsigned id_range);

/* Once the init exists: "running", its PID and start time. Returns 0, or
 * -1 after saying why. */
int life_running(const struct state *st, pid_t init);

/* From the cleanup, with the run's exit status, and whether the init got
 * to start the command (ran; its exec may have failed): "exited" with
 * it, and the dir and the name kept; or, with --rm or when the runtime
 * failed before the command, the record, the log, the dir and the name
 * removed (st says what is left for the cleanup to do). */
void life_ended(struct state *st, int status, bool ran);

#endif
