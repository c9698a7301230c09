/*
 * 10-full/syscost.c - what does the seccomp filter cost? Part of
 * `make bench` (bench.sh), not of the runtime.
 *
 * Claim: the filter is under 200 instructions, and what a system call
 *        costs with it, without it, and in a container is measured, not
 *        guessed.   (run by 10-full/bench.sh: `sudo make bench`)
 * Uses:  seccomp.c, seccomp_tree.c, syscalls.c (to build the filter and
 *        count it, without installing it)
 * Read:  seccomp(2), clock_gettime(2)
 *
 * `syscost filter` builds the filter as `container run` does and prints
 * its size. The others time two system calls in a loop and print
 * nanoseconds per call: getpid, which the filter allows for any
 * argument (the kernel can then skip the filter, see seccomp_tree.c),
 * and personality(0xffffffff), which only asks for the current persona
 * but whose argument the filter must look at on every call.
 * `syscost install` times them, installs the filter in itself and times
 * them again: the filter's own cost. `syscost inside` only times them;
 * bench.sh runs it in a container, which adds the namespaces.
 */
#include "seccomp.h"

#include <err.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CALLS 50000
#define ROUNDS 20

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One round: nanoseconds per call of CALLS calls. */
static double round_ns(long nr, unsigned long arg)
{
	double t = now_ns();
	int i;

	for (i = 0; i < CALLS; i++)
		syscall(nr, arg); /* raw: libc may cache or skip */
	return (now_ns() - t) / CALLS;
}

/* Prints the best of ROUNDS rounds of each call, taken in turns: the
 * rounds least disturbed by whatever else the machine runs. */
static void measure(const char *label)
{
	double t, getpid_ns = 0, personality_ns = 0;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		t = round_ns(SYS_getpid, 0);
		if (r == 0 || t < getpid_ns)
			getpid_ns = t;
		t = round_ns(SYS_personality, 0xffffffffUL);
		if (r == 0 || t < personality_ns)
			personality_ns = t;
	}
	printf("%-10s getpid %4.0f ns/call, personality %4.0f ns/call\n", label,
	       getpid_ns, personality_ns);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct sock_fprog prog;
	unsigned ranges;

	if (argc == 2 && strcmp(argv[1], "filter") == 0) {
		if (seccomp_build(&prog, &ranges) < 0)
			return 1;
		printf("%u instructions (%zu bytes), %u ranges\n", prog.len,
		       prog.len * sizeof(prog.filter[0]), ranges);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "install") == 0) {
		/* The same process before and after: only the filter differs. */
		measure("no filter:");
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    seccomp_install() < 0)
			err(1, "cannot install the filter");
		measure("filter:");
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "inside") == 0) {
		measure("container:");
		return 0;
	}
	errx(2, "usage: syscost filter|install|inside");
}
