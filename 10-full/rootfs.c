/*
 * 10-full/rootfs.c - resolve a container path on the host without leaving
 * the container's root.
 *
 * Claim: `-w` and `-v` targets that climb out of ROOTFS, by `..` or by a
 *        symlink in the image, are refused before anything is created,
 *        while symlinks that stay inside are followed as the container
 *        would follow them; so is an image whose /dev, /proc or /sys is
 *        not a directory.   (tested in tests/10-full.bats,
 *        tests/10-full-mounts.bats)
 * Uses:  nothing but libc.
 * Read:  path_resolution(7), symlink(7), openat2(2)
 *
 * The danger: the runtime runs on the host, as root, and mounts a volume
 * at ROOTFS/TARGET. If the image holds `data -> /etc` and the user asks
 * for `-v x:/data`, a naive mount() follows the link on the HOST and
 * covers the host's /etc. So we walk TARGET one component at a time,
 * never letting the kernel follow a link for us (AT_SYMLINK_NOFOLLOW), and
 * interpret each link ourselves as if ROOTFS were "/".
 *
 * This is the early check, against the image alone, so that a mistake is
 * refused before anything exists. It cannot be the last word: the mounts
 * happen later, on the overlay, after volumes that bring symlinks of
 * their own. So child.c opens each target again, inside the new root, at
 * the moment it mounts it (resolve.c), and never mounts on a path.
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

int rootfs_check_mount_points(const char *root)
{
	static const char *const ours[] = {"dev", "proc", "sys"};
	char path[PATH_MAX], link[PATH_MAX];
	struct stat st;
	ssize_t n;

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, ours[i]);
		if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* made in the writable layer */
			warn("ROOTFS %s: /%s", root, ours[i]);
			return -1;
		}
		if (S_ISDIR(st.st_mode))
			continue;
		n = S_ISLNK(st.st_mode) ? readlink(path, link, sizeof(link) - 1)
					: -1;
		link[n >= 0 ? n : 0] = '\0';
		warnx("ROOTFS %s: /%s is %s%s; the runtime mounts its own /%s "
		      "there and needs a directory",
		      root, ours[i], n >= 0 ? "a symlink to " : "not a directory",
		      link, ours[i]);
		return -1;
	}
	return 0;
}
