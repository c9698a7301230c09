/*
 * 10-full/selfexec.h - the container's init runs the runtime's binary
 * through a read-only overlay (or from a sealed copy), exec'd afresh.
 *
 * Read: fsmount(2), memfd_create(2), execveat(2), CVE-2019-5736
 */
#ifndef SELFEXEC_H
#define SELFEXEC_H

/* argv[0] of the container's init: child.c execs it, main.c knows it.
 * Inside, /proc/1/cmdline reads "container-init" and the command. */
#define SELFEXEC_INIT_NAME "container-init"

/* ROOT/empty, a directory of the data root that stays empty: the lower
 * layer under the binary's directory in selfexec_copy's overlay, and the
 * mount point of each container's small tmpfs, in the container's own
 * mount namespace (layers.c). Made by selfexec_copy() if missing. */
#define SELFEXEC_EMPTY "empty"

/* Makes ROOT/empty if missing, before anything needs it: `run` in the
 * foreground makes the sealed copy only after clone(), while the child
 * already mounts its tmpfs there. Returns 0, or -1 after saying why. */
int selfexec_empty(const char *root);

/* This process's binary, sealed: as root, opened through a private,
 * read-only overlayfs mount; else (or where that fails) a private copy
 * (selfcopy.c). root is the data root (state.h). Returns the fd
 * (close-on-exec, maybe O_PATH), or -1 after saying why. `run -d` calls
 * it before clone(), and the child inherits the fd; in the foreground,
 * after clone(), while the child makes its root, and the child takes it
 * with its network namespace (netearly.c). */
int selfexec_copy(const char *root);

/* Closes copy (selfexec_copy's fd) and the mount it came through, kept
 * open until now: the last close waits for two RCU grace periods (0.2-0.5
 * ms here), so `run` calls it in a thread (release.c). */
void selfexec_close(int copy);

/* In the container, after the hardening: execs copy (selfexec_copy's fd)
 * as the container's init, with argv SELFEXEC_INIT_NAME followed by cmd,
 * and the environment envp (the command's). Returns only on failure: the
 * exit code, after saying why. */
int selfexec_init(int copy, char **cmd, char **envp);

/* main() of the init: not dumpable again (execve made it so), then
 * 03-pid's init runs cmd. Returns the command's exit code. */
int selfexec_init_main(char **cmd);

#endif
