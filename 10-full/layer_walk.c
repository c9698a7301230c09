/*
 * 10-full/layer_walk.c - where layer_unpack puts an entry: a path inside
 * the layer's dir, reached without following any symlink.
 *
 * Claim: an entry's path is opened from the layer's dir one component at
 *        a time with openat(O_DIRECTORY | O_NOFOLLOW | O_PATH), so that a
 *        symlink on the way (one the archive planted, "x -> /etc", then
 *        "x/passwd") fails with ELOOP/ENOTDIR instead of being followed;
 *        "..", absolute names and components over NAME_MAX never get
 *        that far. (tested in tests/10-full-archive.bats)
 * Uses:  nothing but libc
 * Read:  openat(2), path_resolution(7), openat2(2) (RESOLVE_BENEATH: the
 *        same in one call, since Linux 5.6)
 *
 * The dir of the last entry stays open (most entries are in the dir of
 * the one before): a walk per directory, not per file. Where the kernel
 * has openat2(), a dir that is there is reached in one call with the same
 * rules (RESOLVE_BENEATH, RESOLVE_NO_SYMLINKS); the walk, which makes what
 * is missing, comes only after it fails. A hostile tester's 230 KB layer,
 * 20000 entries alternating between two dirs 1500 deep, took 50 s of
 * component-by-component walking; now deeper than TREE_MAX_DEPTH is
 * refused, as commit and save refuse it, and a walk is one system call.
 *
 * Each dir's time is set at the end (its entries change it), so each dir
 * is noted. Once: the same tester's 10 MB of gzip named one dir 400000
 * times, with a 4 KB name, and the runtime kept 1.5 GB of copies of it.
 */
#include "layer_walk.h"
#include "treecopy.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* "./a//b/" -> "a/b"; refuses "..", absolute names, long components. */
int unpack_clean(const char *what, char *name)
{
	char *in = name, *out = name, *comp;
	int depth = 0;

	if (*name == '/') {
		warnx("layer: %s: an absolute name (refused)", what);
		return -1;
	}
	while (*in) {
		while (*in == '/')
			in++;
		comp = in;
		while (*in && *in != '/')
			in++;
		if (in - comp == 1 && comp[0] == '.')
			continue;
		if (in - comp == 2 && comp[0] == '.' && comp[1] == '.') {
			warnx("layer: %s: a name with '..' (refused)", what);
			return -1;
		}
		if (in - comp > NAME_MAX) {
			warnx(
			    "layer: %s: a name longer than %d bytes (refused)",
			    what, NAME_MAX);
			return -1;
		}
		if (in == comp)
			break;
		if (++depth > TREE_MAX_DEPTH + 1) { /* dirs, then its name */
			warnx("layer: %.40s...: more than %d directories deep "
			      "(refused)",
			      what, TREE_MAX_DEPTH);
			return -1;
		}
		if (out != name)
			*out++ = '/';
		memmove(out, comp, in - comp);
		out += in - comp;
	}
	*out = '\0';
	return 0;
}

/* The dir that holds path (its last component is left to the caller in
 * *last), reached without following any symlink; missing dirs are made
 * (0755, as tar does). Returns an fd owned by u (do not close), or -1. */
int unpack_parent(struct unpack *u, char *path, char **last)
{
	char *slash = strrchr(path, '/'), *comp, *next;
	int fd, sub;

	*last = slash ? slash + 1 : path;
	if (!slash)
		return u->root;
	*slash = '\0';
	if (u->dfd >= 0 && strcmp(u->dpath, path) == 0) {
		*slash = '/';
		return u->dfd;
	}
	/* There already, most often: one call. */
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};
	fd = syscall(SYS_openat2, u->root, path, &how, sizeof(how));
	if (fd >= 0)
		goto found;
	/* Else one component at a time, making what is missing. */
	fd = dup(u->root);
	for (comp = path; fd >= 0 && comp; comp = next) {
		next = strchr(comp, '/');
		if (next)
			*next++ = '\0';
		sub = openat(fd, comp,
			     O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 && errno == ENOENT &&
		    (mkdirat(fd, comp, 0755) == 0 || errno == EEXIST))
			sub = openat(fd, comp,
				     O_PATH | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
		if (next)
			next[-1] = '/';
		close(fd);
		fd = sub;
	}
	if (fd < 0) {
		warnx("layer: %s: %s (a symlink or a file on the way: refused)",
		      path, strerror(errno));
		*slash = '/';
		return -1;
	}
found:
	if (u->dfd >= 0)
		close(u->dfd);
	u->dfd = fd;
	snprintf(u->dpath, sizeof(u->dpath), "%s", path);
	*slash = '/';
	return fd;
}

