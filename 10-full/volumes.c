/*
 * 10-full/volumes.c - bind mounts from the host into the container.
 *
 * Claim: what the container writes to a -v volume is on the host
 *        afterwards; a :ro volume cannot be written, even by the
 *        container's root.   (tested in tests/10-full.bats)
 * Uses:  rootfs.c (targets resolved inside the rootfs)
 * Read:  mount(2) MS_BIND, mount_setattr(2), mount_namespaces(7)
 *
 * A volume is the one deliberate hole in the container's filesystem: a
 * bind mount makes the same directory visible at a second place, so both
 * sides see each other's writes. The mount happens in the container's
 * (private) mount namespace, so the host never sees it.
 */
#include "volumes.h"
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
	 * typo would otherwise silently create a directory on the host. */
	if (!realpath(host, v->source) || stat(v->source, &st) < 0) {
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

int volumes_mount(const struct volume *v, int n, const char *merged)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	char path[PATH_MAX];
	int dirfd, ret = -1;

	if (n == 0)
		return 0;
	dirfd = open(merged, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		warn("%s", merged);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		/* A target the image lacks is made in the writable layer,
		 * like Docker does; never in the image itself. */
		if (rootfs_make_path(dirfd, v[i].target, !v[i].is_dir) < 0)
			goto out;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", merged,
				     v[i].target) >= sizeof(path)) {
			warnx("-v %s: path too long", v[i].target);
			goto out;
		}
		/* MS_REC: what is mounted below the source comes along. */
		if (mount(v[i].source, path, NULL, MS_BIND | MS_REC, NULL) <
		    0) {
			warn("-v: bind %s on /%s", v[i].source, v[i].target);
			goto out;
		}
		/* mount_setattr() changes only the flag asked for, on the
		 * whole tree; a remount with MS_RDONLY would also clear
		 * nosuid/nodev, which a user namespace may not do. */
		if (v[i].read_only &&
		    mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &ro,
				  sizeof(ro)) < 0) {
			warn("-v: make /%s read-only", v[i].target);
			goto out;
		}
	}
	ret = 0;
out:
	close(dirfd);
	return ret;
}
