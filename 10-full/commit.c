/*
 * 10-full/commit.c - `container commit [-m MSG] CONTAINER NAME[:TAG]`:
 * the container's writable layer becomes a new layer on top of its
 * image's, and the two a new image.
 *
 * Claim: the new image is the old one's layers, untouched, plus one
 *        layer holding what the container changed: files made, changed
 *        and deleted (whiteouts), directories deleted and made again
 *        (opaque), with their modes, owners, times, links and xattrs;
 *        not the init layer's /etc/hostname, /etc/hosts, /etc/resolv.conf,
 *        nor what a volume holds (its mount point dir is kept). A running
 *        container is frozen while its layer is copied.
 *        (tested in tests/10-full-image.bats)
 * Uses:  treecopy.c, imagelayer.c, imageconfig.c, imagestore.c,
 *        freeze.c, verb.c, store.c
 *
 * A container of a directory (run build/rootfs) has no image: commit
 * imports the directory first, as the new image's bottom layer.
 * Read:  docker-commit(1), Documentation/filesystems/overlayfs.rst
 *
 * The notes: "docker commit 和 push只保存这个修改过的可读写层" -
 * commit keeps only the read-write layer. Everything the container changed is
 * in its upper dir (09-overlay), and nothing else is: volumes are bind
 * mounts on top of the overlay, so their files never reach it; the init
 * layer is a lower dir, so its files reach it only when the container
 * writes them, and they are left out here by name.
 */
#include "freeze.h"
#include "image.h"
#include "imagestore.h"
#include "imageconfig.h"
#include "imagelayer.h"
#include "userns.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char commit_usage[] =
	"Usage: container commit [-m MESSAGE] CONTAINER NAME[:TAG]\n"
	"Make a new image of CONTAINER's image and what it changed (a running\n"
	"container is frozen meanwhile).\n";

/* The init layer's files (layers.c): each container's own, never an
 * image's, whether a copy-up brought them into the upper dir or not. */
static const char *const init_files[] = {"etc/hostname", "etc/hosts",
					 "etc/resolv.conf", NULL};

/* What made the layer, for history: the container's command. */
static void created_by(const struct container *c, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->n_cmd && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s", i ? " " : "",
				 c->cmd[i]);
}

/* The copy, with the container frozen if it runs: the new layer's
 * <16 hex> and DiffID. Caller holds the container's and the store's
 * locks. Returns 0 or -1. */
static int copy_layer(const struct state *st, const struct container *c,
		      const struct image *img, char layer[17],
		      char diff_id[72])
{
	struct treecopy tc = {.skip = init_files};
	struct freeze fz = {0};
	sigset_t stop, old;
	char upper[PATH_MAX];
	int fd, ret = -1;

	/* --userns: its upper dir holds its range's host ids; the image
	 * keeps the ids the container saw. */
	if (c->id_range) {
		tc.shift = c->id_range;
		tc.count = IDPOOL_SIZE;
	}
	/* Its overlay kept its marks in user.* if it ran in a user
	 * namespace (rootless, --userns: userxattr), else in trusted.*. */
	tc.src_opaque = imagestore_rootless() || c->id_range
				? "user.overlay.opaque"
				: "trusted.overlay.opaque";
	snprintf(upper, sizeof(upper), "%s/containers/%s/upper", st->root,
		 c->id);
	fd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", upper);
		return -1;
	}
	/* A Ctrl-C while the container is frozen must not leave it so:
	 * the signals that would end us wait until it is thawed. */
	lesson_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, &old);
	if ((c->status != STATUS_RUNNING ||
	     freeze_container(c->pid, c->id, &fz) == 0) &&
	    imagelayer_make(st->root, fd, &tc, img->layers[img->n_layers - 1],
			    layer, diff_id) == 0)
		ret = 0;
	thaw_container(&fz);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
	return ret;
}

/* A container of a directory: the directory becomes the bottom layer,
 * as `import` would make it (an import of the same tree gives the same
 * layer), and img the image of that layer alone, its config in memory
 * only: the new image's history tells of it. Caller holds the store's
 * lock. Returns 0 or -1. */
static int import_rootfs(const struct state *st, const struct container *c,
			 struct image *img)
{
	char diff_id[72], by[4200];
	struct treecopy tc = {0};
	int fd = open(c->image, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = -1;

	memset(img, 0, sizeof(*img));
	if (fd < 0) {
		warn("%s, the container's rootfs", c->image);
		return -1;
	}
	snprintf(by, sizeof(by), "container import %s", c->image);
	if (imagelayer_make(st->root, fd, &tc, "", img->layers[0], diff_id) == 0 &&
	    (img->config = imageconfig_new(diff_id, by, &img->config_len))) {
		img->n_layers = 1;
		ret = 0;
	}
	close(fd);
	return ret;
}

int cmd_commit(int argc, char **argv)
{
	char tag[256], by[1024], layer[17], diff_id[72], id[72];
	struct container *c = malloc(sizeof(*c));
	const char *msg = "";
	char *config = NULL;
	struct state st = {0};
	struct image img = {0};
	int opt, lock = -1, store = -1, ret = EXIT_FAILED;
	size_t len;

	/* Tree walks hold an fd a level (verbs.h). */
	verb_more_fds();
	while ((opt = verb_getopt(argc, argv, "m:", NULL)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		msg = optarg;
	}
	if (argc - optind != 2 || !c) {
		fputs(commit_usage, stderr);
		return EXIT_FAILED;
	}
	if (image_tag_parse(argv[optind + 1], tag, sizeof(tag)) < 0 ||
	    verb_open(&st) < 0 || verb_find(&st, argv[optind], c) < 0 ||
	    (lock = store_lock(st.root, c->id)) < 0 ||
	    verb_find(&st, c->id, c) < 0) /* as it is now, locked */
		goto out;
	if ((store = image_lock(st.root)) < 0 ||
	    (c->image_id[0] ? image_read(st.root, c->image_id, &img)
			    : import_rootfs(&st, c, &img)) < 0)
		goto out;
	if (img.n_layers == IMAGE_MAX_LAYERS) {
		warnx("image %s has %d layers, the most an image may have",
		      c->image, IMAGE_MAX_LAYERS);
		goto out;
	}
	created_by(c, by, sizeof(by));
	if (copy_layer(&st, c, &img, layer, diff_id) < 0 ||
	    !(config = imageconfig_child(img.config, diff_id, by, msg, &len)) ||
	    image_add(st.root, config, len, tag, id) < 0)
		goto out;
	printf("%s\n", id);
	ret = 0;
out:
	free(config);
	image_free(&img);
	if (store >= 0)
		close(store);
	if (lock >= 0)
		close(lock);
	free(c);
	return ret;
}
