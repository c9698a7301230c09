/*
 * 02-ipc/ipc.h - a new IPC namespace: System V IPC and POSIX queues of its own.
 *
 * Read: ipc_namespaces(7), sysvipc(7)
 */
#ifndef IPC_H
#define IPC_H

#include "../01-uts/uts.h"

/* 01-uts plus CLONE_NEWIPC: the command starts with no message queues,
 * semaphores or shared memory segments, and what it makes dies with it. */
extern const struct lesson ipc_lesson;

#endif
