/*
 * tests/10-full-chown.c - chown(1) for images without it: what root in a
 * container may do to its own "/" (tests/10-full-disk.bats).
 * Usage: chown PATH UID GID
 * Exits 0, or 1 saying why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: chown PATH UID GID\n");
		return 1;
	}
	if (chown(argv[1], atoi(argv[2]), atoi(argv[3])) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
