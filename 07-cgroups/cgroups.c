/*
 * 07-cgroups/cgroups.c - a cgroup of its own: CPU, memory and process limits.
 *
 * Claim: (to be written)   (tested in tests/07-cgroups.bats)
 * Uses:  06-net
 */
#include "cgroups.h"

#include <sched.h>

const struct lesson cgroups_lesson = {
	.name = "07-cgroups",
	.summary = "a cgroup of its own: CPU, memory and process limits",
	.prev = &net_lesson,
	.clone_flags = 0,
};
