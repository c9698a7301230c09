/*
 * 10-full/userxattr.c - a user's data root must take user.* extended
 * attributes: a rootless overlay keeps its marks there.
 *
 * Claim: a rootless run (or any verb of a user) whose data root is on a
 *        filesystem without user.* xattrs (ramfs; tmpfs before Linux
 *        6.6) exits 125 with one line that says what to do, before
 *        anything is made.   (tested in tests/10-full-disk.bats)
 * Uses:  state.c (which calls it before it makes the data root)
 * Read:  xattr(7), getxattr(2), Documentation/filesystems/overlayfs.rst
 *        ("User xattr")
 *
 * Why: in a user namespace the kernel refuses trusted.* xattrs, so the
 * overlay is mounted with userxattr (09-overlay) and keeps what it must
 * remember in user.overlay.*: the opaque mark of a directory that hides
 * the one below it, the whiteouts of an image's layers. Where the upper
 * directory's filesystem has no user.* xattrs, the mount still succeeds
 * (the kernel only logs "upper fs does not support xattr"), and the
 * container meets it later, from inside: removing a directory of a lower
 * layer fails with EIO, an image's deleted file comes back. Asked first,
 * the question costs one getxattr(2) and changes nothing.
 */
#include "userxattr.h"

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

int userxattr_check_root(const char *root)
{
	char path[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "%s", root);
	/* Reading a name nobody sets: a filesystem that takes user.*
	 * answers ENODATA; one without a handler for the prefix answers
	 * EOPNOTSUPP (the VFS's xattr_resolve_name()), before any data. A
	 * root still to be made: the parent it will be made in. */
	while (getxattr(path, "user.lesson-container.probe", NULL, 0) < 0) {
		if (errno == EOPNOTSUPP) {
			warnx("%s is on a filesystem without user.* extended "
			      "attributes (ramfs, or tmpfs before Linux 6.6), "
			      "in which a rootless overlay keeps its marks: "
			      "set XDG_DATA_HOME, or --root, to a directory "
			      "on a disk",
			      root);
			return -1;
		}
		slash = strrchr(path, '/');
		if (errno != ENOENT || !slash || slash == path)
			return 0; /* cannot tell (EACCES...): the mount will */
		*slash = '\0';
	}
	return 0;
}
