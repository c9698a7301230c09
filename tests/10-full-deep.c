/*
 * tests/10-full-deep.c - what a container may make in its layer: a chain
 * of directories as deep as it likes ("mkdir a; cd a", again and again:
 * no path is ever longer than one name). (tests/10-full-disk.bats)
 * Usage: deep DIR N   makes DIR/a/a/.../a, N of them.
 * Exits 0, or 1 saying why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n;

	if (argc != 3 || chdir(argv[1]) < 0) {
		fprintf(stderr, "usage: deep DIR N (DIR must exist)\n");
		return 1;
	}
	n = atoi(argv[2]);
	for (int i = 0; i < n; i++)
		if (mkdir("a", 0755) < 0 || chdir("a") < 0) {
			perror("deep: a");
			return 1;
		}
	return 0;
}
