/*
 * 10-full/xattrs.c - a layer entry's extended attributes copied, in the
 * form the image store keeps them.
 *
 * Claim: every xattr is copied but overlayfs's own (trusted.overlay.*,
 *        user.overlay.*: origin, impure, redirect... name inodes of one
 *        overlay), and the opaque mark is kept only in the namespace this
 *        store's overlays use: trusted.overlay.opaque as root,
 *        user.overlay.opaque in a user's store (overlay's userxattr).
 *        (tested in tests/10-full-image.bats: the commit tests)
 * Uses:  imagestore.c (whose store this is)
 * Read:  xattr(7), Documentation/filesystems/overlayfs.rst
 */
#include "imagestore.h"
#include "xattrs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

struct xref *xref_at(struct xref *x, int dirfd, const char *name)
{
	/* /proc/self/fd/DIRFD/NAME: the l*xattr calls take a path, and this
	 * one reaches the entry itself (a symlink is not followed). */
	x->fd = -1;
	snprintf(x->path, PATH_MAX, "/proc/self/fd/%d/%s", dirfd, name);
	return x;
}

struct xref *xref_fd(struct xref *x, int fd)
{
	x->fd = fd;
	return x;
}

static ssize_t x_list(const struct xref *x, char *buf, size_t size)
{
	return x->fd >= 0 ? flistxattr(x->fd, buf, size)
			  : llistxattr(x->path, buf, size);
}

static ssize_t x_get(const struct xref *x, const char *n, void *v, size_t size)
{
	return x->fd >= 0 ? fgetxattr(x->fd, n, v, size)
			  : lgetxattr(x->path, n, v, size);
}

static int x_set(const struct xref *x, const char *n, const void *v, size_t len)
{
	return x->fd >= 0 ? fsetxattr(x->fd, n, v, len, 0)
			  : lsetxattr(x->path, n, v, len, 0);
}

int xattrs_copy(const struct xref *src, const struct xref *dst,
		const char *src_opaque)
{
	char names[8192], value[65536], *n;
	ssize_t len = x_list(src, names, sizeof(names)), v;
	const char *opaque;

	if (len <= 0) /* most files: none, and no geteuid() asked */
		return len < 0 && errno != ENOTSUP ? -1 : 0;
	opaque = imagestore_rootless() ? "user.overlay.opaque"
				       : "trusted.overlay.opaque";
	for (n = names; n < names + len; n += strlen(n) + 1) {
		bool ovl = strncmp(n, "trusted.overlay.", 16) == 0 ||
			   strncmp(n, "user.overlay.", 13) == 0;

		v = x_get(src, n, value, sizeof(value));
		if (v < 0)
			return -1;
		/* Only the mark of the namespace src's overlay used: as root
		 * (no userxattr), user.overlay.opaque is a plain xattr that
		 * root inside may set, and overlayfs ignored it (the container
		 * saw the directory whole); taken as the mark, commit would
		 * make an image that hides what the container saw. */
		if (strcmp(n, src_opaque ? src_opaque : opaque) == 0 && v == 1 &&
		    value[0] == 'y') {
			if (x_set(dst, opaque, "y", 1) < 0)
				return -1;
			continue;
		}
		if (ovl)
			continue; /* origin, impure, redirect...: overlay's */
		if (x_set(dst, n, value, v) < 0 &&
		    !(imagestore_rootless() && errno == EPERM))
			return -1;
	}
	return 0;
}
