/*
 * 09-overlay/diff.c - read a container's changes back out of its upper dir,
 * as `docker diff` prints them.
 *
 * Claim: after the command exits, --diff prints "A /path" for what it
 *        added, "C /path" for what it changed (the copied-up file and the
 *        directories above it), "D /path" for what it deleted, read from
 *        the upper dir alone, through no symlink of any layer (none of
 *        the host's files).   (tested in tests/09-overlay.bats; the
 *        symlink attacks in tests/10-full-image.bats, its diff)
 * Uses:  nothing else; 10-full calls overlay_diff() for its own diff.
 * Read:  Documentation/filesystems/overlayfs.rst ("whiteouts and opaque
 *        directories"), openat(2) (O_NOFOLLOW), scandirat(3), fgetxattr(2)
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
 *
 * The layers are the container's, and the host reads them: "upper/x"
 * with x -> / is the host's root. So no path goes through a layer: each
 * directory is opened from its parent's fd, a name at a time, O_NOFOLLOW,
 * each entry looked at with fstatat(AT_SYMLINK_NOFOLLOW). A symlink is an
 * entry to print, never a directory to enter; one on the way to a lower
 * path means that layer has no directory there. A container that swaps a
 * directory and a symlink as we read (renameat2 RENAME_EXCHANGE) makes an
 * entry of its own layer appear or vanish, no more: the open fails.
 */
#include "overlay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_LOWERS 500
/* How deep walk() goes: a frame of stack and an fd a level, and the
 * container decides how deep its layer is ("mkdir a; cd a" 10,000 times
 * overflowed 8 MiB of stack at ~970 levels of 8 KiB: diff crashed). Its
 * paths are on the heap now, and it stops here. */
#define MAX_DEPTH 1024
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

struct diff {
	int lowers[MAX_LOWERS]; /* each layer's top directory, top first */
	int n;
	FILE *out;
	const char *opaque; /* the mark's name in this upper dir */
	/* fputs, or one that escapes */
	int (*show)(const char *path, FILE *out);
	int depth;    /* how deep walk() is */
	bool too_deep; /* it stopped at MAX_DEPTH somewhere */
};

static bool is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

/* The opaque mark on the directory fd: trusted.overlay.opaque, or
 * user.overlay.opaque when the overlay was mounted with userxattr (inside
 * a user namespace). Only that one: the other is a plain xattr there,
 * which overlayfs ignored (and which root in the container may set). */
static bool is_opaque(const struct diff *d, int fd)
{
	char v;

	return fgetxattr(fd, d->opaque, &v, 1) == 1 && v == 'y';
}

/* One line, "K /path", the path written by d->show. */
static void print(const struct diff *d, char kind, const char *rel)
{
	fprintf(d->out, "%c /", kind);
	d->show(rel, d->out);
	fputc('\n', d->out);
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

/* The directory rel ("" for the top) of the layer whose top is the
 * directory fd top, opened one name at a time (DIR_FLAGS). Returns an fd,
 * or -1 when the layer has no directory there (or a symlink on the way). */
static int open_dir(int top, const char *rel)
{
	char *names = strdup(rel), *save = NULL;
	int fd = names ? openat(top, ".", DIR_FLAGS) : -1;

	for (char *name = fd >= 0 ? strtok_r(names, "/", &save) : NULL;
	     name && fd >= 0; name = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, name, DIR_FLAGS);

		close(fd);
		fd = next;
	}
	free(names);
	return fd;
}

/* The top-most lower layer that has an entry name in its directory dir
 * (no leading '/'), with that entry in *st; -1 if none has. */
static int top_lower(struct diff *d, const char *dir, const char *name,
		     struct stat *st)
{
	for (int i = 0; i < d->n; i++) {
		int fd = open_dir(d->lowers[i], dir);
		bool has = fd >= 0 &&
			   fstatat(fd, name, st, AT_SYMLINK_NOFOLLOW) == 0;

		if (fd >= 0)
			close(fd);
		if (has)
			return i;
	}
	return -1;
}

/* Whether the lower layers show dir/name: the top-most entry decides,
 * and a whiteout there means they do not. */
