/*
 * 02-ipc/main.c - run a command with IPC objects of its own.
 *
 *   sudo ./02-ipc/ipc -- ipcs -q      lists no queues, whatever the host has
 *
 * The lesson is the struct it passes; read ipc.c.
 */
#include "ipc.h"

int main(int argc, char **argv)
{
	return lesson_main(&ipc_lesson, argc, argv);
}
