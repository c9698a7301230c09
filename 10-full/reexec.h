/*
 * 10-full/reexec.h - the command `container exec` starts is exec'd by a
 * sealed copy of the runtime, not by the host's binary.
 *
 * Read: execveat(2), CVE-2019-5736
 */
#ifndef REEXEC_H
#define REEXEC_H

/* argv[0] of the copy that execs exec's command (main.c knows it). */
#define REEXEC_NAME "container-exec"
/* argv[0] of the copy that execs `run`'s command as PID 1 (no --init). */
#define REEXEC_RUN_NAME "container-run"

#include <stdbool.h>

#include <sys/types.h>

struct container;

/* The sealed copy to exec from (reexec.c says which): the one PID 1 (the
 * record rec's, pidfd a pidfd for it) runs from when it is this very
 * binary, read-only (--init); else the one rec's supervisor holds, when it
 * is; else selfexec_copy(root)'s. Returns an fd (close-on-exec), or -1
 * after saying why. */
int reexec_copy(const char *root, const struct container *rec, int pidfd);

/* In the container, hardened, as the last act: execs copy (a sealed copy
 * of the runtime, selfexec_copy's) as REEXEC_NAME argv..., which execs
 * argv. Returns only on failure, with the exit code. */
int reexec_command(int copy, char **argv);

/* The same for `run` without --init, in the child, hardened, as its last
 * act: the copy (REEXEC_RUN_NAME) becomes the command, PID 1. On fd 3, the
 * start report (supervise.c): 'X' right before the command's execve(),
 * which closes fd 3 when it succeeds; 'F' after it when it failed; nothing
 * when a stop signal came first (exit 128+N). Returns only on failure. */
int reexec_run(int copy, char **argv);

/* main() of the copy exec'd so (run: as REEXEC_RUN_NAME): not dumpable
 * again, then lesson_exec(argv). Where entry.c runs first (x86-64), only
 * for a copy it did not take. Returns only on failure: 126, 127 or 125,
 * after saying why. */
int reexec_main(char **argv, bool run);

#endif
