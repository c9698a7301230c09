/*
 * 02-ipc/main.c - a new IPC namespace: System V IPC and POSIX queues of its own.
 *
 * The lesson is the struct it passes; read ipc.c.
 */
#include "ipc.h"

int main(int argc, char **argv)
{
	return lesson_main(&ipc_lesson, argc, argv);
}
