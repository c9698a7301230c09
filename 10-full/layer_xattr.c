/*
 * 10-full/layer_xattr.c - the extended attributes a layer tar carries:
 * all of a file's, but overlayfs's own.
 *
 * Claim: a file's xattrs go into its tar entry sorted by name (the same
 *        file gives the same bytes); trusted.overlay.* and user.overlay.*
 *        are left out (they describe the host's mount: origin, redirect,
 *        impure), the opaque mark only noted, for layer_pack to write as
 *        .wh..wh..opq. (tested in tests/10-full-archive.bats)
 * Uses:  nothing but libc
 * Read:  xattr(7), listxattr(2), the kernel's overlayfs.rst ("Non-
 *        directories", "whiteouts and opaque directories")
 */
#include "layertar.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

static int by_xattr(const void *a, const void *b)
{
	return strcmp(((const struct tar_xattr *)a)->name,
		      ((const struct tar_xattr *)b)->name);
}

static bool overlays_own(const char *x)
{
	return strncmp(x, "trusted.overlay.", 16) == 0 ||
	       strncmp(x, "user.overlay.", 13) == 0;
}

/* The xattrs of the file (by fd, or by path for what cannot be opened),
 * overlay's own left out but noted in *opaque, sorted by name. */
int layer_get_xattrs(int fd, const char *path, struct tar_entry *e,
		     bool *opaque)
{
	char names[8192], v[2];
	ssize_t n = fd >= 0 ? flistxattr(fd, names, sizeof(names))
			    : llistxattr(path, names, sizeof(names));

	if (n < 0)
		return errno == ENOTSUP ? 0 : -1;
	for (char *x = names; x < names + n; x += strlen(x) + 1) {
		struct tar_xattr *t = &e->xattrs[e->n_xattrs];
		ssize_t len;

		if (overlays_own(x)) {
			if (opaque && strstr(x, ".overlay.opaque") &&
			    (fd >= 0 ? fgetxattr(fd, x, v, 2)
				     : lgetxattr(path, x, v, 2)) == 1 &&
			    v[0] == 'y')
				*opaque = true;
			continue;
		}
		if (e->n_xattrs == TAR_MAX_XATTRS) {
			errno = E2BIG;
			return -1;
		}
		len = fd >= 0 ? fgetxattr(fd, x, NULL, 0)
			      : lgetxattr(path, x, NULL, 0);
		if (len < 0 || !(t->value = malloc(len + 1)))
			return -1;
		len = fd >= 0 ? fgetxattr(fd, x, t->value, len)
			      : lgetxattr(path, x, t->value, len);
		t->name = strdup(x);
		if (len < 0 || !t->name)
			return -1;
		t->len = len;
		e->n_xattrs++;
	}
	qsort(e->xattrs, e->n_xattrs, sizeof(e->xattrs[0]), by_xattr);
	return 0;
}

void layer_free_xattrs(struct tar_entry *e)
{
	for (int i = 0; i < e->n_xattrs; i++)
		free(e->xattrs[i].name), free(e->xattrs[i].value);
	e->n_xattrs = 0;
}
