/*
 * 10-full/syscalls.c - the system call table of 10-full's seccomp filter,
 * written out by hand: every call of x86_64 and aarch64 up to Linux 6.18
 * (the last one, file_setattr, is 469 on both), with its number on each
 * and what the filter answers.
 *
 * Claim: a call this table allows works in the container, one it refuses
 *        fails with EPERM, one it calls absent, or does not name at all,
 *        fails with ENOSYS.   (tested in tests/10-full-seccomp.bats, which
 *        also checks the numbers against the system's headers)
 * Uses:  nothing
 * Read:  syscalls(2); Docker's default profile,
 *        github.com/moby/moby/blob/master/profiles/seccomp/default.json
 *
 * Why a table of our own, and not SYS_xxx from <sys/syscall.h>: the headers
 * are as old as the C library (Debian 12's stop at 450), and a filter must
 * know the calls of the kernel it runs on, which is often newer. Every
 * number here was checked against the kernel's own tables. Numbers a table
 * lacks are not an error, they are the point: the filter answers ENOSYS for
 * them, as the kernel does for a number it has never heard of.
 *
 * The allowed calls are Docker's default allowlist for x86_64 and
 * aarch64: what ordinary programs, shells, language runtimes and servers
 * use. The refused ones are Docker's refusals (it allows many of them
 * only to a container given the capability they need; ours never gets
 * those capabilities), plus a few calls Docker allowed that we do not:
 * io_uring (Docker too refuses it since 2023), the clock adjustments,
 * ptrace and process_vm_*. The entries after that answer ENOSYS on
 * purpose. A call on one architecture only has -1 for the other (aarch64
 * has no open(), only openat()).
 */
#include "syscalls.h"

#if defined(__x86_64__)
#define NR(x86_64, aarch64) (x86_64)
#elif defined(__aarch64__)
#define NR(x86_64, aarch64) (aarch64)
#else
#error "syscalls.c has the numbers of x86_64 and aarch64 only"
#endif

#define ALLOW(name, x86_64, aarch64) {#name, NR(x86_64, aarch64), SC_ALLOW}
#define REFUSE(name, x86_64, aarch64) {#name, NR(x86_64, aarch64), SC_REFUSE}
#define ABSENT(name, x86_64, aarch64) {#name, NR(x86_64, aarch64), SC_ABSENT}
#define CHECK(name, x86_64, aarch64, verdict) {#name, NR(x86_64, aarch64), verdict}

