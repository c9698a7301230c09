/*
 * 10-full/attachd.h - `run -itd`, then `container attach NAME`: type into
 * a detached container, read what it writes, and leave it running with
 * Ctrl-P Ctrl-Q.
 *
 * Read: unix(7) (sockets in the file system), pty(7), termios(3)
 */
#ifndef ATTACHD_H
#define ATTACHD_H

/* The supervisor, before clone(): listens on ROOT/containers/ID.sock
 * (only its owner may connect: the data root's owner). Returns 0, or -1
 * after saying why. */
int attach_listen(const char *root, const char *id);

/* Once the container's stdin exists (the pipe's write end, or the pty's
 * master, which attach_start takes): a thread copies what one attached
 * client types into it, one client at a time. Returns 0, or -1 after
 * saying why. No-op without attach_listen(). */
int attach_start(int input);

/* The end of the run: stops the thread, closes the client, removes the
 * socket. Safe to call when nothing was started. */
void attach_stop(void);

#endif
