/*
 * 06-net/net.c - a new network namespace: only lo, and a veth pair to the host.
 *
 * Claim: (to be written)   (tested in tests/06-net.bats)
 * Uses:  05-user
 */
#include "net.h"

#include <sched.h>

const struct lesson net_lesson = {
	.name = "06-net",
	.summary = "a new network namespace: only lo, and a veth pair to the host",
	.prev = &user_lesson,
	.clone_flags = CLONE_NEWNET,
};
