/*
 * 10-full/selfexec.h - the container's init runs from a private, sealed
 * copy of the runtime's binary, exec'd afresh.
 *
 * Read: memfd_create(2), fcntl(2) F_ADD_SEALS, execveat(2), CVE-2019-5736
 */
#ifndef SELFEXEC_H
#define SELFEXEC_H

/* argv[0] of the container's init: child.c execs it, main.c knows it.
 * Inside, /proc/1/cmdline reads "container-init" and the command. */
#define SELFEXEC_INIT_NAME "container-init"

/* A private copy of this process's binary: a sealed memfd or, where
 * vm.memfd_noexec forbids executing one, an unnamed O_TMPFILE file that
 * nobody can write. Returns its fd (close-on-exec), or -1 after saying
 * why no copy could be made. `run` makes it before clone(); the child
 * inherits it. */
int selfexec_copy(void);

/* In the container, after the hardening: execs copy (selfexec_copy's fd)
 * as the container's init, with argv SELFEXEC_INIT_NAME followed by cmd,
 * and the environment envp (the command's). Returns only on failure: the
 * exit code, after saying why. */
int selfexec_init(int copy, char **cmd, char **envp);

/* main() of the init: not dumpable again (execve made it so), then
 * 03-pid's init runs cmd. Returns the command's exit code. */
int selfexec_init_main(char **cmd);

#endif
