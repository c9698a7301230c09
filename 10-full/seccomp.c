/*
 * 10-full/seccomp.c - a seccomp filter, written by hand in classic BPF, that
 * takes from the container the system calls it has no business making.
 *
 * Claim: inside the container /proc/self/status says "Seccomp: 2", and
 *        mount, unshare, swapoff ... fail with EPERM even where the
 *        capabilities would allow them.   (tested in tests/10-full.bats)
 * Uses:  nothing but libc and the kernel's UAPI headers
 * Read:  seccomp(2), Documentation/userspace-api/seccomp_filter.rst,
 *        bpf(4) on the BSDs for the classic BPF instruction set
 *
 * A seccomp filter is a small program the kernel runs on every system call
 * the process makes, before the call does anything. Its input is a struct
 * seccomp_data: the call's number, the architecture (ABI) it was made
 * through, and its six arguments as raw register values. Its output is a
 * verdict: allow, fail with an errno, kill. The program is classic BPF (the
 * packet filter language of tcpdump): a load, compare-and-jump, return
 * machine with no loops, so the kernel can prove it terminates. Once
 * installed a filter can never be removed, it is inherited by children and
 * kept across execve(), and a process can only add more filters.
 *
 * Why the architecture check comes first. A system call number means
 * nothing without the ABI it was made through. An x86_64 process can still
 * enter the kernel with `int $0x80`, and then numbers come from the i386
 * table: 165 is mount(2) on x86_64 but getresuid(2) on i386, where mount is
 * 21. A filter that compared numbers without looking at seccomp_data.arch
 * would block harmless calls and let mount through the other door. So the
 * first instructions load arch and kill the process for any ABI other than
 * the one this table was written for.
 *
 * Why x32 numbers are denied. x32 (64-bit registers, 32-bit pointers)
 * shares AUDIT_ARCH_X86_64 with ordinary x86_64 code, so the arch check
 * does not tell them apart. Its calls carry bit 30 (__X32_SYSCALL_BIT) in
 * the number, and the kernel strips that bit and runs mostly the same
 * implementation: 0x40000000 + 165 is mount too. A filter that matches 165
 * misses it, so every number with that bit set is refused. (Most kernels
 * are built without x32; the filter must not depend on that.)
 *
 * How clone's flags are checked, and why clone3 cannot be. clone(2) takes
 * its flags in a register, so they are in seccomp_data.args[0] and the
 * filter can test them: any CLONE_NEW* bit means EPERM, while the clone()
 * behind fork() and pthread_create() passes. clone3(2) takes a pointer to a
 * struct clone_args in the caller's memory. BPF sees only the pointer; it
 * cannot follow it (and if it could, the caller could change the struct
 * between the check and the use). So clone3 is refused as a whole, with
 * ENOSYS rather than EPERM: ENOSYS is what an old kernel answers, and glibc
 * then falls back to clone(), whose flags we can see.
 *
 * Why TIOCSTI is dangerous. ioctl(fd, TIOCSTI, &c) pushes the byte c into
 * the terminal's input queue as if it had been typed. A container that
 * shares the user's terminal (docker run -it, or just stdin) could push
 * "rm -rf ~\n" into the queue; it is read by the host shell after the
 * container exits. (Linux 6.2 added a switch that turns TIOCSTI off for
 * the whole machine; a runtime cannot count on it being set.) The ioctl
 * request is compared on its low 32 bits only, because the kernel's ioctl
 * takes it as an unsigned int: a filter that compared all 64 bits could be
 * slipped past by setting the high ones, which the kernel then drops.
 *
 * The verdict for a refused call is EPERM, as Docker's default profile
 * gives: programs see an ordinary "Operation not permitted" and can carry
 * on; nothing is killed except a process on a foreign ABI.
 *
 * Installing a filter needs no_new_privs (harden.c) or CAP_SYS_ADMIN. The
 * kernel insists: otherwise an unprivileged user could install a filter
 * that makes setuid() fail, then exec a setuid-root program that never
 * expected setuid() to fail, and carry on as root in a state its authors
 * thought impossible. With no_new_privs no execve() can raise privileges,
 * so a filter cannot be used against a more privileged program.
 */
#include "seccomp.h"

