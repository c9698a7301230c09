/*
 * 10-full/argvhide.c - what `ps` on the host shows of a detached
 * container's supervisor: its name and id, never run's arguments; and
 * what the container's PID 1 shows before its exec.
 *
 * Claim: once `run -d -e TOKEN=secret ...` has returned, no user of the
 *        host can read "secret" in its supervisor's /proc/PID/cmdline
 *        (world-readable) or in `ps aux`; nor can a process `exec`'d
 *        into a container whose PID 1 still runs our code, in its
 *        /proc/1/cmdline, after a foreground run.
 *        (tested in tests/10-full-life.bats, tests/10-full-exec.bats)
 * Uses:  nothing but libc; main.c, run.c and exec.c call it
 * Read:  proc(5) /proc/PID/cmdline, execve(2) (where the kernel puts
 *        argv), prctl(2) PR_SET_MM (the way that needs CAP_SYS_RESOURCE)
 *
 * The supervisor is the `run -d` process itself, forked: it lives as
 * long as the container, and its command line (every -e value, every
 * volume path) is the file /proc/PID/cmdline, which everyone may read.
 * The kernel reads it from the bytes where it put the arguments at
 * execve(), in our own memory: overwrite them and ps shows what we wrote.
 * Our code keeps pointers into those bytes (the options point into argv),
 * so main() first moves every argument into memory of our own and points
 * argv there; the supervisor then overwrites the original bytes at any
 * time. (containerd's shim and podman's conmon are started with ids and
 * paths only, never values; prctl(PR_SET_MM_ARG_START) would move the
 * kernel's view instead, but needs CAP_SYS_RESOURCE, which a rootless
 * run lacks.)
 */
#include "argvhide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *area; /* the arguments where the kernel put them */
static size_t area_len;

void argv_private(int argc, char **argv)
{
	char *copy;

	if (argc < 1)
		return;
	area = argv[0];
	area_len = argv[argc - 1] + strlen(argv[argc - 1]) + 1 - area;
	/* execve() lays them out one after the other: check, as nothing
	 * else may be overwritten. */
	for (int i = 0; i < argc; i++)
		if (argv[i] < area || argv[i] >= area + area_len) {
			area = NULL;
			return;
		}
	copy = malloc(area_len);
	if (!copy) {
		area = NULL; /* argv stays where it is: nothing to hide */
		return;
	}
	memcpy(copy, area, area_len);
	for (int i = 0; i < argc; i++)
		argv[i] = copy + (argv[i] - area);
}

void argv_hide(const char *title)
{
	if (!area)
		return;
	memset(area, 0, area_len);
	snprintf(area, area_len, "%s", title);
}
