/*
 * 10-full/rootfs.h - paths inside the container's root, resolved from the
 * host without ever leaving that root.
 *
 * Read: path_resolution(7), symlink(7), openat2(2) (RESOLVE_IN_ROOT does
 *       the same in the kernel)
 */
#ifndef ROOTFS_H
#define ROOTFS_H

#include <stdbool.h>
#include <stddef.h>

/* Resolves path (absolute, as the container will see it) against the
 * directory root, the way the container itself would: an absolute symlink
 * starts again at root, a relative one from where it is. A ".." or a
 * symlink that would climb above root is refused, as is a path through a
 * non-directory. Components that do not exist yet are kept as written.
 * Writes the result, relative to root and without a leading '/', to out
 * ("" for root itself). what names the option for messages ("-w").
 * Returns 0, or -1 after saying why. */
int rootfs_resolve(const char *root, const char *path, const char *what,
		   char *out, size_t size);

/* Creates the directories of path (relative to the directory fd dirfd),
 * like mkdir -p; with file set, the last component is an empty file
 * instead. Returns 0, or -1 after saying why. */
int rootfs_make_path(int dirfd, const char *path, bool file);

#endif
