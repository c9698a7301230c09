/*
 * 10-full/syscalls.h - the table behind 10-full's seccomp filter: every
 * system call of x86_64 and aarch64 up to Linux 6.18, by name, with its
 * number on this machine's architecture and the filter's answer.
 *
 * Read: syscalls(2); the kernel's arch/x86/entry/syscalls/syscall_64.tbl
 *       and include/uapi/asm-generic/unistd.h (aarch64)
 */
#ifndef SYSCALLS_H
#define SYSCALLS_H

/* What the filter answers for a call. Those after SC_ABSENT allow the
 * call or refuse it with EPERM after looking at one argument (seccomp.c).
 * SC_VERDICTS counts them. */
enum syscall_verdict {
	SC_ALLOW,	/* run it */
	SC_REFUSE,	/* EPERM: known, and not for a container */
	SC_ABSENT,	/* ENOSYS: as a kernel without it; libc falls back */
	SC_CLONE,	/* allowed without any CLONE_NEW* flag */
	SC_IOCTL,	/* allowed unless the request is TIOCSTI */
	SC_PERSONALITY,	/* allowed for the PER_LINUX personas Docker allows */
	SC_SOCKET,	/* allowed for every address family but AF_VSOCK */
	SC_VERDICTS
};

struct syscall_rule {
	const char *name;
	int nr;		/* on this architecture; -1: it has no such call */
	unsigned char verdict;	/* an enum syscall_verdict */
};

/* Every number is below this, and the table has at most this many
 * entries (the filter's buffers are this big). */
#define SYSCALLS_MAX 512

extern const struct syscall_rule syscall_table[];
extern const unsigned syscall_table_len;

#endif
