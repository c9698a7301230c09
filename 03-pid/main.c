/*
 * 03-pid/main.c - a new PID namespace: the command is PID 1.
 *
 * The lesson is the struct it passes; read pid.c.
 */
#include "pid.h"

int main(int argc, char **argv)
{
	return lesson_main(&pid_lesson, argc, argv);
}
