/*
 * 09-overlay/diff.c - read a container's changes back out of its upper dir,
 * as `docker diff` prints them.
 *
 * Claim: after the command exits, --diff prints "A /path" for what it
 *        added, "C /path" for what it changed (the copied-up file and the
 *        directories above it), "D /path" for what it deleted, read from
 *        the upper dir alone.   (tested in tests/09-overlay.bats)
 * Uses:  nothing else; 10-full calls overlay_diff() for its own diff.
 * Read:  Documentation/filesystems/overlayfs.rst ("whiteouts and opaque
 *        directories"), scandir(3), getxattr(2)
 *
 * Everything the container changed is in the upper dir, and nothing else:
 *
 *   upper/etc/passwd            a regular file: added (A) if no lower layer
 *                               has /etc/passwd, changed (C) if one does
 *   upper/tmp/old   c 0,0       a whiteout: /tmp/old was deleted (D)
 *   upper/data/     xattr       an opaque directory (trusted.overlay.opaque
 *                  opaque=y     = "y"): made again after being deleted, so
 *                               nothing of the lower /data shows through (D
 *                               for each lower entry it hides)
 *
 * aufs, in the notes, marked the same things with files: ".wh.NAME" for a
 * whiteout, ".wh..wh..opq" inside an opaque directory.
 */
#include "overlay.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#define MAX_LOWERS 500

struct diff {
	char *lowers[MAX_LOWERS]; /* top first */
	int n;
	FILE *out;
	const char *opaque; /* the mark's name in this upper dir */
};

static bool is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

/* The opaque mark: trusted.overlay.opaque, or user.overlay.opaque when
 * the overlay was mounted with userxattr (inside a user namespace). Only
 * that one: the other is a plain xattr there, which overlayfs ignored
 * (and which root in the container may set). */
static bool is_opaque(const struct diff *d, const char *path)
{
	char v;

	return lgetxattr(path, d->opaque, &v, 1) == 1 && v == 'y';
}

/* out = a "/" b, or b alone when a is "". Returns 0, or -1 (and skips the
 * entry) when it does not fit. */
static int join(char out[PATH_MAX], const char *a, const char *b)
{
	int n = snprintf(out, PATH_MAX, "%s%s%s", a, *a ? "/" : "", b);

	if (n < 0 || n >= PATH_MAX) {
		warnx("diff: path too long: %s/%s", a, b);
		return -1;
	}
	return 0;
}

/* The top-most lower layer that has an entry for rel (no leading '/'),
 * with that entry in *st; -1 if none has. */
static int top_lower(struct diff *d, const char *rel, struct stat *st)
{
	char path[PATH_MAX];

	for (int i = 0; i < d->n; i++)
		if (join(path, d->lowers[i], rel) == 0 && lstat(path, st) == 0)
			return i;
	return -1;
}

/* Whether the lower layers show rel: the top-most entry decides, and a
 * whiteout there means they do not. */
static bool in_lowers(struct diff *d, const char *rel)
{
	struct stat st;

	return top_lower(d, rel, &st) >= 0 && !is_whiteout(&st);
}

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* An opaque upper dir hides every lower entry under rel: each one that the
 * upper dir does not have again was deleted. */
static void hidden_by_opaque(struct diff *d, const char *upper,
			     const char *rel)
{
	char path[PATH_MAX], child[PATH_MAX];
	struct dirent **names;
	struct stat st;

	for (int i = 0; i < d->n; i++) {
		int count = join(path, d->lowers[i], rel) == 0
				    ? scandir(path, &names, NULL, alphasort)
				    : -1;

		for (int j = 0; j < count; j++) {
			/* Each name once, from the top-most layer that has
			 * it; names the upper dir has again are walk()'s. */
			if (!is_dot(names[j]->d_name) &&
			    join(child, rel, names[j]->d_name) == 0 &&
			    join(path, upper, child) == 0 &&
			    lstat(path, &st) < 0 &&
			    top_lower(d, child, &st) == i && !is_whiteout(&st))
				fprintf(d->out, "D /%s\n", child);
			free(names[j]);
		}
		if (count >= 0)
			free(names);
	}
}

/* Prints the entries of upper/rel, then of each directory below it. */
static int walk(struct diff *d, const char *upper, const char *rel)
{
	char dir[PATH_MAX], path[PATH_MAX], child[PATH_MAX];
	struct dirent **names;
	struct stat st;
	int count;

	if (join(dir, upper, rel) < 0)
		return -1;
	count = scandir(dir, &names, NULL, alphasort);
	if (count < 0) {
		warn("scandir %s", dir);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		bool existed;

		if (is_dot(names[i]->d_name) ||
		    join(child, rel, names[i]->d_name) < 0 ||
		    join(path, upper, child) < 0 || lstat(path, &st) < 0)
			goto next;
		if (is_whiteout(&st)) {
			fprintf(d->out, "D /%s\n", child);
			goto next;
		}
		existed = in_lowers(d, child);
		fprintf(d->out, "%c /%s\n", existed ? 'C' : 'A', child);
		if (S_ISDIR(st.st_mode)) {
			if (existed && is_opaque(d, path))
				hidden_by_opaque(d, upper, child);
			walk(d, upper, child);
		}
next:
		free(names[i]);
	}
	free(names);
	return 0;
}

int overlay_diff(const char *upper, const char *lowerdirs, bool userxattr,
		 FILE *out)
{
	struct diff d = {.out = out,
			 .opaque = userxattr ? "user.overlay.opaque"
					     : "trusted.overlay.opaque"};
	char *list = strdup(lowerdirs), *save = NULL;
	int ret;

	if (!list) {
		warn("overlay_diff");
		return -1;
	}
	for (char *l = strtok_r(list, ":", &save); l && d.n < MAX_LOWERS;
	     l = strtok_r(NULL, ":", &save))
		d.lowers[d.n++] = l;
	ret = walk(&d, upper, "");
	free(list);
	return ret;
}
