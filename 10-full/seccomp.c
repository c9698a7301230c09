/*
 * 10-full/seccomp.c - a seccomp filter, written by hand in classic BPF,
 * that lets the container make the system calls a normal program needs
 * and no others: an allowlist.
 *
 * Claim: inside the container /proc/self/status says "Seccomp: 2"; the
 *        calls of syscalls.c's allowlist work (a shell, coreutils, fork,
 *        threads), mount, io_uring_setup, kcmp... fail with EPERM even
 *        where the capabilities would allow them, and a number the table
 *        does not know fails with ENOSYS.
 *        (tested in tests/10-full-seccomp.bats)
 * Uses:  syscalls.c (the table), seccomp_tree.c (the search on the number)
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
 * Why an allowlist. A denylist names what is dangerous and lets the rest
 * through, so it is only as good as its author's knowledge on the day it
 * was written. This filter began as one (mount, ptrace, kexec... 35
 * calls), and an attacker inside found what it did not name: io_uring,
 * which performs reads, writes and opens the filter never sees; kcmp and
 * pidfd_getfd on PID 1; open_tree_attr, added in Linux 6.15; and every
 * call a future kernel adds. Docker, runc and crun all start from the
 * other side: list what a normal program needs (about 290 calls), refuse
 * everything else. Here that list is syscalls.c.
 *
 * Which error. A refused call that the table knows gets EPERM, the
 * "Operation not permitted" a program already handles for a missing
 * capability. A number the table does not know gets ENOSYS, the kernel's
 * answer for a call it does not have: libraries probe new calls and fall
 * back to old ones on ENOSYS (glibc: clone3 to clone, faccessat2 to
 * faccessat), but take EPERM as the answer about the file or process they
 * asked about. Docker answers EPERM to everything outside its list, so
 * when glibc 2.33 started calling faccessat2, images broke on every host
 * whose Docker did not know the call yet; runc now puts a small filter in
 * front of the profile that answers ENOSYS above the highest number the
 * profile knows. Our table knows every call up to its last number, so a
 * gap in it is a number no kernel uses, and both get ENOSYS.
 *
 * Why the architecture check comes first. A system call number means
 * nothing without the ABI it was made through. An x86_64 process can still
 * enter the kernel with `int $0x80`, and then numbers come from the i386
 * table: 165 is mount(2) on x86_64 but getresuid(2) on i386, where mount is
 * 21. A filter that compared numbers without looking at seccomp_data.arch
 * would let mount through the other door. So the first instructions load
 * arch and kill the process for any ABI other than this table's.
 *
 * Why x32 numbers are refused. x32 (64-bit registers, 32-bit pointers)
 * shares AUDIT_ARCH_X86_64 with ordinary x86_64 code, so the arch check
 * does not tell them apart. Its calls carry bit 30 (__X32_SYSCALL_BIT) in
 * the number, and the kernel strips that bit and runs mostly the same
 * implementation: 0x40000000 + 165 is mount too. So every number with that
 * bit set is refused before the search. (Most kernels are built without
 * x32; the filter must not depend on that.)
 *
 * How clone's flags are checked, and why clone3 cannot be. clone(2) takes
 * its flags in a register, so they are in seccomp_data.args[0] and the
 * filter can test them: any CLONE_NEW* bit means EPERM, while the clone()
 * behind fork() and pthread_create() passes. clone3(2) takes a pointer to a
 * struct clone_args in the caller's memory. BPF sees only the pointer; it
 * cannot follow it (and if it could, the caller could change the struct
 * between the check and the use). So clone3 is refused as a whole, with
 * ENOSYS, and glibc falls back to clone(), whose flags we can see.
 *
 * Why TIOCSTI is dangerous. ioctl(fd, TIOCSTI, &c) pushes the byte c into
 * the terminal's input queue as if it had been typed. A container that
 * shares the user's terminal could push "rm -rf ~\n" into the queue; it is
 * read by the host shell after the container exits. (Linux 6.2 added a
 * switch that turns TIOCSTI off for the whole machine; a runtime cannot
 * count on it being set.) The request is compared on its low 32 bits only,
 * because the kernel's ioctl takes it as an unsigned int: a filter that
 * compared all 64 bits could be slipped past by setting the high ones,
 * which the kernel then drops. personality(2) takes an unsigned int too.
 *
 * Why personality is checked. A persona changes how the kernel treats the
 * process: ADDR_NO_RANDOMIZE turns off address space randomisation for
 * what it execs next, READ_IMPLIES_EXEC makes every readable page
 * executable. Like Docker, the filter allows only PER_LINUX (0), the
 * 32-bit PER_LINUX32 (8), UNAME26 (0x20000), both (0x20008), and
 * 0xffffffff, which only asks for the current persona.
 *
 * Installing a filter needs no_new_privs (harden.c) or CAP_SYS_ADMIN. The
 * kernel insists: otherwise an unprivileged user could install a filter
 * that makes setuid() fail, then exec a setuid-root program that never
 * expected setuid() to fail, and carry on as root in a state its authors
 * thought impossible. With no_new_privs no execve() can raise privileges,
 * so a filter cannot be used against a more privileged program.
 */