#include <err.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp.c knows the system call table of x86_64 and aarch64 only"
#endif

/* The namespace flags of clone(2). CLONE_NEWTIME (0x80) is left out: in
 * clone() the low byte is the exit signal, so only clone3 and unshare can
 * ask for a time namespace, and both are refused as a whole. */
#define CLONE_NEW_ANY                                                          \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |         \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

/* Offsets into struct seccomp_data. Arguments are 64-bit; we read the low
 * word, which comes first on the little-endian machines above. */
#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_ARG_LO(i) offsetof(struct seccomp_data, args[i])

#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(verdict) BPF_STMT(BPF_RET | BPF_K, (verdict))
#define ERRNO(e) (SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
/* If the number in A is nr, return EPERM; otherwise go on. */
#define DENY(nr)                                                               \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), RET(ERRNO(EPERM))

static const struct sock_filter filter[] = {
	/* The ABI first: every number below is from the native table. */
	LOAD(OFF_ARCH),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),

	LOAD(OFF_NR),
#ifdef __x86_64__
	/* x32: the same arch value, bit 30 set in the number. */
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
	RET(ERRNO(EPERM)),
#endif

	/* clone3: its flags sit behind a pointer; make libc use clone. */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
	RET(ERRNO(ENOSYS)),

	/* clone: allowed unless it asks for a new namespace. */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4),
	LOAD(OFF_ARG_LO(0)),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEW_ANY, 0, 1),
	RET(ERRNO(EPERM)),
	RET(SECCOMP_RET_ALLOW),

	/* ioctl: allowed unless it types into the terminal. */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 4),
	LOAD(OFF_ARG_LO(1)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 0, 1),
	RET(ERRNO(EPERM)),
	RET(SECCOMP_RET_ALLOW),

	/* The mount table and the namespaces: the container's view of the
	 * world was set up by us, it must not rearrange or leave it. */
	DENY(SYS_mount),
	DENY(SYS_umount2),
	DENY(SYS_pivot_root),
	DENY(SYS_unshare),
	DENY(SYS_setns),
	/* The same in the mount API of Linux 5.2+: without these, denying
	 * mount(2) would only close the old door. */
	DENY(SYS_fsopen),
	DENY(SYS_fsconfig),
	DENY(SYS_fsmount),
	DENY(SYS_fspick),
	DENY(SYS_open_tree),
	DENY(SYS_move_mount),
	DENY(SYS_mount_setattr),
	/* Code into the kernel, or a new kernel altogether. */
	DENY(SYS_kexec_load),
	DENY(SYS_kexec_file_load),
	DENY(SYS_init_module),
	DENY(SYS_finit_module),
	DENY(SYS_delete_module),
	DENY(SYS_bpf),
	/* Opens any file on a filesystem by its handle, past every path
	 * check: the "shocker" escape from Docker 0.x. */
	DENY(SYS_open_by_handle_at),
	/* The kernel keyring is not namespaced: keys of other users and
	 * containers. */
	DENY(SYS_keyctl),
	DENY(SYS_add_key),
	DENY(SYS_request_key),
	/* Watching and writing other processes, and the kernel's counters. */
	DENY(SYS_perf_event_open),
	DENY(SYS_ptrace),
	DENY(SYS_process_vm_readv),
	DENY(SYS_process_vm_writev),
	/* The whole machine: power, swap, clocks, process accounting. */
	DENY(SYS_reboot),
	DENY(SYS_swapon),
	DENY(SYS_swapoff),
	DENY(SYS_settimeofday),
	DENY(SYS_clock_settime),
	DENY(SYS_adjtimex),
	DENY(SYS_clock_adjtime),
	DENY(SYS_acct),
	/* Stalls a kernel thread on a page fault at will: a classic helper
	 * for winning kernel races. */
	DENY(SYS_userfaultfd),

	RET(SECCOMP_RET_ALLOW),
};

int seccomp_install(void)
{
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = (struct sock_filter *)filter,
	};

	/* glibc has no wrapper for seccomp(2). */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		if (errno == EACCES)
			warn("seccomp (set no_new_privs first: "
			     "harden_no_new_privs)");
		else
			warn("seccomp");
		return -1;
	}
	return 0;
}
