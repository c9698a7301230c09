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

#include <sys/types.h>

/* The sealed copy to exec from (reexec.c says which): the one the init
 * (host PID init, pidfd a pidfd for it) runs from when it is this very
 * binary, read-only; else selfexec_copy(root)'s. Returns an fd
 * (close-on-exec), or -1 after saying why. */
int reexec_copy(const char *root, pid_t init, int pidfd);

/* In the container, hardened, as the last act: execs copy (a sealed copy
 * of the runtime, selfexec_copy's) as REEXEC_NAME argv..., which execs
 * argv. Returns only on failure, with the exit code. */
int reexec_command(int copy, char **argv);

/* main() of the copy exec'd so: not dumpable again, then lesson_exec(argv).
 * Returns only on failure: 126, 127 or 125, after saying why. */
int reexec_main(char **argv);

#endif
