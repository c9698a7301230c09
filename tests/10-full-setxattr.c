/*
 * tests/10-full-setxattr.c - setfattr(1) and getfattr(1) for machines
 * and images without them: sets the extended attribute NAME of PATH to
 * VALUE (from inside a container: what root inside may plant in its
 * layer), or prints its value (on the host: what a layer kept).
 * (tests/10-full-image.bats)
 * Usage: setxattr PATH NAME VALUE | setxattr PATH NAME
 * Exits 0, or 1 saying why.
 */
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

int main(int argc, char **argv)
{
	char value[4096];
	ssize_t n;

	if (argc == 3) {
		n = lgetxattr(argv[1], argv[2], value, sizeof(value));
		if (n < 0) {
			perror(argv[1]);
			return 1;
		}
		printf("%.*s\n", (int)n, value);
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: setxattr PATH NAME [VALUE]\n");
		return 1;
	}
	if (lsetxattr(argv[1], argv[2], argv[3], strlen(argv[3]), 0) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
