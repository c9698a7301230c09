/*
 * tests/10-full-archive.c - a driver for 10-full's byte-format libraries,
 * so that tests/10-full-archive.bats can hold each of them against the
 * standard tools (sha256sum, GNU tar, gzip).
 *
 *   archive sha256 [FILE...]       as sha256sum prints it ("-": stdin)
 *
 * Built by the bats file with cc and linked with the objects it tests.
 */
#include "../10-full/sha256.h"

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmd_sha256(int argc, char **argv)
{
	static char buf[1 << 16];
	const char *stdin_only[] = {"-"};
	const char **files = argc > 1 ? (const char **)argv + 1 : stdin_only;
	int n = argc > 1 ? argc - 1 : 1;

	for (int i = 0; i < n; i++) {
		struct sha256 s;
		char hex[65];
		ssize_t got;
		int fd = strcmp(files[i], "-") ? open(files[i], O_RDONLY) : 0;

		if (fd < 0)
			err(1, "%s", files[i]);
		sha256_init(&s);
		while ((got = read(fd, buf, sizeof(buf))) > 0)
			sha256_update(&s, buf, got);
		if (got < 0)
			err(1, "%s", files[i]);
		sha256_hex(&s, hex);
		printf("%s  %s\n", hex, files[i]);
		if (fd)
			close(fd);
	}
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} cmds[] = {
	{"sha256", cmd_sha256},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		errx(2, "usage: archive CMD ...");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	errx(2, "unknown command %s", argv[1]);
}
