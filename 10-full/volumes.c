/*
 * 10-full/volumes.c - bind mounts from the host into the container.
 *
 * Claim: what the container writes to a -v volume is on the host
 *        afterwards; a :ro volume cannot be written, even by the
 *        container's root.   (tested in tests/10-full.bats)
 *        A volume's target is opened inside the container's root when
 *        it is mounted, after the volumes before it: a symlink in an
 *        earlier volume is followed inside the root, never on the host.
 *        (tested in tests/10-full.bats, tests/10-full-mounts.bats)
 * Uses:  rootfs.c (the early check, against the image), resolve.c and
 *        mountfd.c (the target opened in the new root, mounted by fd)
 * Read:  open_tree(2), move_mount(2), mount_setattr(2),
 *        mount_namespaces(7)
 *
 * A volume is the one deliberate hole in the container's filesystem: a
 * bind mount makes the same directory visible at a second place, so both
 * sides see each other's writes. The mount happens in the container's
 * (private) mount namespace, so the host never sees it.
 *
 * It is also a door for symlinks: a volume is a host directory that a
 * container may write, so it may hold `link -> /tmp/victim` from an
 * earlier run. The early check (volume_parse) sees only the image, where
 * /a/link does not exist yet; so `-v A:/a -v B:/a/link/foo` passes it, and
 * a mount(2) on the path string "merged/a/link/foo" made the host's
 * /tmp/victim/foo and mounted B there. Hence volumes_mount opens each
 * target inside the root only once the volumes before it are in place
 * (resolve.c), and mounts on that fd (mountfd.c).
 */
#include "volumes.h"
#include "resolve.h"
#include "rootfs.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int volume_parse(const char *spec, const char *root, struct volume *v)
{
	char host[PATH_MAX], ctr[PATH_MAX];
	const char *colon = strchr(spec, ':'), *mode;
	struct stat st;
	size_t len;

	if (!colon || colon == spec) {
		warnx("-v %s: write it as HOST:CONTAINER[:ro]", spec);
		return -1;
	}
	len = strcspn(colon + 1, ":");
	mode = colon[1 + len] ? colon + 2 + len : "rw";
	if ((size_t)(colon - spec) >= sizeof(host) || len >= sizeof(ctr)) {
		warnx("-v %s: path too long", spec);
		return -1;
	}
	memcpy(host, spec, colon - spec);
	host[colon - spec] = '\0';
	memcpy(ctr, colon + 1, len);
	ctr[len] = '\0';
	if (strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0) {
		warnx("-v %s: the mode after the second ':' is ro or rw, "
		      "not '%s'",
		      spec, mode);
		return -1;
	}
	v->read_only = mode[1] == 'o';

	/* Docker would create a missing source; we refuse it, since a
	 * typo would otherwise silently create a directory on the host.
	 * Opened now: what we check is what volumes_mount() will bind. */
	if (!realpath(host, v->source) ||
	    (v->source_fd = open(v->source, O_PATH | O_CLOEXEC)) < 0 ||
	    fstat(v->source_fd, &st) < 0) {
		warn("-v %s: source %s", spec, host);
		return -1;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		warnx("-v %s: source %s is neither a directory nor a file",
		      spec, host);
		return -1;
	}
	v->is_dir = S_ISDIR(st.st_mode);
	if (rootfs_resolve(root, ctr, "-v", v->target, sizeof(v->target)) < 0)
		return -1;
	if (v->target[0] == '\0') {
		warnx("-v %s: the target cannot be the container's / itself",
		      spec);
		return -1;
	}
	/* /dev, /proc and /sys are mounted after the volumes (so that no
	 * volume can cover them): a volume there would be hidden. */
	for (int i = 0; i < 3; i++) {
		static const char *const ours[] = {"dev", "proc", "sys"};
		size_t len = strlen(ours[i]);

		if (strncmp(v->target, ours[i], len) == 0 &&
		    (v->target[len] == '\0' || v->target[len] == '/')) {
			warnx("-v %s: /%s belongs to the runtime; choose "
			      "another target",
			      spec, ours[i]);
			return -1;
		}
	}
	return 0;
}

/* The source, opened again in our mount namespace: the kernel copies no
 * mount from the host's namespace, where source_fd was opened (EINVAL).
 * It must be the same file: a source swapped since the options were read
 * (renamed, replaced by a symlink) is refused, never followed. Returns
 * an O_PATH fd, or -1 after saying why. */
static int open_source(const struct volume *v)
{
	int fd = open(v->source, O_PATH | O_CLOEXEC);

	if (fd < 0) {
		warn("-v: source %s", v->source);
		return -1;
	}
	if (!resolve_same_file(fd, v->source_fd)) {
		warnx("-v: source %s was replaced after the options were read;"
		      " not mounting it",
		      v->source);
		close(fd);
		return -1;
	}
	return fd;
}

/* Mounts one volume. Returns 0, or -1 after saying why. */
static int mount_one(const struct volume *v, int rootfd)
{
	char what[PATH_MAX + 16];
	int src, dst = -1, ret = -1;

	snprintf(what, sizeof(what), "-v target /%s", v->target);
	src = open_source(v);
	if (src < 0)
		return -1;
	/* A target the image lacks is made in the writable layer, like
	 * Docker does; never in the image itself, never outside. */
	dst = resolve_in_root(rootfd, v->target,
			      v->is_dir ? IN_ROOT_MKDIR : IN_ROOT_MKFILE);
	if (dst < 0) {
		warn("%s", what);
		goto out;
	}
	/* The early check refused "/"; an earlier volume's symlink (to "/"
	 * or "..") can still lead there, and a volume over the whole root
	 * would hide everything the runtime mounts after it. */
	if (resolve_same_file(dst, rootfd)) {
		warnx("%s leads to the container's / itself (a symlink in an "
		      "earlier volume?); choose another target",
		      what);
		goto out;
	}
	/* Recursive: what is mounted below the source comes along; made
	 * read-only, with all of that, before it is attached. */
	ret = mountfd_bind(src, dst, v->read_only ? MOUNT_ATTR_RDONLY : 0, 1,
			   what);
out:
	if (dst >= 0)
		close(dst);
	close(src);
	return ret;
}

int volumes_mount(const struct volume *v, int n, int rootfd)
{
	for (int i = 0; i < n; i++)
		if (mount_one(&v[i], rootfd) < 0)
			return -1;
	return 0;
}
