/*
 * 10-full/selfexec.h - the runtime runs only from a private, sealed copy of
 * its binary, and the container's init is that copy, exec'd afresh.
 *
 * Read: memfd_create(2), fcntl(2) F_ADD_SEALS, execveat(2), CVE-2019-5736
 */
#ifndef SELFEXEC_H
#define SELFEXEC_H

/* argv[0] of the container's init: child.c execs it, main.c knows it.
 * Inside, /proc/1/cmdline reads "container-init" and the command. */
#define SELFEXEC_INIT_NAME "container-init"

/* Makes sure this process runs from a private copy of its own binary: a
 * sealed memfd, or where vm.memfd_noexec forbids executing one, an
 * unnamed O_TMPFILE file that nobody can write. Returns 0 when it already
 * does; otherwise makes the copy and re-executes itself from it with the
 * same argv and environment (and does not return), or returns -1 after
 * saying why no copy could be run. */
int selfexec_seal(char **argv);

/* In the container, after the hardening: execs the copy we run from as
 * the container's init, with argv SELFEXEC_INIT_NAME followed by cmd, and
 * the environment envp (the command's). Returns only on failure: the exit
 * code, after saying why. */
int selfexec_init(char **cmd, char **envp);

/* main() of the init: not dumpable again (execve made it so), then
 * 03-pid's init runs cmd. Returns the command's exit code. */
int selfexec_init_main(char **cmd);

#endif
