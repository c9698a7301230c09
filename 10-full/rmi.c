/*
 * 10-full/rmi.c - `container rmi [-f] IMAGE...`: untag images, and
 * remove the layers that no other image has.
 *
 * Claim: an image a container uses is not removed (125, naming the
 *        container) unless -f, which only untags it: the container
 *        still needs its layers; a layer that another image shares
 *        stays; a tag of an image with others is only untagged.
 *        (tested in tests/10-full-image.bats)
 * Uses:  image.c, imagestore.c, store.c, state.c (state_remove_tree)
 * Read:  docker-rmi(1)
 */
#include "image.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct image_tags tags;

/* A container that uses image id, into user (its name, else its id).
 * Returns whether there is one. */
static bool used_by(const char *root, const char *id, char *user)
{
	static char ids[4096][13];
	struct container *c = malloc(sizeof(*c));
	int n = c ? store_list(root, ids, 4096) : -1;
	bool found = false;

	for (int i = 0; i < n && !found; i++)
		if (store_read(root, ids[i], c) == 0 &&
		    strcmp(c->image_id, id) == 0) {
			snprintf(user, 80, "%s", c->name[0] ? c->name : c->id);
			found = true;
		}
	free(c);
	return found;
}

/* Whether another config of the store (not id) has layer. */
static bool shared(const char *root, const char *id, const char *layer)
{
	char path[PATH_MAX], (*names)[17] = malloc(IMAGE_MAX_LAYERS * 17);
	struct dirent *d;
	struct image img;
	bool found = !names; /* out of memory: keep it */
	DIR *dir;
	int n;

	snprintf(path, sizeof(path), "%s/images/configs", root);
	if (!(dir = opendir(path)))
		found = true;
	while (!found && (d = readdir(dir))) {
		if (strlen(d->d_name) != 64 || strcmp(d->d_name, id + 7) == 0)
			continue;
		snprintf(path, sizeof(path), "sha256:%s", d->d_name);
		if (image_read(root, path, &img) < 0) {
			found = true; /* unreadable: keep what it may need */
			continue;
		}
		n = image_chain_names(img.config, names);
		for (int i = 0; i < n && !found; i++)
			found = strcmp(names[i], layer) == 0;
		image_free(&img);
	}
	if (dir)
		closedir(dir);
	free(names);
	return found;
}

/* Removes the tags of id from tags (only: that one, when not NULL),
 * saying each. */
static void untag(const char *id, const char *only)
{
	for (int i = 0; i < tags.n; i++) {
		if (strcmp(tags.id[i], id) != 0 ||
		    (only && strcmp(tags.tag[i], only) != 0))
			continue;
		printf("Untagged: %s\n", tags.tag[i]);
		memmove(&tags.tag[i], &tags.tag[i + 1],
			(tags.n - i - 1) * sizeof(tags.tag[0]));
		memmove(&tags.id[i], &tags.id[i + 1],
			(tags.n - i - 1) * sizeof(tags.id[0]));
		tags.n--, i--;
	}
}

/* Removes the config of img and its layers that no other image has.
 * Returns 0 or -1. */
static int delete(const char *root, const struct image *img)
{
	char path[PATH_MAX];
	int ret = 0;

	snprintf(path, sizeof(path), "%s/images/configs/%s", root, img->id + 7);
	if (unlink(path) < 0) {
		warn("%s", path);
		return -1;
	}
	printf("Deleted: %s\n", img->id);
	for (int i = img->n_layers - 1; i >= 0; i--) {
		if (shared(root, img->id, img->layers[i]))
			continue;
		snprintf(path, sizeof(path), "%s/images/layers/%s", root,
			 img->layers[i]);
		if (state_remove_tree(AT_FDCWD, path) < 0)
			ret = -1;
		else
			printf("Deleted: layer %s\n", img->layers[i]);
	}
	return ret;
}

/* rmi of one image. Returns 0, or -1 after saying why. */
static int remove_one(const char *root, const char *ref, bool force)
{
	char user[80], tag[256] = "";
	struct image img;
	bool by_tag = false, used;
	int n = 0, ret = -1;

	if (image_find(root, ref, &img) < 0)
		return -1;
	image_tag_parse(ref, tag, sizeof(tag));
	for (int i = 0; i < tags.n; i++)
		if (strcmp(tags.id[i], img.id) == 0) {
			n++;
			by_tag = by_tag || strcmp(tags.tag[i], tag) == 0;
		}
	used = used_by(root, img.id, user);
	if (by_tag && n > 1) {
		untag(img.id, tag); /* its other tags keep it */
	} else if (n > 1 && !force) {
		warnx("image %.19s has %d tags: rmi each, or rmi -f", img.id,
		      n);
		goto out;
	} else if (used && !force) {
		warnx("unable to remove image %s: container %s uses it (rm it "
		      "first, or rmi -f to untag it)",
		      ref, user);
		goto out;
	} else {
		untag(img.id, NULL);
	}
	if (image_tags_write(root, &tags) < 0)
		goto out;
	ret = 0;
	/* Still tagged, or a container needs its layers: kept. */
	if (!(by_tag && n > 1) && !used)
		ret = delete(root, &img);
out:
	image_free(&img);
	return ret;
}

int cmd_rmi(int argc, char **argv)
{
	struct state st = {0};
	bool force = false;
	int opt, lock, ret = 0;

	while ((opt = verb_getopt(argc, argv, "f", NULL)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		force = true;
	}
	if (optind == argc) {
		warnx("rmi: name an image (container images lists them)");
		return EXIT_FAILED;
	}
	/* Under the store's lock: no run picks an image meanwhile. */
	if (verb_open(&st) < 0 || (lock = image_lock(st.root)) < 0)
		return EXIT_FAILED;
	for (int i = optind; i < argc; i++)
		if (image_tags_read(st.root, &tags) < 0 ||
		    remove_one(st.root, argv[i], force) < 0)
			ret = EXIT_FAILED;
	close(lock);
	return ret;
}
