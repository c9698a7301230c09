/*
 * 07-cgroups/main.c - a cgroup of its own: CPU, memory and process limits.
 *
 * The lesson is the struct it passes; read cgroups.c.
 */
#include "cgroups.h"

int main(int argc, char **argv)
{
	return lesson_main(&cgroups_lesson, argc, argv);
}
