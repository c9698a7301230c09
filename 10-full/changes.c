/*
 * 10-full/changes.c - `container diff CONTAINER`: what the container
 * changed, read from its writable layer, as docker diff prints it.
 *
 * Claim: "A /path" for what it added, "C /path" for what it changed,
 *        "D /path" for what it deleted, against its image's layers (or
 *        its rootfs directory); no symlink in a layer leads it to list a
 *        host's file, and a name's control bytes are printed escaped.
 *        (tested in tests/10-full-image.bats)
 * Uses:  09-overlay/diff.c (overlay_diff, linked), image.c, verb.c,
 *        ps.c (verb_escape)
 * Read:  docker-diff(1)
 *
 * A running container is not frozen for its diff, as it is for a commit
 * (freeze.c), and docker does not pause it either: overlay_diff opens no
 * path through a layer and follows no symlink, so a container that
 * changes its layer while we read can make one of its own entries show
 * or not, never reach the host. A commit freezes because it keeps what
 * it copies; a diff is a look, and it must not stop a service.
 */
#include "image.h"
#include "imagestore.h"
#include "verbs.h"

#include "../01-uts/lesson.h"
#include "../09-overlay/overlay.h"

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A path as ps shows a command, unquoted: a name the container chose
 * must not drive our terminal (an ESC sequence) nor make a line of its
 * own (a newline, "x\nD /etc/passwd"). */
static int show(const char *path, FILE *out)
{
	char buf[PATH_MAX * 4 + 1]; /* "\xNN" for each byte at most */

	verb_escape(buf, sizeof(buf), path);
	return fputs(buf, out);
}

/* The container's lower dirs, top first, absolute, into a malloc'd
 * ':'-list. Returns it, or NULL after one line. */
static char *lowers_of(const struct state *st, const struct container *c)
{
	struct image img;
	size_t size, used = 0;
	char *list;

	if (!c->image_id[0])
		return strdup(c->image); /* its rootfs directory */
	if (image_read(st->root, c->image_id, &img) < 0)
		return NULL;
	size = img.n_layers * (strlen(st->root) + 64) + 1;
	if ((list = malloc(size)))
		for (int i = img.n_layers - 1; i >= 0; i--)
			used += snprintf(list + used, size - used,
					 "%s%s/images/layers/%s/diff",
					 used ? ":" : "", st->root,
					 img.layers[i]);
	image_free(&img);
	return list;
}

int cmd_diff(int argc, char **argv)
{
	char upper[PATH_MAX], *lowers = NULL;
	struct container *c = malloc(sizeof(*c));
	struct state st = {0};
	int ret = EXIT_FAILED;

	/* Tree walks hold an fd a level (verbs.h). */
	verb_more_fds();
	if (argc > 1 && argv[1][0] == '-') {
		free(c);
		return verb_bad_option(argv, argv[1], false);
	}
	if (argc != 2 || !c) {
		fputs("Usage: container diff CONTAINER\nList what CONTAINER "
		      "added (A), changed (C) and deleted (D).\n", stderr);
		free(c);
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || verb_find(&st, argv[1], c) < 0 ||
	    !(lowers = lowers_of(&st, c)))
		goto out;
	snprintf(upper, sizeof(upper), "%s/containers/%s/upper", st.root,
		 c->id);
	/* Its overlay was mounted in a user namespace (rootless,
	 * --userns: userxattr) or not (trusted.*). */
	if (overlay_diff(upper, lowers, imagestore_rootless() || c->id_range,
			 show, stdout) == 0)
		ret = 0;
out:
	free(lowers);
	free(c);
	return ret;
}
