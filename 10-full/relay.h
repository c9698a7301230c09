/*
 * 10-full/relay.h - the container's own session, and its stdio through
 * pipes: nothing of the caller's terminal (or of any host file) inside.
 *
 * Read: credentials(7) (sessions, process groups), setsid(2), pipe(7),
 *       poll(2), signal(7) (SIGPIPE, SIGTTIN)
 */
#ifndef RELAY_H
#define RELAY_H

#include <stdbool.h>

/* Parent, first of all: opens /dev/null on any of fds 0-2 that is closed,
 * so that nothing we open later takes its number (and is then mistaken
 * for our stdout, or handed to the container as its stdin). Returns 0,
 * or -1 after saying why. */
int relay_stdio_open(void);

/* Parent, before clone() (not with -t, which brings its own pty): pipes
 * for the container's stdin, stdout and stderr (one for both outputs when
 * ours are one file). What comes out is also logged when a log is open
 * (logfile.h); detached, it is only logged. keep_stdin (-itd): the
 * container's stdin stays open, with nothing written to it, until it
 * ends. Returns 0, or -1 after saying why. */
int relay_prepare(bool detached, bool keep_stdin);

/* Child, first thing after "go": leaves our session for one of its own
 * (no controlling terminal, a process group no one else is in), and
 * makes the pipes (if prepared) its fds 0, 1 and 2. Returns 0, or -1
 * after saying why. */
int relay_child(void);

/* Parent, once the child exists: a thread copies our stdin into the
 * container's, and its stdout and stderr to ours, until each side is
 * closed. Returns 0, or -1 after saying why. */
int relay_start(void);

/* Parent, -itd, once the child exists: a copy of the write end of the
 * container's stdin, for `attach` to type into (attachd.h). Returns it,
 * or -1 after saying why. */
int relay_stdin(void);

/* Supervisor (detached), from any thread: the init said whether the
 * command runs ('S': the container's stderr is only logged from now on,
 * what was held dropped) or not ('F': held stderr goes to ours, the
 * caller's, which tells why). Until then the thread holds it. */
void relay_verdict(char v);

/* Parent, after the container ended: stops relaying our stdin, copies
 * what is left in the pipes, and waits for the thread. Safe to call
 * when relay_prepare() or relay_start() was not. */
void relay_finish(void);

#endif
