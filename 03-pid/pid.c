/*
 * 03-pid/pid.c - a new PID namespace: the command is PID 1.
 *
 * Claim: (to be written)   (tested in tests/03-pid.bats)
 * Uses:  02-ipc
 */
#include "pid.h"

#include <sched.h>

const struct lesson pid_lesson = {
	.name = "03-pid",
	.summary = "a new PID namespace: the command is PID 1",
	.prev = &ipc_lesson,
	.clone_flags = CLONE_NEWPID,
};