const struct syscall_rule syscall_table[] = {
	/* The mount table and the namespaces: the container's view of the
	 * world was set up by the runtime; it must not rearrange or leave
	 * it. The new mount API (open_tree ... mount_setattr, and
	 * open_tree_attr of 6.15) is a second door to the same rooms. */
	REFUSE(mount, 165, 40), REFUSE(umount2, 166, 39),
	REFUSE(pivot_root, 155, 41), REFUSE(unshare, 272, 97),
	REFUSE(setns, 308, 268), REFUSE(fsopen, 430, 430),
	REFUSE(fsconfig, 431, 431), REFUSE(fsmount, 432, 432),
	REFUSE(fspick, 433, 433), REFUSE(open_tree, 428, 428),
	REFUSE(open_tree_attr, 467, 467), REFUSE(move_mount, 429, 429),
	REFUSE(mount_setattr, 442, 442),
	/* Code into the kernel, or a new kernel altogether. */
	REFUSE(kexec_load, 246, 104), REFUSE(kexec_file_load, 320, 294),
	REFUSE(init_module, 175, 105), REFUSE(finit_module, 313, 273),
	REFUSE(delete_module, 176, 106), REFUSE(bpf, 321, 280),
	/* Opens any file of a filesystem by its handle, past every path
	 * check: the "shocker" escape from Docker 0.x. */
	REFUSE(open_by_handle_at, 304, 265),
	/* The kernel keyring is not namespaced: keys of other users and
	 * containers. */
	REFUSE(keyctl, 250, 219), REFUSE(add_key, 248, 217),
	REFUSE(request_key, 249, 218),
	/* Reading, writing and comparing other processes: their memory,
	 * their open files (pidfd_getfd copies one out of PID 1, kcmp says
	 * which files two processes share), the kernel's counters. */
	REFUSE(ptrace, 101, 117), REFUSE(process_vm_readv, 310, 270),
	REFUSE(process_vm_writev, 311, 271),
	REFUSE(process_madvise, 440, 440), REFUSE(kcmp, 312, 272),
	REFUSE(pidfd_getfd, 438, 438), REFUSE(perf_event_open, 298, 241),
	/* io_uring runs reads, writes, opens, connects... from a ring in
	 * memory: the filter sees io_uring_enter, never the calls behind
	 * it. A good part of the kernel exploits of 2022-23 went through it,
	 * and Docker dropped it in 2023 (moby#46762). userfaultfd stalls a
	 * kernel thread on a page fault at will: a helper for winning races. */
	REFUSE(io_uring_setup, 425, 425), REFUSE(io_uring_enter, 426, 426),
	REFUSE(io_uring_register, 427, 427), REFUSE(userfaultfd, 323, 282),
	/* The whole machine: power, swap, clocks, accounting, the kernel's
	 * log, quotas, I/O ports, the host name (the container has its own,
	 * set by the runtime). */
	REFUSE(reboot, 169, 142), REFUSE(swapon, 167, 224),
	REFUSE(swapoff, 168, 225), REFUSE(settimeofday, 164, 170),
	REFUSE(clock_settime, 227, 112), REFUSE(adjtimex, 159, 171),
	REFUSE(clock_adjtime, 305, 266), REFUSE(acct, 163, 89),
	REFUSE(sethostname, 170, 161), REFUSE(setdomainname, 171, 162),
	REFUSE(syslog, 103, 116), REFUSE(vhangup, 153, 58),
	REFUSE(quotactl, 179, 60), REFUSE(quotactl_fd, 443, 443),
	REFUSE(lookup_dcookie, 212, 18), REFUSE(fanotify_init, 300, 262),
	REFUSE(iopl, 172, -1), REFUSE(ioperm, 173, -1),
	/* Memory placement across NUMA nodes: Docker asks for CAP_SYS_NICE. */
	REFUSE(get_mempolicy, 239, 236), REFUSE(set_mempolicy, 238, 237),
	REFUSE(mbind, 237, 235), REFUSE(migrate_pages, 256, 238),
	REFUSE(move_pages, 279, 239),
	REFUSE(set_mempolicy_home_node, 450, 450),
	/* Obsolete calls that some kernels still have. */
	REFUSE(_sysctl, 156, -1), REFUSE(uselib, 134, -1),
	REFUSE(ustat, 136, -1), REFUSE(sysfs, 139, -1),

	/* Allowed after a look at one argument: see seccomp.c. */
	CHECK(clone, 56, 220, SC_CLONE),
	CHECK(ioctl, 16, 29, SC_IOCTL),
	CHECK(personality, 135, 92, SC_PERSONALITY),

	/* ENOSYS: its flags are behind a pointer the filter cannot follow;
	 * libc falls back to clone(), whose flags it can check. */
	ABSENT(clone3, 435, 435),
	/* ENOSYS: each adds a flags argument to an older call (faccessat,
	 * fchmodat), and glibc emulates the flag when the kernel lacks it.
	 * Refused with EPERM they broke images: glibc 2.33 took EPERM from
	 * faccessat2 as the answer about the file (runc#2151). */
	ABSENT(faccessat2, 439, 439), ABSENT(fchmodat2, 452, 452),
	/* ENOSYS: newer than the profile the table follows (Linux 6.5-6.17);
	 * nothing needs them yet, and code this new is where the bugs are.
	 * Read each one before moving it to ALLOW. */
	ABSENT(cachestat, 451, 451), ABSENT(map_shadow_stack, 453, 453),
	ABSENT(futex_wake, 454, 454), ABSENT(futex_wait, 455, 455),
	ABSENT(futex_requeue, 456, 456), ABSENT(statmount, 457, 457),
	ABSENT(listmount, 458, 458), ABSENT(lsm_get_self_attr, 459, 459),
	ABSENT(lsm_set_self_attr, 460, 460),
	ABSENT(lsm_list_modules, 461, 461), ABSENT(mseal, 462, 462),
	ABSENT(setxattrat, 463, 463), ABSENT(getxattrat, 464, 464),
	ABSENT(listxattrat, 465, 465), ABSENT(removexattrat, 466, 466),
	ABSENT(file_getattr, 468, 468), ABSENT(file_setattr, 469, 469),
	/* ENOSYS: numbers reserved but never implemented in Linux, or
	 * removed: the kernel's own answer. */
	ABSENT(afs_syscall, 183, -1), ABSENT(getpmsg, 181, -1),
	ABSENT(putpmsg, 182, -1), ABSENT(tuxcall, 184, -1),
	ABSENT(security, 185, -1), ABSENT(vserver, 236, -1),
	ABSENT(create_module, 174, -1), ABSENT(get_kernel_syms, 177, -1),
	ABSENT(query_module, 178, -1), ABSENT(nfsservctl, 180, 42),

	/* Everything else: Docker's allowlist, alphabetically. */
	ALLOW(accept, 43, 202), ALLOW(accept4, 288, 242),
	ALLOW(access, 21, -1), ALLOW(alarm, 37, -1),
	ALLOW(arch_prctl, 158, -1), ALLOW(bind, 49, 200), ALLOW(brk, 12, 214),
	ALLOW(capget, 125, 90), ALLOW(capset, 126, 91), ALLOW(chdir, 80, 49),
	ALLOW(chmod, 90, -1), ALLOW(chown, 92, -1), ALLOW(chroot, 161, 51),
	ALLOW(clock_getres, 229, 114), ALLOW(clock_gettime, 228, 113),
	ALLOW(clock_nanosleep, 230, 115), ALLOW(close, 3, 57),
	ALLOW(close_range, 436, 436), ALLOW(connect, 42, 203),
	ALLOW(copy_file_range, 326, 285), ALLOW(creat, 85, -1),
	ALLOW(dup, 32, 23), ALLOW(dup2, 33, -1), ALLOW(dup3, 292, 24),
	ALLOW(epoll_create, 213, -1), ALLOW(epoll_create1, 291, 20),
	ALLOW(epoll_ctl, 233, 21), ALLOW(epoll_ctl_old, 214, -1),
	ALLOW(epoll_pwait, 281, 22), ALLOW(epoll_pwait2, 441, 441),
	ALLOW(epoll_wait, 232, -1), ALLOW(epoll_wait_old, 215, -1),
	ALLOW(eventfd, 284, -1), ALLOW(eventfd2, 290, 19),
	ALLOW(execve, 59, 221), ALLOW(execveat, 322, 281),
	ALLOW(exit, 60, 93), ALLOW(exit_group, 231, 94),
	ALLOW(faccessat, 269, 48), ALLOW(fadvise64, 221, 223),
	ALLOW(fallocate, 285, 47), ALLOW(fanotify_mark, 301, 263),
	ALLOW(fchdir, 81, 50), ALLOW(fchmod, 91, 52),
	ALLOW(fchmodat, 268, 53), ALLOW(fchown, 93, 55),
	ALLOW(fchownat, 260, 54), ALLOW(fcntl, 72, 25),
	ALLOW(fdatasync, 75, 83), ALLOW(fgetxattr, 193, 10),
	ALLOW(flistxattr, 196, 13), ALLOW(flock, 73, 32), ALLOW(fork, 57, -1),
	ALLOW(fremovexattr, 199, 16), ALLOW(fsetxattr, 190, 7),
	ALLOW(fstat, 5, 80), ALLOW(fstatfs, 138, 44), ALLOW(fsync, 74, 82),
	ALLOW(ftruncate, 77, 46), ALLOW(futex, 202, 98),
	ALLOW(futex_waitv, 449, 449), ALLOW(futimesat, 261, -1),
	ALLOW(get_robust_list, 274, 100), ALLOW(get_thread_area, 211, -1),
	ALLOW(getcpu, 309, 168), ALLOW(getcwd, 79, 17),
	ALLOW(getdents, 78, -1), ALLOW(getdents64, 217, 61),
	ALLOW(getegid, 108, 177), ALLOW(geteuid, 107, 175),
	ALLOW(getgid, 104, 176), ALLOW(getgroups, 115, 158),
	ALLOW(getitimer, 36, 102), ALLOW(getpeername, 52, 205),
	ALLOW(getpgid, 121, 155), ALLOW(getpgrp, 111, -1),
	ALLOW(getpid, 39, 172), ALLOW(getppid, 110, 173),
	ALLOW(getpriority, 140, 141), ALLOW(getrandom, 318, 278),
	ALLOW(getresgid, 120, 150), ALLOW(getresuid, 118, 148),
	ALLOW(getrlimit, 97, 163), ALLOW(getrusage, 98, 165),
	ALLOW(getsid, 124, 156), ALLOW(getsockname, 51, 204),
	ALLOW(getsockopt, 55, 209), ALLOW(gettid, 186, 178),
	ALLOW(gettimeofday, 96, 169), ALLOW(getuid, 102, 174),
	ALLOW(getxattr, 191, 8), ALLOW(inotify_add_watch, 254, 27),
	ALLOW(inotify_init, 253, -1), ALLOW(inotify_init1, 294, 26),
	ALLOW(inotify_rm_watch, 255, 28), ALLOW(io_cancel, 210, 3),
	ALLOW(io_destroy, 207, 1), ALLOW(io_getevents, 208, 4),
	ALLOW(io_pgetevents, 333, 292), ALLOW(io_setup, 206, 0),
	ALLOW(io_submit, 209, 2), ALLOW(ioprio_get, 252, 31),
	ALLOW(ioprio_set, 251, 30), ALLOW(kill, 62, 129),
	ALLOW(landlock_add_rule, 445, 445),
	ALLOW(landlock_create_ruleset, 444, 444),
	ALLOW(landlock_restrict_self, 446, 446), ALLOW(lchown, 94, -1),
	ALLOW(lgetxattr, 192, 9), ALLOW(link, 86, -1), ALLOW(linkat, 265, 37),
	ALLOW(listen, 50, 201), ALLOW(listxattr, 194, 11),
	ALLOW(llistxattr, 195, 12), ALLOW(lremovexattr, 198, 15),
	ALLOW(lseek, 8, 62), ALLOW(lsetxattr, 189, 6), ALLOW(lstat, 6, -1),
	ALLOW(madvise, 28, 233), ALLOW(membarrier, 324, 283),
	ALLOW(memfd_create, 319, 279), ALLOW(memfd_secret, 447, 447),
	ALLOW(mincore, 27, 232), ALLOW(mkdir, 83, -1),
	ALLOW(mkdirat, 258, 34), ALLOW(mknod, 133, -1),
	ALLOW(mknodat, 259, 33), ALLOW(mlock, 149, 228),
	ALLOW(mlock2, 325, 284), ALLOW(mlockall, 151, 230),
	ALLOW(mmap, 9, 222), ALLOW(modify_ldt, 154, -1),
	ALLOW(mprotect, 10, 226), ALLOW(mq_getsetattr, 245, 185),
	ALLOW(mq_notify, 244, 184), ALLOW(mq_open, 240, 180),
	ALLOW(mq_timedreceive, 243, 183), ALLOW(mq_timedsend, 242, 182),
	ALLOW(mq_unlink, 241, 181), ALLOW(mremap, 25, 216),
	ALLOW(msgctl, 71, 187), ALLOW(msgget, 68, 186),
	ALLOW(msgrcv, 70, 188), ALLOW(msgsnd, 69, 189), ALLOW(msync, 26, 227),
	ALLOW(munlock, 150, 229), ALLOW(munlockall, 152, 231),
	ALLOW(munmap, 11, 215), ALLOW(name_to_handle_at, 303, 264),
	ALLOW(nanosleep, 35, 101), ALLOW(newfstatat, 262, 79),
	ALLOW(open, 2, -1), ALLOW(openat, 257, 56), ALLOW(openat2, 437, 437),
	ALLOW(pause, 34, -1), ALLOW(pidfd_open, 434, 434),
	ALLOW(pidfd_send_signal, 424, 424), ALLOW(pipe, 22, -1),
	ALLOW(pipe2, 293, 59), ALLOW(pkey_alloc, 330, 289),
	ALLOW(pkey_free, 331, 290), ALLOW(pkey_mprotect, 329, 288),
	ALLOW(poll, 7, -1), ALLOW(ppoll, 271, 73), ALLOW(prctl, 157, 167),
	ALLOW(pread64, 17, 67), ALLOW(preadv, 295, 69),
	ALLOW(preadv2, 327, 286), ALLOW(prlimit64, 302, 261),
	ALLOW(process_mrelease, 448, 448), ALLOW(pselect6, 270, 72),
	ALLOW(pwrite64, 18, 68), ALLOW(pwritev, 296, 70),
	ALLOW(pwritev2, 328, 287), ALLOW(read, 0, 63),
	ALLOW(readahead, 187, 213), ALLOW(readlink, 89, -1),
	ALLOW(readlinkat, 267, 78), ALLOW(readv, 19, 65),
	ALLOW(recvfrom, 45, 207), ALLOW(recvmmsg, 299, 243),
	ALLOW(recvmsg, 47, 212), ALLOW(remap_file_pages, 216, 234),
	ALLOW(removexattr, 197, 14), ALLOW(rename, 82, -1),
	ALLOW(renameat, 264, 38), ALLOW(renameat2, 316, 276),
	ALLOW(restart_syscall, 219, 128), ALLOW(rmdir, 84, -1),
	ALLOW(rseq, 334, 293), ALLOW(rt_sigaction, 13, 134),
	ALLOW(rt_sigpending, 127, 136), ALLOW(rt_sigprocmask, 14, 135),
	ALLOW(rt_sigqueueinfo, 129, 138), ALLOW(rt_sigreturn, 15, 139),
	ALLOW(rt_sigsuspend, 130, 133), ALLOW(rt_sigtimedwait, 128, 137),
	ALLOW(rt_tgsigqueueinfo, 297, 240),
	ALLOW(sched_get_priority_max, 146, 125),
	ALLOW(sched_get_priority_min, 147, 126),
	ALLOW(sched_getaffinity, 204, 123), ALLOW(sched_getattr, 315, 275),
	ALLOW(sched_getparam, 143, 121), ALLOW(sched_getscheduler, 145, 120),
	ALLOW(sched_rr_get_interval, 148, 127),
	ALLOW(sched_setaffinity, 203, 122), ALLOW(sched_setattr, 314, 274),
	ALLOW(sched_setparam, 142, 118), ALLOW(sched_setscheduler, 144, 119),
	ALLOW(sched_yield, 24, 124), ALLOW(seccomp, 317, 277),
	ALLOW(select, 23, -1), ALLOW(semctl, 66, 191), ALLOW(semget, 64, 190),
	ALLOW(semop, 65, 193), ALLOW(semtimedop, 220, 192),
	ALLOW(sendfile, 40, 71), ALLOW(sendmmsg, 307, 269),
	ALLOW(sendmsg, 46, 211), ALLOW(sendto, 44, 206),
	ALLOW(set_robust_list, 273, 99), ALLOW(set_thread_area, 205, -1),
	ALLOW(set_tid_address, 218, 96), ALLOW(setfsgid, 123, 152),
	ALLOW(setfsuid, 122, 151), ALLOW(setgid, 106, 144),
	ALLOW(setgroups, 116, 159), ALLOW(setitimer, 38, 103),
	ALLOW(setpgid, 109, 154), ALLOW(setpriority, 141, 140),
	ALLOW(setregid, 114, 143), ALLOW(setresgid, 119, 149),
	ALLOW(setresuid, 117, 147), ALLOW(setreuid, 113, 145),
	ALLOW(setrlimit, 160, 164), ALLOW(setsid, 112, 157),
	ALLOW(setsockopt, 54, 208), ALLOW(setuid, 105, 146),
	ALLOW(setxattr, 188, 5), ALLOW(shmat, 30, 196),
	ALLOW(shmctl, 31, 195), ALLOW(shmdt, 67, 197), ALLOW(shmget, 29, 194),
	ALLOW(shutdown, 48, 210), ALLOW(sigaltstack, 131, 132),
	ALLOW(signalfd, 282, -1), ALLOW(signalfd4, 289, 74),
	CHECK(socket, 41, 198, SC_SOCKET), ALLOW(socketpair, 53, 199),
	ALLOW(splice, 275, 76), ALLOW(stat, 4, -1), ALLOW(statfs, 137, 43),
	ALLOW(statx, 332, 291), ALLOW(symlink, 88, -1),
	ALLOW(symlinkat, 266, 36), ALLOW(sync, 162, 81),
	ALLOW(sync_file_range, 277, 84), ALLOW(syncfs, 306, 267),
	ALLOW(sysinfo, 99, 179), ALLOW(tee, 276, 77), ALLOW(tgkill, 234, 131),
	ALLOW(time, 201, -1), ALLOW(timer_create, 222, 107),
	ALLOW(timer_delete, 226, 111), ALLOW(timer_getoverrun, 225, 109),
	ALLOW(timer_gettime, 224, 108), ALLOW(timer_settime, 223, 110),
	ALLOW(timerfd_create, 283, 85), ALLOW(timerfd_gettime, 287, 87),
	ALLOW(timerfd_settime, 286, 86), ALLOW(times, 100, 153),
	ALLOW(tkill, 200, 130), ALLOW(truncate, 76, 45),
	ALLOW(umask, 95, 166), ALLOW(uname, 63, 160), ALLOW(unlink, 87, -1),
	ALLOW(unlinkat, 263, 35), ALLOW(utime, 132, -1),
	ALLOW(utimensat, 280, 88), ALLOW(utimes, 235, -1),
	ALLOW(vfork, 58, -1), ALLOW(vmsplice, 278, 75), ALLOW(wait4, 61, 260),
	ALLOW(waitid, 247, 95), ALLOW(write, 1, 64), ALLOW(writev, 20, 66),
};

const unsigned syscall_table_len = sizeof(syscall_table) / sizeof(syscall_table[0]);

_Static_assert(sizeof(syscall_table) / sizeof(syscall_table[0]) <= SYSCALLS_MAX,
	       "syscalls.c: raise SYSCALLS_MAX");
