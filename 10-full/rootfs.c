/*
 * 10-full/rootfs.c - resolve a container path on the host without leaving
 * the container's root.
 *
 * Claim: `-w` and `-v` targets that climb out of ROOTFS, by `..` or by a
 *        symlink in the image, are refused before anything is created,
 *        while symlinks that stay inside are followed as the container
 *        would follow them.   (tested in tests/10-full.bats)
 * Uses:  nothing but libc.
 * Read:  path_resolution(7), symlink(7), openat2(2)
 *
 * The danger: the runtime runs on the host, as root, and mounts a volume
 * at ROOTFS/TARGET. If the image holds `data -> /etc` and the user asks
 * for `-v x:/data`, a naive mount() follows the link on the HOST and
 * covers the host's /etc. So we walk TARGET one component at a time,
 * never letting the kernel follow a link for us (AT_SYMLINK_NOFOLLOW), and
 * interpret each link ourselves as if ROOTFS were "/". The result has no
 * symlinks left, so mounting on ROOTFS/result cannot leave ROOTFS.
 */
#include "rootfs.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40 /* as the kernel: more is a loop (ELOOP) */

/* Drops the last component of the relative path in out. */
static void pop(char *out)
{
	char *slash = strrchr(out, '/');

	if (slash)
		*slash = '\0';
	else
		out[0] = '\0';
}

int rootfs_resolve(const char *root, const char *path, const char *what,
		   char *out, size_t size)
{
	char rest[PATH_MAX], link[PATH_MAX], spliced[PATH_MAX];
	char comp[NAME_MAX + 1];
	size_t p = 0, len, used;
	int fd, links = 0;
	bool missing = false; /* a component did not exist: stop looking */
	struct stat st;
	ssize_t n;

	if (path[0] != '/') {
		warnx("%s %s: give an absolute path inside the container", what,
		      path);
		return -1;
	}
	if (strlen(path) >= sizeof(rest) || size < 2) {
		warnx("%s: path too long", what);
		return -1;
	}
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", root);
		return -1;
	}
	strcpy(rest, path);
	out[0] = '\0';
	for (;;) {
		p += strspn(rest + p, "/");
		len = strcspn(rest + p, "/");
		if (len == 0)
			break;
		if (len > NAME_MAX)
			goto too_long;
		memcpy(comp, rest + p, len);
		comp[len] = '\0';
		p += len;
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			/* The container's "/.." is "/"; the kernel would
			 * clamp it, but a path written to climb out is a
			 * mistake or an attack: say so. */
			if (out[0] == '\0') {
				warnx("%s %s: %s leads out of the rootfs; "
				      "give a path inside it",
				      what, path,
				      links ? "a symlink in the image"
					    : "'..'");
				goto bad;
			}
			pop(out);
			continue;
		}
		used = strlen(out);
		if (used + len + 2 > size)
			goto too_long;
		if (used)
			out[used++] = '/';
		strcpy(out + used, comp);
		if (missing)
			continue;
		/* Never follow: the kernel would follow a link on the
		 * host, where "/" is the host's root. */
		if (fstatat(fd, out, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				goto fail;
			missing = true; /* created later, inside */
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			if (++links > MAX_LINKS) {
				errno = ELOOP;
				goto fail;
			}
			n = readlinkat(fd, out, link, sizeof(link) - 1);
			if (n < 0)
				goto fail;
			link[n] = '\0';
			/* The link replaces its own name: a relative one
			 * goes on from the directory holding it, an
			 * absolute one from the container's root. */
			pop(out);
			if (link[0] == '/')
				out[0] = '\0';
			if ((size_t)snprintf(spliced, sizeof(spliced), "%s/%s",
					     link, rest + p) >= sizeof(spliced))
				goto too_long;
			strcpy(rest, spliced);
			p = 0;
			continue;
		}
		if (!S_ISDIR(st.st_mode) && rest[p + strspn(rest + p, "/")]) {
			errno = ENOTDIR;
			goto fail;
		}
	}
	close(fd);
	return 0;
too_long:
	errno = ENAMETOOLONG;
fail:
	warn("%s %s", what, path);
bad:
	close(fd);
	return -1;
}

int rootfs_make_path(int dirfd, const char *path, bool file)
{
	char prefix[PATH_MAX];
	size_t len = strlen(path);
	int fd;

	if (len == 0)
		return 0;
	if (len >= sizeof(prefix)) {
		errno = ENAMETOOLONG;
		warn("%s", path);
		return -1;
	}
	/* path comes from rootfs_resolve(): no symlinks, no "..", so these
	 * *at() calls stay inside dirfd. */
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		if (i == len && file) {
			fd = openat(dirfd, prefix,
				    O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
				    0644);
			if (fd < 0) {
				warn("create %s", path);
				return -1;
			}
			close(fd);
		} else if (mkdirat(dirfd, prefix, 0755) < 0 &&
			   errno != EEXIST) {
			warn("mkdir %s", prefix);
			return -1;
		}
	}
	return 0;
}
