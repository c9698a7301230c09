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
 * the one before): a walk per directory, not per file.
 */
#include "layer_walk.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "./a//b/" -> "a/b"; refuses "..", absolute names, long components. */
int unpack_clean(const char *what, char *name)
{
	char *in = name, *out = name, *comp;

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

/* The time of a dir is set once its entries are in (each of them
 * changes it): noted here, set by unpack_dir_times(). */
int unpack_note_dir(struct unpack *u, const struct tar_entry *e)
{
	struct dirtime *d = realloc(u->dirs, (u->n_dirs + 1) * sizeof(*d));

	if (!d || !(d[u->n_dirs].path = strdup(e->name))) {
		u->dirs = d ? d : u->dirs;
		warn("layer");
		return -1;
	}
	u->dirs = d;
	d[u->n_dirs].t[0].tv_nsec = UTIME_OMIT;
	d[u->n_dirs].t[1] = (struct timespec){e->mtime, e->mtime_nsec};
	d[u->n_dirs].mode = e->mode;
	u->n_dirs++;
	return 0;
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
