/*
 * tests/10-full-seccomp-tree.c - runs 10-full's seccomp filter, as built,
 * in a classic BPF interpreter of its own, for every system call number
 * and a few arguments, and compares each verdict with what the table
 * (10-full/syscalls.c) says that number should get.
 *
 * Built by tests/10-full-seccomp.bats with the filter's sources, once as
 * the runtime builds it and once with -DJUMP_REACH=0 (no conditional jump
 * may skip anything, so every one goes through a "ja": the code path the
 * real table never needs). Prints one line per wrong verdict and exits 1,
 * or prints the filter's size and exits 0.
 *
 * The interpreter knows only what a seccomp filter of ours uses: 32-bit
 * loads from struct seccomp_data, the four conditional jumps with a
 * constant, "ja" and "ret"; anything else is a failure, as is running
 * off the end of the program (the kernel's checker refuses both).
 */
#include "seccomp.h"
#include "syscalls.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#define BAD 0xffffffffu /* not a verdict the filter can give */

static unsigned run(const struct sock_fprog *p, const struct seccomp_data *d)
{
	unsigned pc = 0;
	__u32 a = 0;

	while (pc < p->len) {
		const struct sock_filter *i = &p->filter[pc++];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k % 4 || i->k + 4 > sizeof(*d))
				return BAD;
			memcpy(&a, (const char *)d + i->k, 4);
			break;
		case BPF_RET | BPF_K:
			return i->k;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += a & i->k ? i->jt : i->jf;
			break;
		default:
			return BAD;
		}
	}
	return BAD;
}

#define ALLOW SECCOMP_RET_ALLOW
#define EPERM_ (SECCOMP_RET_ERRNO | 1)
#define ENOSYS_ (SECCOMP_RET_ERRNO | 38)

/* What the table says for number nr with these two arguments. */
static unsigned expected(unsigned nr, __u64 arg0, __u64 arg1)
{
	for (unsigned i = 0; i < syscall_table_len; i++) {
		const struct syscall_rule *e = &syscall_table[i];

		if (e->nr < 0 || (unsigned)e->nr != nr)
			continue;
		switch (e->verdict) {
		case SC_ALLOW:
			return ALLOW;
		case SC_REFUSE:
			return EPERM_;
		case SC_CLONE:
			return arg0 & CLONE_NEWNS ? EPERM_ : ALLOW;
		case SC_IOCTL:
			return (arg1 & 0xffffffff) == TIOCSTI ? EPERM_ : ALLOW;
		case SC_SOCKET:
			return (arg0 & 0xffffffff) == 40 ? EPERM_ : ALLOW;
		case SC_PERSONALITY:
			return arg0 == 0 || arg0 == 8 || arg0 == 0x20000 ||
					       arg0 == 0x20008 ||
					       arg0 == 0xffffffff
				       ? ALLOW
				       : EPERM_;
		default:
			return ENOSYS_;
		}
	}
	/* From x32's bit on, refused before the search; else unknown. */
	return nr >= 0x40000000 ? EPERM_ : ENOSYS_;
}

int main(void)
{
	static const __u64 args[] = {0, 8, 0x20008, 0xffffffff, CLONE_NEWNS,
				     TIOCSTI, 0x1234, 40, 0x100000028};
	static const unsigned far[] = {0x40000000, 0x40000000 + 165,
				       0x7fffffff, 0x80000000, 0xfffffffe,
				       0xffffffff};
	struct seccomp_data d;
	struct sock_fprog p;
	unsigned ranges, got, want, wrong = 0, nr;

	if (seccomp_build(&p, &ranges) < 0)
		return 1;
	memset(&d, 0, sizeof(d));
	d.arch = AUDIT_ARCH_X86_64;
#ifdef __aarch64__
	d.arch = AUDIT_ARCH_AARCH64;
#endif
	for (unsigned k = 0; k < SYSCALLS_MAX + 64 + 6; k++) {
		nr = k < SYSCALLS_MAX + 64 ? k : far[k - SYSCALLS_MAX - 64];
		for (unsigned i = 0; i < sizeof(args) / sizeof(*args); i++)
			for (unsigned j = 0; j < sizeof(args) / sizeof(*args);
			     j++) {
				d.nr = (int)nr;
				d.args[0] = args[i];
				d.args[1] = args[j];
				got = run(&p, &d);
				want = expected(nr, args[i], args[j]);
				if (got == want || wrong++ >= 20)
					continue;
				printf("nr %u args %#llx %#llx: got %#x, the "
				       "table says %#x\n", nr,
				       (unsigned long long)args[i],
				       (unsigned long long)args[j], got, want);
			}
	}
	/* Another ABI's numbers mean other calls: killed, whatever they
	 * are. */
	d.arch = AUDIT_ARCH_I386;
	d.nr = 20;
	if ((got = run(&p, &d)) != SECCOMP_RET_KILL_PROCESS && wrong++ < 20)
		printf("i386 getpid: got %#x, not a kill\n", got);
	if (wrong) {
		printf("%u wrong verdicts\n", wrong);
		return 1;
	}
	printf("%u instructions, %u ranges: every verdict as the table "
	       "says\n", p.len, ranges);
	return 0;
}
