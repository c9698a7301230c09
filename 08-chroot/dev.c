/*
 * 08-chroot/dev.c - a /dev of the container's own: a small tmpfs on
 * ROOTFS/dev, with the host's six everyday device nodes bound in.
 *
 * Claim: inside, /dev/null is the host's null device (a write to it is
 *        gone), and nothing a command writes under /dev reaches ROOTFS:
 *        ROOTFS/dev stays as it was for every later run that shares it,
 *        in chroot mode too.   (tested in tests/08-chroot.bats)
 * Uses:  04-mount's private mount namespace: the tmpfs and the binds are
 *        the container's only, and die with it.
 * Read:  mount(2) (MS_BIND), tmpfs(5), null(4), random(4), tty(4)
 *
 * Why: a program's `2>/dev/null` opens /dev/null with O_CREAT. In a
 * rootfs whose /dev is an empty directory, that creates a regular file,
 * ROOTFS/dev/null, and after chroot(2) (no mount of its own over the
 * shared directory) it lands in the rootfs itself: every later run, of
 * every lesson that uses it, then writes into a file instead of the null
 * device. A tmpfs over ROOTFS/dev takes such writes, and the binds make
 * the six names the real devices.
 *
 * Binds, not mknod(2): in a user namespace (05-user, a rootless run) the
 * kernel refuses to create device nodes, but a bind mount of the host's
 * node is allowed, and opens (the tmpfs made in a user namespace is
 * nodev; the binds are mounts of the host's /dev, which is not). 10-full
 * builds its /dev the same way, with more care (devfs.c). Nothing is
 * undone on failure: these mounts die with the namespace.
 */
#include "chroot.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* What programs expect to open; the host's disks and the rest stay out. */
static const char *const dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty",
};

int chroot_mount_dev(const char *root)
{
	/* (target: room for dev, "/" and the longest name, "urandom") */
	char dev[PATH_MAX], target[PATH_MAX + 16], source[32];
	struct stat st;

	if (snprintf(dev, sizeof(dev), "%s/dev", root) >= (int)sizeof(dev)) {
		warnx("%s/dev: the path is too long", root);
		return -1;
	}
	/* A rootfs with no /dev (a bare tarball) gets none, as before: we
	 * do not create anything in ROOTFS. */
	if (lstat(dev, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		warn("%s", dev);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("%s is not a directory: a /dev of its own needs one", dev);
		return -1;
	}
	if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC,
		  "mode=755,size=64k") < 0) {
		warn("mount a tmpfs on %s", dev);
		return -1;
	}
	for (size_t i = 0; i < sizeof(dev_nodes) / sizeof(*dev_nodes); i++) {
		int fd;

		snprintf(target, sizeof(target), "%s/%s", dev, dev_nodes[i]);
		snprintf(source, sizeof(source), "/dev/%s", dev_nodes[i]);
		/* A bind mount needs a file to cover: an empty one, on the
		 * tmpfs, never in ROOTFS. */
		fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			warn("create %s", target);
			return -1;
		}
		close(fd);
		if (mount(source, target, NULL, MS_BIND, NULL) < 0) {
			warn("bind %s onto %s", source, target);
			return -1;
		}
	}
	return 0;
}
