/*
 * 08-chroot/main.c - a root filesystem of its own: chroot(2) or pivot_root(2).
 *
 * The lesson is the struct it passes; read chroot.c.
 */
#include "chroot.h"

int main(int argc, char **argv)
{
	return lesson_main(&chroot_lesson, argc, argv);
}
