/*
 * 10-full/seccomp.h - a seccomp filter, written by hand in classic BPF,
 * that lets the container make the system calls a normal program needs
 * and no others: an allowlist.
 *
 * Read: seccomp(2), seccomp_filter in the kernel's Documentation/userspace-api
 */
#ifndef SECCOMP_H
#define SECCOMP_H

#include <linux/filter.h>

/* Builds the filter into a static buffer and points prog at it: the
 * architecture check (x86_64, aarch64), x32 numbers refused with EPERM,
 * then a binary search over syscalls.c that allows its allowlist, clone
 * without CLONE_NEW*, ioctl but TIOCSTI, personality's PER_LINUX values,
 * fails the calls it refuses with EPERM, and everything else (clone3,
 * numbers it does not know) with ENOSYS. *ranges: how many ranges of
 * numbers the search tells apart. Returns 0, or -1 after saying what
 * failed. */
int seccomp_build(struct sock_fprog *prog, unsigned *ranges);

/* Builds the filter and installs it on the calling thread (and what it
 * execs). Needs no_new_privs or CAP_SYS_ADMIN. Returns 0, or -1 after
 * saying what failed. */
int seccomp_install(void);

#endif
