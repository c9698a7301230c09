/*
 * 10-full/limits.c - the resource options of `container run`: -m, --cpus,
 * --cpu-quota, --cpu-period, --pids-limit.
 *
 * Claim: sizes and counts are checked with 07's parsers before anything
 *        is created; a rootless run that asks for limits it cannot have
 *        is refused, naming each option.   (tested in tests/10-full.bats)
 * Uses:  07-cgroups (cgroup_parse_size, cgroup_parse_cpus,
 *        cgroup_parse_quota, cgroup_parse_period, cgroup_parse_pids,
 *        cgroup_check_cpu: the same ranges as 07's own options)
 * Read:  cgroups(7), Documentation/admin-guide/cgroup-v1/, docker-run(1)
 *
 * A limit is a file in a cgroup directory, and making that directory
 * needs write access to the tree above it: root, or a tree delegated to
 * the user (systemd does that for user sessions on cgroup v2). Without
 * it, silently running unlimited would be worse than refusing.
 */
#include "options.h"

#include <stdio.h>
#include <string.h>

/* Docker's smallest memory limit: below it the container's own start
 * (the init, the command's loader) is OOM-killed before the command runs
 * a line, and the user sees 137 for a run that never began. */
#define MIN_MEMORY (6LL << 20)

/* Turns the limit options into c->limits. Returns 0 or -1. */
static int parse(const struct limit_texts *r, struct config *c)
{
	struct cgroup_limits *l = &c->limits;

	/* Only the cgroup hierarchies a limit needs (07-cgroups.h). */
	l->lean = true;

	/* The ranges are 07's, so the kernel never sees a value it would
	 * refuse (after the cgroup exists): the period first, since
	 * --cpus computes the quota from it. */
	if (r->period && cgroup_parse_period("--cpu-period", r->period,
					     &l->cpu_period_us) < 0)
		return -1;
	if (r->quota && cgroup_parse_quota("--cpu-quota", r->quota,
					   &l->cpu_quota_us) < 0)
		return -1;
	if (cgroup_check_cpu(l, r->cpus) < 0 ||
	    (r->cpus && cgroup_parse_cpus(r->cpus, l) < 0))
		return -1;
	if (r->memory &&
	    cgroup_parse_size("--memory", r->memory, &l->memory_bytes) < 0)
		return -1;
	if (r->memory && l->memory_bytes < MIN_MEMORY) {
		warnx("--memory '%s': the smallest limit is 6M, as docker's "
		      "(less and the container is killed before its command "
		      "starts)",
		      r->memory);
		return -1;
	}
	if (r->pids &&
	    cgroup_parse_pids("--pids-limit", r->pids, &l->pids_max) < 0)
		return -1;
	/* The init is PID 1 of the container and counts: with a limit of
	 * 1 it could not even start the command. */
	if (r->pids && l->pids_max < 2) {
		warnx("--pids-limit '%s': give at least 2 (the container's "
		      "init counts as one)",
		      r->pids);
		return -1;
	}
	return 0;
}

/* Names each given option in out ("--memory, --pids-limit"); returns how
 * many there are. */
static int name_given(const struct limit_texts *t, char *out, size_t size)
{
	const char *given[] = {t->memory, t->cpus, t->quota, t->period,
			       t->pids};
	static const char *const option[] = {"--memory", "--cpus",
					     "--cpu-quota", "--cpu-period",
					     "--pids-limit"};
	int n = 0;

	out[0] = '\0';
	for (int i = 0; i < 5; i++)
		if (given[i]) {
			size_t len = strlen(out);
			snprintf(out + len, size - len, "%s%s", n++ ? ", " : "",
				 option[i]);
		}
	return n;
}

int limits_parse(const struct limit_texts *t, struct config *c)
{
	char names[80];
	int n;

	if (parse(t, c) < 0)
		return -1;
	n = name_given(t, names, sizeof(names));
	if (n == 0)
		return 0;
	/* Rootless, say which options cannot be had and why. */
	if (c->rootless && !cgroup_can_create()) {
		warnx("%s need%s root or a delegated cgroup (this run is "
		      "rootless): run with sudo, or leave %s out",
		      names, n > 1 ? "" : "s", n > 1 ? "them" : "it");
		return -1;
	}
	/* A controller the host lacks is named by 07, before anything is
	 * made. */
	return cgroup_check(&c->limits);
}
