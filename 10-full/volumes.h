/*
 * 10-full/volumes.h - -v HOST:CTR[:ro]: a host directory or file bound
 * into the container.
 *
 * Read: open_tree(2), move_mount(2), mount_setattr(2)
 */
#ifndef VOLUMES_H
#define VOLUMES_H

#include <limits.h>
#include <stdbool.h>

#define MAX_VOLUMES 16

struct volume {
	char source[PATH_MAX]; /* absolute, symlinks resolved, on the host */
	char target[PATH_MAX]; /* relative to the rootfs, symlinks resolved
				  inside it */
	int source_fd; /* source, opened O_PATH when parsed (host's mount
			  namespace): its identity, checked at mount time */
	bool read_only;
	bool is_dir; /* the source is a directory (else a file) */
};

/* Parses spec, "HOST:CTR", "HOST:CTR:ro" or "HOST:CTR:rw", into v: HOST
 * must exist, and is opened (O_PATH, close-on-exec); CTR is resolved
 * inside root (rootfs_resolve) and may be neither root itself nor in /dev,
 * /proc or /sys. Returns 0, or -1 after saying why. */
int volume_parse(const char *spec, const char *root, struct volume *v);

/* Runs in the container's mount namespace, before pivot_root: for each of
 * the n volumes in order, opens TARGET inside the new root (the O_PATH fd
 * rootfd), following symlinks only inside it and creating what is missing
 * in the writable layer, and binds the source there through that fd,
 * read-only (recursively) when asked. The source must still be the file
 * volume_parse() opened. Returns 0, or -1 after saying why. */
int volumes_mount(const struct volume *v, int n, int rootfd);

#endif
