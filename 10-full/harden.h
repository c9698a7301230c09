/*
 * 10-full/harden.h - what a process gives up before it runs untrusted code:
 * capabilities, the right to gain privileges, and inherited file descriptors.
 *
 * Read: capabilities(7), prctl(2), close_range(2)
 */
#ifndef HARDEN_H
#define HARDEN_H

/* Reduces the capability bounding set to Docker's default set minus
 * CAP_MKNOD (CHOWN DAC_OVERRIDE FSETID FOWNER NET_RAW SETGID SETUID SETFCAP
 * SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE), clears the
 * inheritable and ambient sets, and sets effective and permitted to that
 * same set. Returns 0, or -1 after saying what failed. */
int harden_capabilities(void);

/* Lowers the limits of the budgets the kernel counts per user, which the
 * container's root shares with the host's (pending signals, message
 * queue bytes), so that it cannot take all of them. Returns 0 or -1. */
int harden_rlimits(void);

/* prctl(PR_SET_NO_NEW_PRIVS): execve() can never again grant privileges
 * (setuid bits, file capabilities). Returns 0 or -1. */
int harden_no_new_privs(void);

/* Closes every file descriptor from first (3, or 4 to keep fd 3: the
 * start report of `run -d`, supervise.c) up, but keep (-1: none), with
 * close_range(2), or a walk of /proc/self/fd where the kernel lacks it.
 * keep is the runtime's sealed copy (selfexec.c), close-on-exec: the
 * init's execveat() takes it, and no command ever sees it. Returns 0 or
 * -1. */
int harden_close_fds(int first, int keep);

#endif
