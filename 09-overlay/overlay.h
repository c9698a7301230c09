/*
 * 09-overlay/overlay.h - image layers: an overlayfs of read-only layers
 * and one writable layer becomes the root.
 *
 * Read: Documentation/filesystems/overlayfs.rst, mount(2)
 */
#ifndef OVERLAY_H
#define OVERLAY_H

#include <stdbool.h>
#include <stdio.h>

#include "../08-chroot/chroot.h"

/* Mounts overlayfs at target: lowerdirs is a ':'-separated list, top layer
 * first; upper and work must be on the same filesystem; extra, when not
 * NULL, is more options ("volatile"). Returns 0, or -1 after saying why. */
int overlay_mount(const char *lowerdirs, const char *upper, const char *work,
		  const char *target, const char *extra);

/* Prints upper as `docker diff` does: "A /path" added, "C /path" changed,
 * "D /path" deleted (a whiteout). lowerdirs tells added from changed;
 * userxattr: the overlay kept its marks in user.* (it was mounted in a
 * user namespace), else in trusted.*. Each path is written by show:
 * fputs prints it as it is, 10-full's escapes its control bytes. Follows
 * no symlink inside a layer. Returns 0 or -1. */
int overlay_diff(const char *upper, const char *lowerdirs, bool userxattr,
		 int (*show)(const char *path, FILE *out), FILE *out);

/* --rootfs, --layers, --upper, --diff. */
extern const struct lesson overlay_lesson;

#endif
