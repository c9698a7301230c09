/*
 * 07-cgroups/cgroup_parse.c - limits as people type them: "64M", "0.5".
 *
 * Claim: nonsense values (--memory abc, --cpus -1, --pids 0, ...) are
 *        refused with a line naming the option, before anything is
 *        created.   (tested in tests/07-cgroups.bats)
 * Uses:  nothing but libc
 * Read:  docker run --help (--memory, --cpus, --pids-limit), strtoll(3)
 */
#include "cgroups.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/sysinfo.h>

/* strtoll() alone would take "-1", " 7", "" and "1e3" (as 1). A limit is
 * digits and nothing else. */
static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int cgroup_parse_count(const char *option, const char *text, long long *n)
{
	errno = 0;
	if (!all_digits(text) || (*n = strtoll(text, NULL, 10)) <= 0 ||
	    errno == ERANGE) {
		warnx("%s '%s': give a whole number above 0", option, text);
		return -1;
	}
	return 0;
}

int cgroup_parse_size(const char *option, const char *text, long long *bytes)
{
	const char *suffix = text;
	int shift = 0;
	long long n;

	while (isdigit((unsigned char)*suffix))
		suffix++;
	switch (*suffix) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	}
	errno = 0;
	n = strtoll(text, NULL, 10);
	if (suffix == text || (shift ? suffix[1] : suffix[0]) != '\0' ||
	    errno == ERANGE) {
		warnx("%s '%s': give a size in bytes, with K, M or G for "
		      "KiB, MiB or GiB (e.g. 64M)",
		      option, text);
		return -1;
	}
	if (n <= 0 || n > (LLONG_MAX >> shift)) {
		warnx("%s '%s': must be above 0 and below 8 EiB", option, text);
		return -1;
	}
	*bytes = n << shift;
	return 0;
}

int cgroup_parse_cpus(const char *text, struct cgroup_limits *limits)
{
	/* CPUs in millionths: "0.25" -> 250000. Digits, then maybe a '.'
	 * and more digits: no sign, no exponent, no "inf". */
	long long period = limits->cpu_period_us ? limits->cpu_period_us
						  : 100000;
	long long micro = 0, scale = 1000000, quota;
	const char *p = text;
	int ncpus = get_nprocs();

	for (; isdigit((unsigned char)*p) && micro < 1000000000000LL; p++)
		micro = micro * 10 + (*p - '0') * scale;
	if (*p == '.' && p != text)
		for (p++; isdigit((unsigned char)*p); p++)
			micro += (scale /= 10) * (*p - '0');
	if (*p != '\0' || p == text || p[-1] == '.') {
		warnx("--cpus '%s': give a number of CPUs such as 0.5 or 2",
		      text);
		return -1;
	}
	if (micro > 1000000LL * ncpus) {
		warnx("--cpus '%s': this machine has only %d CPUs", text,
		      ncpus);
		return -1;
	}
	/* The kernel's smallest quota is 1 ms per period. */
	quota = micro * period / 1000000;
	if (quota < 1000) {
		warnx("--cpus '%s': must be at least %.3f (the kernel's "
		      "smallest quota is 1ms per %lldus period)",
		      text, 1000.0 / period, period);
		return -1;
	}
	limits->cpu_quota_us = quota;
	limits->cpu_period_us = period;
	return 0;
}

/* The kernel's bounds (kernel/sched/core.c, tg_set_cfs_bandwidth): a
 * quota of at least 1 ms, a period of 1 ms to 1 s, and no quota above
 * 2^44 - 1 us; pids.max below PID_MAX_LIMIT + 1 (kernel/cgroup/pids.c). */
#define MIN_CFS_US 1000LL
#define MAX_CFS_PERIOD_US 1000000LL
#define MAX_CFS_QUOTA_US ((1LL << 44) - 1)
#define MAX_PIDS (4 * 1024 * 1024)

int cgroup_parse_quota(const char *option, const char *text, long long *us)
{
	if (cgroup_parse_count(option, text, us) < 0)
		return -1;
	if (*us < MIN_CFS_US || *us > MAX_CFS_QUOTA_US) {
		warnx("%s '%s': the kernel takes %lld to %lld (microseconds)",
		      option, text, MIN_CFS_US, MAX_CFS_QUOTA_US);
		return -1;
	}
	return 0;
}

int cgroup_parse_period(const char *option, const char *text, long long *us)
{
	if (cgroup_parse_count(option, text, us) < 0)
		return -1;
	if (*us < MIN_CFS_US || *us > MAX_CFS_PERIOD_US) {
		warnx("%s '%s': the kernel takes %lld to %lld (microseconds)",
		      option, text, MIN_CFS_US, MAX_CFS_PERIOD_US);
		return -1;
	}
	return 0;
}

int cgroup_parse_pids(const char *option, const char *text, long long *n)
{
	if (cgroup_parse_count(option, text, n) < 0)
		return -1;
	if (*n > MAX_PIDS) {
		warnx("%s '%s': the kernel takes at most %d", option, text,
		      MAX_PIDS);
		return -1;
	}
	return 0;
}

int cgroup_check_cpu(struct cgroup_limits *limits, bool cpus_given)
{
	if (cpus_given && limits->cpu_quota_us) {
		warnx("give --cpus or --cpu-quota, not both");
		return -1;
	}
	if (limits->cpu_period_us && !limits->cpu_quota_us && !cpus_given) {
		warnx("--cpu-period alone limits nothing: add --cpu-quota or "
		      "--cpus");
		return -1;
	}
	if (limits->cpu_quota_us && !limits->cpu_period_us)
		limits->cpu_period_us = 100000;
	return 0;
}
