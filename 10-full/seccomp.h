/*
 * 10-full/seccomp.h - a seccomp filter, written by hand in classic BPF, that
 * takes from the container the system calls it has no business making.
 *
 * Read: seccomp(2), seccomp_filter in the kernel's Documentation/userspace-api
 */
#ifndef SECCOMP_H
#define SECCOMP_H

/* Installs the filter on the calling thread (and what it execs): checks the
 * architecture first (x86_64, aarch64), then fails with EPERM mount,
 * umount2, pivot_root and the new mount API (fsopen, open_tree,
 * move_mount...), unshare, setns, clone with any CLONE_NEW* flag, the
 * module/kexec/keyring/bpf/perf/ptrace/process_vm/reboot/swap/clock/acct/
 * userfaultfd calls, ioctl(TIOCSTI), and every x32 system call; clone3
 * fails with ENOSYS so that libc falls back to clone. Needs no_new_privs
 * or CAP_SYS_ADMIN. Returns 0, or -1 after saying what failed. */
int seccomp_install(void);

#endif
