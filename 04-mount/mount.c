/*
 * 04-mount/mount.c - a new mount namespace with its own /proc.
 *
 * Claim: (to be written)   (tested in tests/04-mount.bats)
 * Uses:  03-pid
 */
#include "mount.h"

#include <sched.h>

const struct lesson mount_lesson = {
	.name = "04-mount",
	.summary = "a new mount namespace with its own /proc",
	.prev = &pid_lesson,
	.clone_flags = CLONE_NEWNS,
};
