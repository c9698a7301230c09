/*
 * 04-mount/main.c - a new mount namespace with its own /proc.
 *
 * The lesson is the struct it passes; read mount.c.
 */
#include "mount.h"

int main(int argc, char **argv)
{
	return lesson_main(&mount_lesson, argc, argv);
}
