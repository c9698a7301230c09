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
 *	if (nr >= 248) {			jge 248, jt=52, jf=0
 *		if (nr >= 322) ...			(the right half, 52 on)
 *	} else {
 *		if (nr >= 157) ...			(the left half, right here)
 *	}
 *
 * Each test halves what is left: on x86_64 the table makes 75 ranges, told
 * apart in 6 or 7 tests, so a call runs 11 to 13 instructions of the
 * filter, up to 6 more for a checked one (the denylist this replaced ran
 * 43 for every call it let through). Most ranges end in one of three
 * answers, allow, EPERM or ENOSYS: each is written once, at the end, and
 * the last test of a range jumps to it; only the checked calls have code
 * of their own. 99 instructions on x86_64, where an answer per range took
 * 168: the kernel translates and compiles the filter at every start, in
 * time that grows with its length (installing it took 0.044 ms instead
 * of 0.050, median of 1000, on the README's VM). A conditional jump
 * reaches 255 instructions; where a target is further, the test lands on
 * a "ja", which can jump any distance, put in front of it
 * (tests/10-full-seccomp.bats builds the filter with a reach of 0, to
 * send every test through one). The code is written backwards, from the
 * end of the buffer: when a test is written, what it jumps to is already
 * there and its place known.
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

/* The program is written backwards, from the end of buf (room
 * instructions): when a jump is written, what it jumps to is already
 * there, and its index known. */
static struct sock_filter *buf;
static long pos; /* the first instruction written so far */
/* Where the one shared "allow", EPERM and ENOSYS are, by verdict; -1 for
 * an answer that looks at an argument (its range's own code). */
static long shared[SC_VERDICTS];

/* Writes ins before what is there; returns its index, or -1 if no room. */
static long put(struct sock_filter ins)
{
	if (pos == 0)
		return -1;
	buf[--pos] = ins;
	return pos;
}

/* How far a conditional jump reaches: its offsets are 8-bit fields.
 * (Set lower when compiling a test of the "ja" below.) */
#ifndef JUMP_REACH
#define JUMP_REACH 255
#endif

/* A jump at index at reaches target (after it) in offset instructions. */
static long far_away(long at, long target)
{
	return target - (at + 1) > JUMP_REACH;
}

/* Writes the code for ranges first..last and returns the index where it
 * starts, or -1 if there is no room. A range whose answer is shared
 * writes nothing: the test above it jumps to the shared answer. */
static long search(unsigned first, unsigned last)
{
	long right, left, at;
	unsigned mid, n;

	if (first == last) {
		if (shared[ranges[first].verdict] >= 0)
			return shared[ranges[first].verdict];
		n = seccomp_answer(ranges[first].verdict, NULL);
		if (pos < (long)n)
			return -1;
		pos -= n;
		seccomp_answer(ranges[first].verdict, buf + pos);
		return pos;
	}
	/* Numbers from ranges[mid].lo on go right, the others left. */
	mid = first + (last - first + 1) / 2;
	right = search(mid, last);
	left = right < 0 ? -1 : search(first, mid - 1);
	if (left < 0)
		return -1;
	/* Too far for 8 bits (counting the two "ja" that may come between):
	 * the test lands on a "ja" (32 bits) in front of it, which jumps
	 * the rest of the way. */
	if (pos > 0 && far_away(pos - 3, right) &&
	    (right = put((struct sock_filter)BPF_STMT(
		     BPF_JMP | BPF_JA, right - pos))) < 0)
		return -1;
	if (pos > 0 && far_away(pos - 2, left) &&
	    (left = put((struct sock_filter)BPF_STMT(
		     BPF_JMP | BPF_JA, left - pos))) < 0)
		return -1;
	at = pos - 1;
	return put((struct sock_filter)BPF_JUMP(
		BPF_JMP | BPF_JGE | BPF_K, ranges[mid].lo, right - (at + 1),
		left - (at + 1)));
}

int seccomp_tree(struct sock_filter *out, unsigned room, unsigned *len,
		 unsigned *count)
{
	long start = -1;

	if (make_ranges() < 0)
		return -1;
	/* Built at the end of out, then moved to its start: first the
	 * three answers every range that gives them shares, then the
	 * tree, whose tests jump to them. */
	buf = out;
	pos = room;
	for (unsigned v = 0; v < sizeof(shared) / sizeof(shared[0]); v++)
		shared[v] = -1;
	for (unsigned v = SC_ALLOW; v <= SC_ABSENT; v++) {
		unsigned n = seccomp_answer(v, NULL);

		if (pos < (long)n)
			break;
		pos -= n;
		seccomp_answer(v, buf + pos);
		shared[v] = pos;
	}
	if (shared[SC_ABSENT] >= 0)
		start = search(0, nranges - 1);
	/* The tree's first test must be the program's first instruction
	 * after the prologue: a tree of one range is its answer alone. */
	if (start >= 0 && start != pos)
		start = put((struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA,
							  start - pos));
	if (start < 0) {
		warnx("seccomp: the filter for %u ranges does not fit in %u "
		      "instructions", nranges, room);
		errno = E2BIG;
		return -1;
	}
	*len = room - pos;
	memmove(out, out + pos, *len * sizeof(*out));
	*count = nranges;
	return 0;
}
