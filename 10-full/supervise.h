/*
 * 10-full/supervise.h - `run -d` and `start`: a small process of ours
 * stays with the container, in a session of its own, while the caller
 * returns.
 *
 * Read: setsid(2), fork(2), pipe(7), credentials(7)
 */
#ifndef SUPERVISE_H
#define SUPERVISE_H

#include <stdbool.h>

/* The caller: forks the supervisor and waits until it says that the
 * command runs, or that the container ended before (its messages went to
 * our stderr meanwhile). Returns, in the caller, the exit code for it: 0
 * when the command runs, else the container's (125, 126, 127...); in the
 * supervisor, -2, and it goes on with the run; -1 after saying why no
 * supervisor could be made. */
int supervise_detach(void);

/* Before clone() (every run, detached or not): the pipe on which the
 * container's PID 1 reports the start (fd 3 in it: the sealed copy's 'X'
 * before the command's exec, entry.c; --init: 03-pid's pid_report_fd).
 * Returns its write end, for the child, or -1 after saying
 * why. */
int supervise_report_pipe(void);

/* -d, once the child exists: drops our copy of the write end, and a
 * thread waits for the report. When the command runs, the
 * caller is told, and everything of the caller's we hold (its stdin,
 * stdout, stderr) is let go. Returns 0, or -1 after saying why. */
int supervise_watch(int write_end);

/* In the foreground: the read end of that pipe, which nobody reads
 * before supervise_ran() (release.c only waits until it can be read), or
 * -1. */
int supervise_report_fd(void);

/* In the cleanup: whether PID 1 got to start the command (its exec
 * may have failed: 126, 127), as it reported. Not: the runtime failed
 * before, and nothing of the container is worth keeping. */
bool supervise_ran(void);

/* In the cleanup, before the relay ends (relay_finish): with -d, waits
 * until the thread has heard PID 1's word, which it always does once
 * PID 1 is gone (its word, or the end of the pipe), and has told
 * the relay. Without it, a command that ended before the thread ran got
 * the word "never ran" from the relay, and its held stderr went to the
 * caller (seen under load; tests/10-full-life.bats, strace). */
void supervise_heard(void);

/* In the supervisor, at the end: the caller, if not told yet, learns the
 * container's exit code. Waits for the thread. */
void supervise_end(int status);

#endif