/* Forget the cached dir: something in the tree was replaced. */
void unpack_forget(struct unpack *u)
{
	if (u->dfd >= 0)
		close(u->dfd);
	u->dfd = -1;
}

/* Makes room for name in dir: what an earlier entry left there goes
 * (a dir only if the new entry is not one, and only if empty). */
int unpack_replace(struct unpack *u, int dir, const char *name, bool is_dir)
{
	struct stat st;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (is_dir && S_ISDIR(st.st_mode))
		return 0;
	/* The cached dir may lie below what goes (not when it is dir). */
	if (dir != u->dfd)
		unpack_forget(u);
	if (unlinkat(dir, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0) {
		warn("layer: %s", name);
		return -1;
	}
	return 0;
}

/* FNV-1a of a path: where it goes in u->slots. */
static size_t path_hash(const char *path)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot for path: the one holding it, or the empty one where it would
 * go. u->n_slots must be a power of two, never full. */
static size_t *slot_of(struct unpack *u, const char *path)
{
	size_t i = path_hash(path) & (u->n_slots - 1);

	while (u->slots[i] && strcmp(u->dirs[u->slots[i] - 1].path, path))
		i = (i + 1) & (u->n_slots - 1);
	return &u->slots[i];
}

/* Twice the slots (at least 64), every noted dir hashed again. 0 or -1. */
static int grow_slots(struct unpack *u)
{
	size_t n = u->n_slots ? 2 * u->n_slots : 64;
	size_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -1;
	free(u->slots);
	u->slots = slots;
	u->n_slots = n;
	for (size_t i = 0; i < u->n_dirs; i++)
		*slot_of(u, u->dirs[i].path) = i + 1;
	return 0;
}

/* The time of a dir is set once its entries are in (each of them
 * changes it): noted here, set by unpack_dir_times(). */
int unpack_note_dir(struct unpack *u, const struct tar_entry *e)
{
	struct dirtime *d;
	size_t *slot;

	if (2 * (u->n_dirs + 1) > u->n_slots && grow_slots(u) < 0)
		goto bad;
	slot = slot_of(u, e->name);
	if (*slot) {
		d = &u->dirs[*slot - 1]; /* named again: the later one's */
	} else {
		if (u->n_dirs == u->dirs_room) {
			size_t room = u->dirs_room ? 2 * u->dirs_room : 64;

			d = realloc(u->dirs, room * sizeof(*d));
			if (!d)
				goto bad;
			u->dirs = d;
			u->dirs_room = room;
		}
		d = &u->dirs[u->n_dirs];
		if (!(d->path = strdup(e->name)))
			goto bad;
		*slot = ++u->n_dirs;
	}
	d->t[0].tv_nsec = UTIME_OMIT;
	d->t[1] = (struct timespec){e->mtime, e->mtime_nsec};
	d->mode = e->mode;
	return 0;
bad:
	warn("layer");
	return -1;
}

void unpack_free_dirs(struct unpack *u)
{
	for (size_t i = 0; i < u->n_dirs; i++)
		free(u->dirs[i].path);
	free(u->dirs);
	free(u->slots);
	u->dirs = NULL;
	u->slots = NULL;
	u->n_dirs = u->dirs_room = u->n_slots = 0;
}

int unpack_dir_times(struct unpack *u)
{
	for (size_t i = u->n_dirs; i-- > 0;) {
		struct stat st;
		char *last;
		int dir = unpack_parent(u, u->dirs[i].path, &last);

		if (dir >= 0 &&
		    fstatat(dir, last, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			/* A later entry of the same name replaced the
			 * directory: its mode and times are not this
			 * one's. fchmodat() follows a symlink, and a
			 * layer's "d/" then "d -> /a/host/file" made a
			 * user's load chmod that file (a fuzzer's). */
			continue;
		if (dir < 0 ||
		    (u->rootless &&
		     fchmodat(dir, last, u->dirs[i].mode, 0) < 0) ||
		    utimensat(dir, last, u->dirs[i].t, AT_SYMLINK_NOFOLLOW) <
			0) {
			warn("layer: %s", u->dirs[i].path);
			return -1;
		}
	}
	return 0;
}
