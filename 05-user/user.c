/*
 * 05-user/user.c - a new user namespace: root inside, the caller outside.
 *
 * Claim: (to be written)   (tested in tests/05-user.bats)
 * Uses:  04-mount
 */
#include "user.h"

#include <sched.h>

const struct lesson user_lesson = {
	.name = "05-user",
	.summary = "a new user namespace: root inside, the caller outside",
	.prev = &mount_lesson,
	.clone_flags = 0,
};