static bool in_lowers(struct diff *d, const char *dir, const char *name)
{
	struct stat st;

	return top_lower(d, dir, name, &st) >= 0 && !is_whiteout(&st);
}

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* An opaque upper dir (fd up) hides every lower entry under rel: each one
 * that the upper dir does not have again was deleted. */
static void hidden_by_opaque(struct diff *d, int up, const char *rel)
{
	char *child = malloc(PATH_MAX); /* off the stack: see MAX_DEPTH */
	struct dirent **names;
	struct stat st;

	if (!child)
		return;

	for (int i = 0; i < d->n; i++) {
		int fd = open_dir(d->lowers[i], rel);
		int count =
			fd >= 0 ? scandirat(fd, ".", &names, NULL, alphasort) : -1;

		if (fd >= 0)
			close(fd);
		for (int j = 0; j < count; j++) {
			/* Each name once, from the top-most layer that has
			 * it; names the upper dir has again are walk()'s. */
			if (!is_dot(names[j]->d_name) &&
			    join(child, rel, names[j]->d_name) == 0 &&
			    fstatat(up, names[j]->d_name, &st,
				    AT_SYMLINK_NOFOLLOW) < 0 &&
			    top_lower(d, rel, names[j]->d_name, &st) == i &&
			    !is_whiteout(&st))
				print(d, 'D', child);
			free(names[j]);
		}
		if (count >= 0)
			free(names);
	}
	free(child);
}

/* Prints the entries of the upper directory fd (rel), then of each
 * directory below it. */
static int walk(struct diff *d, int fd, const char *rel)
{
	char *child = malloc(PATH_MAX); /* off the stack: see MAX_DEPTH */
	struct dirent **names;
	struct stat st;
	int count = child ? scandirat(fd, ".", &names, NULL, alphasort) : -1;

	if (count < 0) {
		warn("diff: /%s", rel);
		free(child);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		const char *name = names[i]->d_name;
		bool existed;
		int sub;

		if (is_dot(name) || join(child, rel, name) < 0 ||
		    fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			goto next;
		if (is_whiteout(&st)) {
			print(d, 'D', child);
			goto next;
		}
		existed = in_lowers(d, rel, name);
		print(d, existed ? 'C' : 'A', child);
		if (!S_ISDIR(st.st_mode))
			goto next;
		/* A directory a moment ago; now maybe a symlink (ELOOP). */
		if ((sub = openat(fd, name, DIR_FLAGS)) < 0) {
			warn("diff: /%s", child);
			goto next;
		}
		if (existed && is_opaque(d, sub))
			hidden_by_opaque(d, sub, child);
		if (d->depth < MAX_DEPTH) {
			d->depth++;
			walk(d, sub, child);
			d->depth--;
		} else if (!d->too_deep) {
			warnx("diff: /%.40s...: more than %d directories deep: "
			      "what is below is not listed", child, MAX_DEPTH);
			d->too_deep = true;
		}
		close(sub);
next:
		free(names[i]);
	}
	free(names);
	free(child);
	return 0;
}

int overlay_diff(const char *upper, const char *lowerdirs, bool userxattr,
		 int (*show)(const char *path, FILE *out), FILE *out)
{
	struct diff d = {.out = out,
			 .show = show,
			 .opaque = userxattr ? "user.overlay.opaque"
					     : "trusted.overlay.opaque"};
	char *list = strdup(lowerdirs), *save = NULL;
	int top, ret = -1;

	if (!list) {
		warn("overlay_diff");
		return -1;
	}
	/* The layers' own paths are ours (the store's, the command line's):
	 * opened as they are; what is inside them is the container's
	 * (-1, a layer that is gone, has nothing). */
	for (char *l = strtok_r(list, ":", &save); l && d.n < MAX_LOWERS;
	     l = strtok_r(NULL, ":", &save))
		d.lowers[d.n++] = open(l, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if ((top = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		warn("diff: %s", upper);
	else {
		ret = walk(&d, top, "") < 0 || d.too_deep ? -1 : 0;
		close(top);
	}
	while (d.n > 0)
		if (d.lowers[--d.n] >= 0)
			close(d.lowers[d.n]);
	free(list);
	return ret;
}
