/*
 * tests/10-full-setxattr.c - setfattr(1) for images without it: sets the
 * extended attribute NAME of PATH to VALUE, from inside a container
 * (tests/10-full-image.bats: what root inside may plant in its layer).
 * Usage: setxattr PATH NAME VALUE. Exits 0, or 1 saying why.
 */
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: setxattr PATH NAME VALUE\n");
		return 1;
	}
	if (lsetxattr(argv[1], argv[2], argv[3], strlen(argv[3]), 0) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
