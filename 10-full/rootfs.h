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

/* Refuses an image whose dev, proc or sys is there but is not a
 * directory (a symlink, say, that would lead the runtime's own mounts
 * anywhere): one line naming it. Missing is fine. Returns 0 or -1. */
int rootfs_check_mount_points(const char *root);

#endif
