/*
 * 10-full/import.c - `container import DIR NAME[:TAG]`: a directory
 * becomes a one-layer image, the way into images from `make rootfs`.
 *
 *   sudo ./10-full/container import build/rootfs base
 *
 * Claim: the image's one layer is a copy of DIR (owners, modes, times,
 *        links, xattrs kept), so that changing DIR later changes no
 *        image; the id printed is the sha256 of the image's config.
 *        (tested in tests/10-full-image.bats)
 * Uses:  imagelayer.c, imageconfig.c, imagestore.c, verb.c
 * Read:  docker-import(1)
 */
#include "archive.h"
#include "image.h"
#include "imageconfig.h"
#include "imagelayer.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"Usage: container import DIR|TARFILE NAME[:TAG]\n"
	"Make a one-layer image of the directory DIR, or of a tar (plain or\n"
	"gzip'd; '-': stdin) (NAME alone: NAME:latest).\n";

int cmd_import(int argc, char **argv)
{
	char tag[256], real[PATH_MAX], by[PATH_MAX + 32], layer[17];
	char diff_id[72], id[72], *config = NULL;
	struct treecopy tc = {0};
	struct state st = {0};
	struct stat sb;
	int src = -1, lock = -1, ret = EXIT_FAILED;
	size_t len;

	/* Tree walks hold an fd a level (verbs.h). */
	verb_more_fds();
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] &&
	    strcmp(argv[1], "--help"))
		return verb_bad_option(argv, argv[1], false);
	if (argc != 3 || (argv[1][0] == '-' && argv[1][1])) {
		fputs(usage, argc == 2 && !strcmp(argv[1], "--help") ? stdout
								       : stderr);
		return argc == 2 && !strcmp(argv[1], "--help") ? 0
								: EXIT_FAILED;
	}
	if (image_tag_parse(argv[2], tag, sizeof(tag)) < 0)
		return EXIT_FAILED;
	if (strcmp(argv[1], "-") == 0)
		return import_tarfile("-", tag); /* importtar.c: stdin */
	if (stat(argv[1], &sb) < 0 || !realpath(argv[1], real)) {
		warn("%s", argv[1]);
		return EXIT_FAILED;
	}
	if (S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode))
		return import_tarfile(argv[1], tag); /* importtar.c */
	if (!S_ISDIR(sb.st_mode)) {
		warnx("%s is not a directory: give the directory that is to "
		      "become the image's \"/\" (e.g. build/rootfs)",
		      argv[1]);
		return EXIT_FAILED;
	}
	src = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src < 0) {
		warn("%s", real);
		return EXIT_FAILED;
	}
	snprintf(by, sizeof(by), "container import %s", real);
	if (verb_open(&st) < 0 || (lock = image_lock(st.root)) < 0 ||
	    imagelayer_make(st.root, src, &tc, "", layer, diff_id) < 0 ||
	    !(config = imageconfig_new(diff_id, by, &len)) ||
	    image_add(st.root, config, len, tag, id) < 0)
		goto out;
	printf("%s\n", id);
	ret = 0;
out:
	free(config);
	if (lock >= 0)
		close(lock);
	close(src);
	return ret;
}
