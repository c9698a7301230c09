/*
 * 10-full/tty.h - `container run -t`: a pseudo-terminal of the container's
 * own, relayed to ours.
 *
 * Read: pty(7), pts(4), termios(3), unix(7) (SCM_RIGHTS), credentials(7)
 *       (sessions and controlling terminals)
 */
#ifndef TTY_H
#define TTY_H

#include <stdbool.h>

/* Parent, before clone(): the socket pair the child sends its pty master
 * through. detached (-itd): no terminal of ours; the container's output
 * goes to the log only, and its input comes from `attach` (attachd.h).
 * Returns 0, or -1 after saying why. */
int tty_prepare(bool detached);

/* Child, inside the new root, before the hardening: opens a pty in the
 * container's own devpts (ptmx is its /dev/pts/ptmx), gives the slave the
 * size of our terminal, starts a session whose controlling terminal it
 * is, makes it stdin, stdout and stderr, and sends the master to the
 * parent. Returns 0, or -1 after saying why. */
int tty_child(const char *ptmx);

/* Parent, once the child exists: starts a thread that receives the
 * master, puts our terminal in raw mode and copies bytes both ways (and
 * window sizes in) until the container's side is closed. Returns 0, or
 * -1 after saying why. */
int tty_start(void);

/* Parent, after the container ended: waits for the relay to drain, and
 * gives our terminal back its settings. */
void tty_finish(void);

#endif