#include "seccomp.h"

#include "seccomp_tree.h"
#include "syscalls.h"

#include <err.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
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
#define JEQ(k, jt, jf) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (jt), (jf))

/* Before the search: the ABI, then the number into A. */
static const struct sock_filter prologue[] = {
	LOAD(OFF_ARCH),
	JEQ(NATIVE_ARCH, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),
	LOAD(OFF_NR),
#ifdef __x86_64__
	/* x32: the same arch value, bit 30 set in the number. */
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
	RET(ERRNO(EPERM)),
#endif
};

/* clone: allowed unless it asks for a new namespace. */
static const struct sock_filter check_clone[] = {
	LOAD(OFF_ARG_LO(0)),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEW_ANY, 0, 1),
	RET(ERRNO(EPERM)),
	RET(SECCOMP_RET_ALLOW),
};

/* ioctl: allowed unless it types into the terminal. */
static const struct sock_filter check_ioctl[] = {
	LOAD(OFF_ARG_LO(1)),
	JEQ(TIOCSTI, 0, 1),
	RET(ERRNO(EPERM)),
	RET(SECCOMP_RET_ALLOW),
};

/* personality: the five values Docker allows. */
static const struct sock_filter check_personality[] = {
	LOAD(OFF_ARG_LO(0)),
	JEQ(0x0, 4, 0),		/* PER_LINUX */
	JEQ(0x8, 3, 0),		/* PER_LINUX32 */
	JEQ(0x20000, 2, 0),	/* UNAME26 */
	JEQ(0x20008, 1, 0),	/* PER_LINUX32 | UNAME26 */
	JEQ(0xffffffff, 0, 1),	/* only asks */
	RET(SECCOMP_RET_ALLOW),
	RET(ERRNO(EPERM)),
};

/* socket: allowed unless its family is vsock (40, AF_VSOCK), whose
 * sockets belong to no network namespace: a container with --net none
 * reached the hypervisor (CID 2) and took vsock ports the host's agents
 * use. Docker's profile refuses it too. */
static const struct sock_filter check_socket[] = {
	LOAD(OFF_ARG_LO(0)),
	JEQ(40, 0, 1),
	RET(ERRNO(EPERM)),
	RET(SECCOMP_RET_ALLOW),
};

#define COPY(block)                                                            \
	(out ? memcpy(out, block, sizeof(block)) : NULL,                       \
	 (unsigned)(sizeof(block) / sizeof(block[0])))

unsigned seccomp_answer(unsigned verdict, struct sock_filter *out)
{
	static const struct sock_filter allow[] = {RET(SECCOMP_RET_ALLOW)},
					refuse[] = {RET(ERRNO(EPERM))},
					absent[] = {RET(ERRNO(ENOSYS))};

	switch (verdict) {
	case SC_ALLOW:
		return COPY(allow);
	case SC_REFUSE:
		return COPY(refuse);
	case SC_CLONE:
		return COPY(check_clone);
	case SC_IOCTL:
		return COPY(check_ioctl);
	case SC_PERSONALITY:
		return COPY(check_personality);
	case SC_SOCKET:
		return COPY(check_socket);
	default:
		return COPY(absent);
	}
}

/* The program is built at start-up into here: the kernel copies it at
 * installation, so one buffer serves every call. */
static struct sock_filter program[1024];

int seccomp_build(struct sock_fprog *prog, unsigned *ranges)
{
	const unsigned head = sizeof(prologue) / sizeof(prologue[0]);
	unsigned len;

	memcpy(program, prologue, sizeof(prologue));
	if (seccomp_tree(program + head,
			 sizeof(program) / sizeof(program[0]) - head, &len,
			 ranges) < 0)
		return -1;
	prog->len = head + len;
	prog->filter = program;
	return 0;
}

int seccomp_install(void)
{
	struct sock_fprog prog;
	unsigned ranges;

	if (seccomp_build(&prog, &ranges) < 0)
		return -1;
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
