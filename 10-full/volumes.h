/*
 * 10-full/volumes.h - -v HOST:CTR[:ro]: a host directory or file bound
 * into the container.
 *
 * Read: mount(2) MS_BIND, mount_setattr(2)
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
	bool read_only;
	bool is_dir; /* the source is a directory (else a file) */
};

/* Parses spec, "HOST:CTR", "HOST:CTR:ro" or "HOST:CTR:rw", into v: HOST
 * must exist; CTR is resolved inside root (rootfs_resolve) and may be
 * neither root itself nor in /dev, /proc or /sys. Returns 0, or -1 after
 * saying why. */
int volume_parse(const char *spec, const char *root, struct volume *v);

/* Runs in the container's mount namespace, before pivot_root: bind-mounts
 * each of the n volumes at merged/TARGET, creating TARGET in the writable
 * layer when the image lacks it, and makes it read-only (recursively) when
 * asked. Returns 0, or -1 after saying why. */
int volumes_mount(const struct volume *v, int n, const char *merged);

#endif
