/*
 * 08-chroot/chroot.c - a root filesystem of its own: chroot(2) or pivot_root(2).
 *
 * Claim: (to be written)   (tested in tests/08-chroot.bats)
 * Uses:  07-cgroups
 */
#include "chroot.h"

#include <sched.h>

const struct lesson chroot_lesson = {
	.name = "08-chroot",
	.summary = "a root filesystem of its own: chroot(2) or pivot_root(2)",
	.prev = &cgroups_lesson,
	.clone_flags = 0,
};
