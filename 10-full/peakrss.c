/*
 * 10-full/peakrss.c - how much memory and time does starting a command cost?
 *
 * Claim: the kernel remembers, for every process, the most resident memory
 *        it ever had (its RSS high-water mark), and hands it to the parent
 *        in wait4()'s struct rusage as ru_maxrss, in KiB. A waited-for
 *        process's value already covers the children it reaped itself, so
 *        for `container run` it is the largest of the runtime, its init
 *        and the command.   (used by 10-full/bench.sh, `make bench`)
 *
 * Usage: peakrss [-n RUNS] command [args...]
 *        Runs the command RUNS times (default 1), one after the other, and
 *        prints one line: "MEDIAN_MS MAX_RSS_KIB MEDIAN_CPU_MS" (wall time,
 *        peak RSS, and user+system CPU time of the command and the children
 *        it waited for). Exits 1 if any run failed, 2 on bad usage.
 *        bench.sh uses it for peak RSS always, and as its timer when
 *        hyperfine is not installed.
 *
 * Why fork() and not posix_spawn(): a vfork-style child shares this
 * process's memory until exec, and exec records the old memory's
 * high-water mark as the child's own; a fork()ed child starts with only
 * the few pages it copied, so the number is the command's.
 *
 * Read: wait4(2), getrusage(2) (ru_maxrss), clock_gettime(2)
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 10000

static double tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

/* Runs argv once. Stores the wall time and the CPU time (ms), and
 * ru_maxrss (KiB). Returns the command's wait status, or -1 after
 * warning. */
static int run_once(char **argv, double *ms, double *cpu_ms, long *rss_kib)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		warn("fork");
		return -1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		warn("exec %s", argv[0]);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			warn("wait4");
			return -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	*cpu_ms = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
	*rss_kib = ru.ru_maxrss;
	return status;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v[0..n) and returns its median. */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static double ms[MAX_RUNS], cpu[MAX_RUNS];
	long rss, max_rss = 0;
	int i, runs = 1, failed = 0;
	char *end;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		runs = strtol(argv[2], &end, 10);
		if (*end || runs < 1 || runs > MAX_RUNS)
			errx(2, "-n %s: want a number of runs, 1 to %d",
			     argv[2], MAX_RUNS);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: peakrss [-n RUNS] command [args...]\n");
		return 2;
	}
	for (i = 0; i < runs; i++) {
		int status = run_once(argv + 1, &ms[i], &cpu[i], &rss);

		if (status < 0)
			return 1;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			warnx("%s: run %d ended with status 0x%x", argv[1],
			      i + 1, status);
			failed = 1;
		}
		if (rss > max_rss)
			max_rss = rss;
	}
	printf("%.3f %ld %.3f\n", median(ms, runs), max_rss, median(cpu, runs));
	return failed;
}
