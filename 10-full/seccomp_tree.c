/*
 * 10-full/seccomp_tree.c - the seccomp filter's dispatch on the system
 * call number: a binary search, generated at start-up from the sorted
 * table of syscalls.c, because a list does not fit in classic BPF.
 *
 * Claim: every number reaches the answer syscall_table gives it (ENOSYS
 *        when it gives none) in about log2(ranges) comparisons.
 *        (tested in tests/10-full-seccomp.bats; `make bench` prints the
 *        filter's size and what a call costs under it)
 * Uses:  syscalls.c (the table), seccomp.c (the answers)
 * Read:  Documentation/networking/filter.rst ("Classic BPF"),
 *        seccomp(2), qsort(3)
 *
 * Why a tree. A conditional jump of classic BPF (struct sock_filter) keeps
 * its two targets in 8-bit fields, jt and jf: it can skip at most 255
 * instructions. An allowlist written as a list, "if nr == read goto allow;
 * if nr == write goto allow; ..." for 300 calls, puts the shared "allow"
 * more than 255 instructions away from the first test. (Only BPF_JA, the
 * unconditional jump, has a 32-bit offset.) And a list costs one test per
 * entry: a call near the end runs 300 instructions, on every system call.
 *
 * How. The numbers of the table are sorted, and [0, 2^32) is cut into
 * ranges of consecutive numbers with the same answer; on x86_64: 0-15
 * allow (read ... rt_sigreturn), 16 ioctl (checked), 17-55 allow (pread64
 * ... getsockopt), 56 clone (checked), ... The gaps between the table's
 * numbers (335-423 on x86_64), and everything after its last one, are
 * ranges too, answered ENOSYS: numbers this table does not know, as an
 * older kernel would answer. A call whose arguments are checked (clone,
 * ioctl, personality) is a range of its own. Then the code is a binary
 * search over the ranges' first numbers, the tree written out flat:
 *
 *	if (nr >= 248) {			jge 248, jt=86, jf=0
 *		if (nr >= 322) ...			(the right half, 86 on)
 *	} else {
 *		if (nr >= 157) ...			(the left half, right here)
 *	}
 *
 * Each test halves what is left: on x86_64 the table makes 75 ranges, told
 * apart in 6 or 7 tests, so any call runs 11 to 13 instructions of the
 * filter (the denylist this replaced ran 45 for every call it let
 * through), and no jump skips more than the left half of the tree below
 * it: 86 instructions at the root. Where a left half is longer than 255,
 * a "ja", which can jump any distance, is put in between.
 *
 * The kernel helps further: since Linux 5.11 (on x86_64, among others) it
 * runs a new filter once for every number when it is installed, without
 * arguments, and remembers the numbers whose answer is "allow" whatever
 * the arguments: those calls then skip the filter altogether. Only the
 * refused calls and the three checked ones run it. `make bench` shows it:
 * getpid costs the same inside and outside, personality does not.
 */
#include "seccomp_tree.h"

#include "syscalls.h"

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* A range runs from lo to the next range's lo (the last one to 2^32-1). */
struct range {
	uint32_t lo;
	unsigned char verdict;
};

static struct range ranges[2 * SYSCALLS_MAX + 2];
static unsigned nranges;

static int by_key(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

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

/* The name of the first entry with number nr, for a message. */
static const char *name_of(uint32_t nr, unsigned skip)
{
	unsigned i;

	for (i = 0; i < syscall_table_len; i++)
		if (syscall_table[i].nr == (int)nr && skip-- == 0)
			return syscall_table[i].name;
	return "?";
}

/* Sorts this architecture's numbers and cuts [0, 2^32) into ranges.
 * Returns 0, or -1 if a number is in the table twice. */
static int make_ranges(void)
{
	/* number << 8 | verdict: sorting the keys sorts by number. */
	static uint32_t key[SYSCALLS_MAX];
	uint32_t nr, next = 0;
	unsigned i, n = 0;

	for (i = 0; i < syscall_table_len; i++)
		if (syscall_table[i].nr >= 0)
			key[n++] = (uint32_t)syscall_table[i].nr << 8 |
				   syscall_table[i].verdict;
	qsort(key, n, sizeof(key[0]), by_key);

	nranges = 0;
	for (i = 0; i < n; i++) {
		nr = key[i] >> 8;
		if (i > 0 && nr == key[i - 1] >> 8) {
			warnx("seccomp: syscalls.c gives %s and %s the same "
			      "number, %u", name_of(nr, 0), name_of(nr, 1), nr);
			errno = EINVAL;
			return -1;
		}
		if (nr != next)
			add_range(next, SC_ABSENT); /* a gap in the table */
		add_range(nr, key[i] & 0xff);
		next = nr + 1;
	}
	add_range(next, SC_ABSENT); /* after the last number we know */
	return 0;
}

/* Instructions for ranges first..last; writes them when out != NULL. */
static unsigned search(unsigned first, unsigned last, struct sock_filter *out)
{
	unsigned mid, left, n = 0;

	if (first == last)
		return seccomp_answer(ranges[first].verdict, out);
	/* Numbers from ranges[mid].lo on go right, the others left. */
	mid = first + (last - first + 1) / 2;
	left = search(first, mid - 1, NULL);
	if (left <= 255) {
		if (out)
			out[n] = (struct sock_filter)BPF_JUMP(
				BPF_JMP | BPF_JGE | BPF_K, ranges[mid].lo,
				left, 0);
		n++;
	} else {
		/* Too far for jt: jt lands on a "ja" over the left half. */
		if (out) {
			out[n] = (struct sock_filter)BPF_JUMP(
				BPF_JMP | BPF_JGE | BPF_K, ranges[mid].lo, 0, 1);
			out[n + 1] = (struct sock_filter)BPF_STMT(
				BPF_JMP | BPF_JA, left);
		}
		n += 2;
	}
	n += search(first, mid - 1, out ? out + n : NULL);
	n += search(mid, last, out ? out + n : NULL);
	return n;
}

int seccomp_tree(struct sock_filter *out, unsigned room, unsigned *len,
		 unsigned *count)
{
	if (make_ranges() < 0)
		return -1;
	*len = search(0, nranges - 1, NULL);
	if (*len > room) {
		warnx("seccomp: the filter needs %u instructions, there is "
		      "room for %u", *len, room);
		errno = E2BIG;
		return -1;
	}
	search(0, nranges - 1, out);
	*count = nranges;
	return 0;
}
