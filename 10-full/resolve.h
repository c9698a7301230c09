/*
 * 10-full/resolve.h - a path inside the container's root, opened from the
 * host at the moment it is needed, without ever leaving that root.
 *
 * Read: openat2(2) (RESOLVE_IN_ROOT), path_resolution(7), symlink(7)
 */
#ifndef RESOLVE_H
#define RESOLVE_H

/* Flags for resolve_in_root(). */
#define IN_ROOT_MKDIR 1	      /* make missing components, as directories */
#define IN_ROOT_MKFILE 2      /* same, but the last one an empty file */
#define IN_ROOT_NO_SYMLINKS 4 /* any symlink on the way is refused (ELOOP) */
#define IN_ROOT_NO_XDEV 8     /* never leave root's filesystem (EXDEV) */

/* Opens path (absolute or relative, as the container will see it) inside
 * the directory rootfd, as if rootfd were "/": ".." stops at rootfd, an
 * absolute symlink starts again at rootfd, a relative one where it is; a
 * magic link of /proc is never followed. Missing components are made
 * (mode 0755, or 0644 for a file) when a MK flag asks, each one relative
 * to the directory fd above it, so a name swapped meanwhile cannot
 * redirect it. Uses openat2(RESOLVE_IN_ROOT) where the kernel has it,
 * and a walk of O_NOFOLLOW opens otherwise. Returns an O_PATH fd (never
 * of a symlink), or -1 with errno set: the caller names the path. */
int resolve_in_root(int rootfd, const char *path, int flags);

/* True if the fds a and b are the same file (device and inode). */
int resolve_same_file(int a, int b);

/* Mounts through fds, never through a path string (mountfd.c). what
 * names the target as the container sees it, for messages; each returns
 * 0, or -1 after saying what failed. */

/* A new filesystem (mount(2)'s src, type, flags, data) on the directory
 * that the O_PATH fd dst is, through /proc/self/fd/N (runc's "procfd"). */
int mountfd_new(int dst, const char *src, const char *type, unsigned long flags,
		const char *data, const char *what);

/* Binds the file or directory src (an O_PATH fd, with the mounts below
 * it when recursive) onto dst: open_tree(OPEN_TREE_CLONE), the mount
 * attributes attr (MOUNT_ATTR_RDONLY...) set on the copy while it is
 * still detached, then move_mount() onto dst. */
int mountfd_bind(int src, int dst, unsigned int attr, int recursive,
		 const char *what);

/* Sets the attributes attr on the mount whose root the fd is. */
int mountfd_setattr(int fd, unsigned int attr, int recursive, const char *what);

/* "/proc/self/fd/N" for fd, in buf (32 bytes). */
const char *mountfd_path(char *buf, int fd);

/* Opens path in rootfd again after something was mounted there: the new
 * mount's root. Checks that it is a filesystem of type magic (statfs(2)'s
 * f_type, 0 for any) and the root of a mount. Returns the fd, or -1
 * after saying why. */
int mountfd_reopen(int rootfd, const char *path, long magic, const char *what);

#endif
