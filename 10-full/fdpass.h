/*
 * 10-full/fdpass.h - a file descriptor handed from one process to
 * another over a unix socket (SCM_RIGHTS): the pty's master (tty.c), the
 * network namespace made early (netearly.c).
 *
 * Read: unix(7) SCM_RIGHTS, cmsg(3), sendmsg(2), recvmsg(2)
 */
#ifndef FDPASS_H
#define FDPASS_H

/* Sends one byte over the socket s, and fd with it when fd >= 0 (the
 * receiver gets its own fd of the same open file). Returns 0 or -1. */
int fdpass_send(int s, int fd);

/* Receives that byte; *fd is the fd that came with it (close-on-exec),
 * or -1 when none did. Returns 1, or 0 at end of file (the sender is
 * gone), or -1 with errno set. */
int fdpass_recv(int s, int *fd);

#endif
