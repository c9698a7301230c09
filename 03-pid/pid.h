/*
 * 03-pid/pid.h - a new PID namespace: the command is PID 1.
 */
#ifndef PID_H
#define PID_H

#include "../02-ipc/ipc.h"

extern const struct lesson pid_lesson;

#endif
