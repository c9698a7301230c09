/*
 * 10-full/exec.h - the verb `exec`: run a command in a running container.
 */
#ifndef EXEC_H
#define EXEC_H

/* `container exec [-i] [-t] [-e K=V] [-w DIR] NAME CMD...`; argv[0] is
 * "exec". Returns the exit code: the command's, or 125/126/127. */
int cmd_exec(int argc, char **argv);

/* The same, with the data root given (the records are in
 * ROOT/containers, store.h). */
int exec_in(const char *root, int argc, char **argv);

#endif
