/*
 * 08-chroot/chroot.h - a root filesystem of its own: chroot(2), and why
 * containers use pivot_root(2) instead.
 *
 * Read: chroot(2), pivot_root(2), mount_namespaces(7)
 */
#ifndef CHROOT_H
#define CHROOT_H

#include "../07-cgroups/cgroups.h"

/* Checks that dir exists and is a directory. Returns 0, or -1 after
 * saying why. */
int chroot_check_rootfs(const char *dir);

/* chroot(root) and chdir("/"), as the notes do. Escapable. */
int chroot_enter(const char *root);

/* Makes root a mount point, as pivot_root(2) wants its new root, by
 * bind-mounting it onto itself (recursively) unless it already is one.
 * Returns 0 or -1. */
int chroot_make_mount_point(const char *root);

/* Makes root the root of our (private) mount namespace with pivot_root(2)
 * and detaches the old root, so nothing of the host stays reachable.
 * root need not be a mount point: chroot_make_mount_point() runs first. */
int chroot_pivot(const char *root);

/* Mounts a small tmpfs on root/dev (if root has a /dev) and binds the
 * host's null, zero, full, random, urandom and tty onto it, in our private
 * mount namespace: writes under /dev never reach the rootfs (dev.c).
 * Returns 0 or -1. */
int chroot_mount_dev(const char *root);

/* ROOTFS as a positional argument; --pivot. Its child_root names ROOTFS
 * in lesson_root, its child_enter switches to it. */
extern const struct lesson chroot_lesson;

#endif
