/*
 * tests/10-full-chattr.c - chattr(1) for images without it: ORs FLAGS
 * (hex, FS_IOC_SETFLAGS: 0x8 sync, 0x10000 dirsync, 0x80 noatime...)
 * into PATH's inode flags; what root in a container may do to its own
 * "/" (tests/10-full-disk.bats).
 * Usage: chattr PATH FLAGS
 * Exits 0, or 1 saying why.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, flags;

	if (argc != 3) {
		fprintf(stderr, "usage: chattr PATH FLAGS\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
		perror(argv[1]);
		return 1;
	}
	flags |= (int)strtol(argv[2], NULL, 16);
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
