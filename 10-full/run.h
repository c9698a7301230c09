/*
 * 10-full/run.h - the verb `run`: create a container, run a command in it,
 * remove it.
 */
#ifndef RUN_H
#define RUN_H

/* `container run [options] ROOTFS [command...]`; argv[0] is "run".
 * Returns the exit code: the command's, or 125/126/127. */
int cmd_run(int argc, char **argv);

#endif
