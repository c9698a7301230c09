/*
 * 09-overlay/overlay.c - an overlay of image layers as the root filesystem.
 *
 * Claim: (to be written)   (tested in tests/09-overlay.bats)
 * Uses:  07-cgroups
 */
#include "overlay.h"

#include <sched.h>

const struct lesson overlay_lesson = {
	.name = "09-overlay",
	.summary = "an overlay of image layers as the root filesystem",
	.prev = &cgroups_lesson,
	.clone_flags = 0,
};
