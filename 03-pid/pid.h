/*
 * 03-pid/pid.h - a new PID namespace: the command is PID 1, and PID 1 is
 * special (signals, orphans). --init puts a tiny init there.
 *
 * Read: pid_namespaces(7), signal(7), wait(2)
 */
#ifndef PID_H
#define PID_H

#include "../02-ipc/ipc.h"

/* Makes the calling process forward SIGTERM, SIGINT, SIGHUP, SIGQUIT,
 * SIGUSR1 and SIGUSR2 to target (as docker run does). Signals from the
 * terminal (Ctrl-C) are not resent: they reached target's process group
 * already. The third SIGINT or SIGTERM becomes a SIGKILL; a Ctrl-C counts
 * only if target (a PID 1) neither catches nor ignores it. Call it once
 * target exists, e.g. as a lesson's .parent hook. Returns 0 or -1. */
int pid_forward_signals(pid_t target);

/* The tiny init: to be called as PID 1 of a new PID namespace. Starts argv
 * as its child (lesson_exec), forwards the signals above to it, reaps every
 * zombie, and returns the command's exit code (128+N on signal N) once the
 * command has exited. 10-full runs its containers under it. Not PID 1, it
 * makes itself a child subreaper. Returns with the forwarded signals and
 * SIGCHLD blocked (the caller is about to exit); EXIT_FAILED if it could
 * not start, or the command's own 126/127 if exec failed. */
int pid_init(char **argv);

/* When not -1, pid_init() writes one byte to this fd once it has started
 * the command: 'S' when the command's execve() succeeded, 'F' when it
 * failed; then closes it. 10-full's `run -d` returns on it. */
extern int pid_report_fd;

/* CLONE_NEWPID, signal forwarding, and --init. */
extern const struct lesson pid_lesson;

#endif
