/*
 * 08-chroot/main.c - run a command with a directory as its root.
 *
 *   make rootfs
 *   sudo ./08-chroot/chroot build/rootfs ls /            the rootfs's /
 *   sudo ./08-chroot/chroot build/rootfs chroot-escape   back on the host
 *   sudo ./08-chroot/chroot --pivot build/rootfs chroot-escape   stays in
 *
 * The lesson is the struct it passes; read chroot.c, then escape.c.
 */
#include "chroot.h"

int main(int argc, char **argv)
{
	return lesson_main(&chroot_lesson, argc, argv);
}
