/*
 * 10-full/xattrs.h - copy a layer entry's xattrs (treecopy.c).
 *
 * Read: xattr(7)
 */
#ifndef XATTRS_H
#define XATTRS_H

#include <limits.h>
#include <sys/types.h>

/* An entry whose xattrs are read or written: through an open fd (a file,
 * a directory: the cheaper way), or a path (a symlink, a device). */
struct xref {
	int fd;
	char path[PATH_MAX];
};

/* The entry name in the open dir dirfd, by path; the file open as fd. */
struct xref *xref_at(struct xref *x, int dirfd, const char *name);
struct xref *xref_fd(struct xref *x, int fd);

/* Copies the xattrs of src to dst, dropping overlayfs's own but for the
 * opaque mark, which is written as this store keeps it. src_opaque: the
 * name of the mark in src (the namespace of the overlay src was the
 * upper dir of), or NULL for the store's own. Without root, an xattr the
 * user may not set is left out. Returns 0 or -1 (errno). */
int xattrs_copy(const struct xref *src, const struct xref *dst,
		const char *src_opaque);

#endif
