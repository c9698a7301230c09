/*
 * 02-ipc/ipc.c - an IPC namespace gives the container System V IPC objects
 * (message queues, semaphores, shared memory) and POSIX message queues of
 * its own.
 *
 * Claim: a message queue made on the host is not visible inside
 *        clone(CLONE_NEWIPC), and one made inside is invisible to the host
 *        and dies with the namespace when the container exits.
 *        (tested in tests/02-ipc.bats)
 * Uses:  01-uts (lesson.c: clone, wait, exit status; cli.c; uts_lesson)
 * Read:  ipc_namespaces(7), sysvipc(7), mq_overview(7), ipcs(1), ipcmk(1)
 *
 * System V IPC objects are not files: they are found by a numeric key
 * (ftok(3)) and named by an id the kernel hands out, both global to the
 * machine. Two programs that pick the same key meet in the same queue,
 * whether they meant to or not. An IPC namespace makes that table of keys
 * and ids per-namespace: a fresh one is empty, its ids start again at 0,
 * and every object in it is destroyed with the namespace (when its last
 * process exits), so nothing a container made can outlive it.
 *
 * There is nothing to set up after clone(): the flag is the whole lesson.
 * The limits in /proc/sys/kernel/msg*, sem and shm* are per-namespace too,
 * and POSIX queues live in the namespace's own mqueue filesystem, which
 * /dev/mqueue shows once it is mounted from inside (that needs 04-mount).
 */
#include "ipc.h"

#include <sched.h>

const struct lesson ipc_lesson = {
	.name = "02-ipc",
	.summary = "a new IPC namespace: System V IPC and POSIX queues of its own",
	.prev = &uts_lesson,
	.clone_flags = CLONE_NEWIPC,
};
