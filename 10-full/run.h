/*
 * 10-full/run.h - the verb `run`: create a container, run a command in it;
 * and `start`, which runs an exited one again.
 */
#ifndef RUN_H
#define RUN_H

#include "store.h"

/* `container run [options] ROOTFS [command...]`; argv[0] is "run".
 * Returns the exit code: the command's, or 125/126/127; with -d, 0 once
 * the command runs. */
int cmd_run(int argc, char **argv);

/* Runs container c (exited) again, detached, on its own writable layer,
 * with the options it was made with; lock (store_lock) is closed in the
 * supervisor. Returns as `run -d` does. */
int run_start(const struct container *c, int lock);

#endif
