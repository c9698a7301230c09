/*
 * 10-full/seccomp_tree.c - the seccomp filter's dispatch on the system
 * call number: a binary search, generated at start-up from the table of
 * syscalls.c, because a list does not fit in classic BPF.
 *
 * Claim: every number reaches the answer syscall_table gives it (ENOSYS
 *        when it gives none) in about log2(ranges) comparisons.
 *        (tested in tests/10-full-seccomp.bats; `make bench` prints the
 *        filter's size and what a call costs under it)
 * Uses:  syscalls.c (the table), seccomp.c (the answers)
 * Read:  Documentation/networking/filter.rst ("Classic BPF"), seccomp(2)
 *
 * Why a tree. A conditional jump of classic BPF (struct sock_filter) keeps
 * its two targets in 8-bit fields, jt and jf: it can skip at most 255
 * instructions. An allowlist written as a list, "if nr == read goto allow;
 * if nr == write goto allow; ..." for 300 calls, puts the shared "allow"
 * more than 255 instructions away from the first test. (Only BPF_JA, the
 * unconditional jump, has a 32-bit offset.) And a list costs one test per
 * entry: a call near the end runs 300 instructions, on every system call.
 *
 * How. The table is laid out by number (an array indexed by it), and
 * [0, 2^32) is cut into ranges of consecutive numbers with the same
 * answer; on x86_64: 0-15 allow (read ... rt_sigreturn), 16 ioctl
 * (checked), 17-55 allow (pread64 ... getsockopt), 56 clone (checked)...
 * The gaps between the table's numbers (335-423 on x86_64), and
 * everything after its last one, are ranges too, answered ENOSYS: numbers
 * this table does not know, as an older kernel would answer. A call whose
 * arguments are checked (clone, ioctl, personality) is a range of its
 * own. Then the code is a binary search over the ranges' first numbers,
 * the tree written out flat:
 *
 *	if (nr >= 248) {			jge 248, jt=86, jf=0
 *		if (nr >= 322) ...			(the right half, 86 on)
 *	} else {
 *		if (nr >= 157) ...			(the left half, right here)
 *	}
 *
 * Each test halves what is left: on x86_64 the table makes 75 ranges, told
 * apart in 6 or 7 tests, so a call runs 11 to 13 instructions of the
 * filter, up to 6 more for a checked one (the denylist this replaced ran
 * 43 for every call it let through). No jump skips more than the left
 * half of the tree below it: 86 instructions at the root. Where a left
 * half is longer than 255, a "ja", which can jump any distance, is put in
 * between. The code is written backwards, from the end of the buffer:
 * when a test is written, the half it jumps over is already there and its
 * length known.
 *
 * The kernel helps further: since Linux 5.11 (on x86_64, among others) it
 * runs a new filter once for every number when it is installed, without
 * arguments, and remembers the numbers whose answer is "allow" whatever
 * the arguments: those calls then skip the filter altogether. Only the
 * refused calls and the three checked ones run it. Every call still pays
 * for the seccomp hook on the way into the kernel: `make bench` measures
 * both.
 */
#include "seccomp_tree.h"

#include "syscalls.h"

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

/* A range runs from lo to the next range's lo (the last one to 2^32-1). */
struct range {
	uint32_t lo;
	unsigned char verdict;
};

static struct range ranges[SYSCALLS_MAX + 1];
static unsigned nranges;

/* The answers of clone, ioctl, personality look at an argument: never
 * merged with a neighbour. */
static int is_check(unsigned verdict)
{
	return verdict >= SC_CLONE;
}

static void add_range(uint32_t lo, unsigned verdict)
{
	if (nranges > 0 && ranges[nranges - 1].verdict == verdict &&
	    !is_check(verdict))
		return; /* the previous range goes on */
	ranges[nranges].lo = lo;
	ranges[nranges++].verdict = verdict;
}

/* Cuts [0, 2^32) into ranges, walking this architecture's numbers in
 * order. Returns 0, or -1 if the table gives a number twice. */
static int make_ranges(void)
{
	/* The table by number: 1 + its verdict, 0 where it names none. */
	static unsigned char by_nr[SYSCALLS_MAX];
	const struct syscall_rule *e;
	unsigned i, nr, last = 0;

	memset(by_nr, 0, sizeof(by_nr));
	for (i = 0; i < syscall_table_len; i++) {
		e = &syscall_table[i];
		if (e->nr < 0)
			continue; /* not on this architecture */
		if (e->nr >= SYSCALLS_MAX || by_nr[e->nr]) {
			warnx("seccomp: syscalls.c: %s: number %d is %s", e->name,
			      e->nr, e->nr >= SYSCALLS_MAX ?
			      "above SYSCALLS_MAX" : "given twice");
			errno = EINVAL;
			return -1;
		}
		by_nr[e->nr] = 1 + e->verdict;
		if ((unsigned)e->nr > last)
			last = e->nr;
	}
	nranges = 0;
	for (nr = 0; nr <= last; nr++) /* a gap in the table: ENOSYS */
		add_range(nr, by_nr[nr] ? by_nr[nr] - 1u : SC_ABSENT);
	add_range(last + 1, SC_ABSENT); /* after the last number we know */
	return 0;
}

/* Writes the code for ranges first..last so that it ends just before
 * end, and returns its length; 0 if it would reach below floor. It works
 * backwards, right half first: when a test is written, the half it jumps
 * over is already there, and its length known. */
static unsigned search(unsigned first, unsigned last, struct sock_filter *end,
		       const struct sock_filter *floor)
{
	unsigned mid, left, right, n, far;

	if (first == last) {
		n = seccomp_answer(ranges[first].verdict, NULL);
		if (end - floor < (long)n)
			return 0;
		return seccomp_answer(ranges[first].verdict, end - n);
	}
	/* Numbers from ranges[mid].lo on go right, the others left. */
	mid = first + (last - first + 1) / 2;
	if (!(right = search(mid, last, end, floor)) ||
	    !(left = search(first, mid - 1, end - right, floor)))
		return 0;
	n = right + left;
	/* Too far for jt: jt lands on a "ja" over the left half. */
	far = left > 255;
	if (end - floor < (long)(n + 1 + far))
		return 0;
	if (far)
		end[-(long)++n] =
			(struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, left);
	end[-(long)++n] = (struct sock_filter)BPF_JUMP(
		BPF_JMP | BPF_JGE | BPF_K, ranges[mid].lo, far ? 0 : left,
		far ? 1 : 0);
	return n;
}

int seccomp_tree(struct sock_filter *out, unsigned room, unsigned *len,
		 unsigned *count)
{
	if (make_ranges() < 0)
		return -1;
	/* Built at the end of out, then moved to its start. */
	*len = search(0, nranges - 1, out + room, out);
	if (*len == 0) {
		warnx("seccomp: the filter for %u ranges does not fit in %u "
		      "instructions", nranges, room);
		errno = E2BIG;
		return -1;
	}
	memmove(out, out + room - *len, *len * sizeof(*out));
	*count = nranges;
	return 0;
}
