/*
 * 02-ipc/ipc.h - a new IPC namespace: System V IPC and POSIX queues of its own.
 */
#ifndef IPC_H
#define IPC_H

#include "../01-uts/uts.h"

extern const struct lesson ipc_lesson;

#endif
