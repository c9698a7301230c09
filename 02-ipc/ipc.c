/*
 * 02-ipc/ipc.c - a new IPC namespace: System V IPC and POSIX queues of its own.
 *
 * Claim: (to be written)   (tested in tests/02-ipc.bats)
 * Uses:  01-uts
 */
#include "ipc.h"

#include <sched.h>

const struct lesson ipc_lesson = {
	.name = "02-ipc",
	.summary = "a new IPC namespace: System V IPC and POSIX queues of its own",
	.prev = &uts_lesson,
	.clone_flags = CLONE_NEWIPC,
};
