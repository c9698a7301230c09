/*
 * 03-pid/main.c - run a command as PID 1 of a new PID namespace.
 *
 *   sudo ./03-pid/pid -- sh -c 'echo $$'          prints 1
 *   sudo ./03-pid/pid --init -- sh -c 'echo $$'   prints 2: init is 1
 *
 * The lesson is the struct it passes; read pid.c.
 */
#include "pid.h"

int main(int argc, char **argv)
{
	return lesson_main(&pid_lesson, argc, argv);
}
