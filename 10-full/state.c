/*
 * 10-full/state.c - each container gets a directory of its own on the
 * host's disk, and leaves nothing of it behind.
 *
 * Claim: the container's writable layer is on disk, under the runtime's
 *        data root, never in memory: writing 256 MiB inside does not grow
 *        the host's Shmem; its dir is gone after every run, whatever the
 *        command did; a data root on overlayfs, or a user's without
 *        user.* xattrs (userxattr.c), is refused up front.
 *        (tested in tests/10-full-disk.bats and tests/10-full.bats)
 * Uses:  nothing but libc; 09-overlay mounts these directories.
 * Read:  statfs(2), getrandom(2), getdents64(2), unlinkat(2),
 *        ioctl_iflags(2) and chattr(1) (FS_TOPDIR_FL, 'T'), and the XDG
 *        Base Directory Specification (XDG_DATA_HOME)
 *
 * Why a disk: a tmpfs has no owner to charge but the memory cgroup, and
 * without -m there is none: a `dd` of 1 GiB inside was 1 GiB of the
 * host's RAM (Shmem). /run and often /tmp are tmpfs, so the layer lives
 * where docker keeps its own (/var/lib/docker/overlay2/ID/diff), and a
 * full disk is what the container then meets: ENOSPC.
 */
#include "state.h"
#include "spare.h"
#include "userxattr.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* mkdir path and every missing parent below its first component, the
 * new ones with mode. Returns 0, or -1 after saying why. */
static int make_dirs(char *path, mode_t mode)
{
	for (char *p = strchr(path + 1, '/');; p = strchr(p + 1, '/')) {
		if (p)
			*p = '\0';
		if (mkdir(path, mode) < 0 && errno != EEXIST) {
			warn("mkdir %s", path);
			if (p)
				*p = '/';
			return -1;
		}
		if (!p)
			return 0;
		*p = '/';
	}
}

/* Each dir made in path from now on is the top of a tree of its own for
 * ext4's allocator (chattr +T, FS_TOPDIR_FL): it goes to a block group
 * chosen among the emptiest, not beside path (spare.c says why there).
 * Where the filesystem has no such flag (tmpfs, xfs, btrfs), nothing
 * changes. */
void state_top_of_trees(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int flags;

	if (fd < 0)
		return;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
	    !(flags & FS_TOPDIR_FL)) {
		flags |= FS_TOPDIR_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
}

/* Makes root/containers and root/names. Returns 0 or -1. */
static int make_subdirs(const char *root, bool rootless)
{
	static const char *const subdirs[] = {"containers", "names"};
	char path[PATH_MAX];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, subdirs[i]);
		/* containers/: a --userns container's root walks to its own
		 * dir by name, but may not list the others (0711). */
		if (mkdir(path, rootless || i == 1 ? 0700 : 0711) < 0 &&
		    errno != EEXIST) {
			warn("mkdir %s", path);
			return -1;
		}
	}
	return 0;
}

/* The data root of a user (see state.h): XDG's place for an
 * application's data, and a defined fallback where a program runs with
 * no HOME of its own (setpriv, sudo -u, cron keep or drop HOME). */
static void user_root(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	struct stat sb;

	if (xdg && xdg[0] == '/')
		snprintf(buf, size, "%s/lesson-container", xdg);
	else if (home && home[0] == '/' && stat(home, &sb) == 0 &&
		 S_ISDIR(sb.st_mode) && sb.st_uid == getuid())
		snprintf(buf, size, "%s/.local/share/lesson-container", home);
	else /* on disk (FHS): /tmp is often a tmpfs, /var/tmp is not */
		snprintf(buf, size, "/var/tmp/lesson-container-%u",
			 (unsigned)getuid());
}

/* statfs(2)'s f_type of path, or of its nearest existing parent: the
 * filesystem the data root is, or will be, on. 0 when none answers. */
static long fs_type(const char *path)
{
	char copy[PATH_MAX], *slash;
	struct statfs fs;

	snprintf(copy, sizeof(copy), "%s", path);
	while (statfs(copy, &fs) < 0) {
		slash = strrchr(copy, '/');
		if (!slash || slash == copy)
			return statfs("/", &fs) < 0 ? 0 : fs.f_type;
		*slash = '\0';
	}
	return fs.f_type;
}

const char *state_root_option;

int state_root_path(char *root, size_t size, bool rootless)
{
	char path[PATH_MAX];

	if (state_root_option) {
		const char *dir = state_root_option;
		int n;

		/* Absolute: a supervisor or `start` may run elsewhere. */
		if (dir[0] == '/' || !getcwd(path, sizeof(path)))
			n = snprintf(root, size, "%s", dir);
		else
			n = snprintf(root, size, "%s/%s", path, dir);
		if (n < 0 || (size_t)n >= size) {
			warnx("--root %s: the path is too long", dir);
			return -1;
		}
	} else if (rootless)
		user_root(root, size);
	else
		snprintf(root, size, "/var/lib/lesson-container");
	return 0;
}

int state_open_root(struct state *st, bool rootless)
{
	char path[sizeof(st->root) + 16];
	struct stat sb;

	if (state_root_path(st->root, sizeof(st->root), rootless) < 0)
		return -1;
	/* overlayfs cannot take an upper dir that is itself on overlayfs
	 * (the mount fails with EINVAL, dmesg: "filesystem on ... not
	 * supported as upperdir"). Say so before anything is made, and what
	 * to do. */
	if (fs_type(st->root) == OVERLAYFS_SUPER_MAGIC) {
		warnx("%s is on overlayfs (inside a docker container?): the "
		      "kernel cannot put a container's writable layer there. "
		      "Mount a directory of a disk on it (docker run -v "
		      "/some/dir:%s ...)%s",
		      st->root, st->root,
		      rootless ? ", or set XDG_DATA_HOME to one" : "");
		return -1;
	}
	/* A user's overlay keeps its marks in user.* xattrs (userxattr.c). */
	if (rootless && userxattr_check_root(st->root) < 0)
		return -1;
	/* Made once; later runs find it. The root first, then whether it
	 * is ours, and only then what goes in it: a link someone else put
	 * there (/var/tmp is shared by every user) made root create
	 * containers/ and names/ wherever it pointed, before the refusal. */
	snprintf(path, sizeof(path), "%s/names", st->root);
	if (access(path, F_OK) < 0 &&
	    make_dirs(st->root, rootless ? 0700 : 0711) < 0)
		return -1;
	if (lstat(st->root, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
	    sb.st_uid != geteuid()) {
		warnx("%s is not a directory of yours: remove it, or set "
		      "XDG_DATA_HOME to a directory of your own",
		      st->root);
		return -1;
	}
	if (access(path, F_OK) < 0 && make_subdirs(st->root, rootless) < 0)
		return -1;
	return 0;
}

int state_new_id(struct state *st)
{
	unsigned char bytes[6];

	if (getrandom(bytes, sizeof(bytes), 0) != sizeof(bytes)) {
		warn("getrandom");
		return -1;
	}
	for (int i = 0; i < 6; i++)
		snprintf(st->id + 2 * i, 3, "%02x", bytes[i]);
	snprintf(st->dir, sizeof(st->dir), "%s/containers/%s", st->root,
		 st->id);
	st->noted = st->named = st->created = st->unmarked = false;
	return 0;
}

int state_create(struct state *st, uid_t uid, gid_t gid)
{
	if (st->restart)
		return 0; /* `start`: its dir is there, and stays */
	/* Ours, or a --userns range's root's: only ours from a spare, and
	 * only for a run that may give it back (st->keepable). */
	if (uid == geteuid() && st->keepable && spare_take(st)) {
		st->created = st->spared = true;
		return 0;
	}
	if (mkdir(st->dir, 0700) < 0) {
		warn("mkdir %s", st->dir);
		return -1;
	}
	st->created = true;
	/* --userns as root: the container's root is another host user, who
	 * makes upper/ and work/ here (layers.c), so that overlayfs, which
	 * writes with the mounter's ids, may write in them. */
	if (uid != geteuid() && chown(st->dir, uid, gid) < 0) {
		warn("chown %s", st->dir);
		return -1;
	}
	return 0;
}

/* overlayfs's mark of a `volatile` mount, deepest first: it refuses to
 * mount the same upper/ and work/ again while the mark is there. */
static const char *const volatile_mark[] = {
	"work/work/incompat/volatile/dirty",
	"work/work/incompat/volatile",
	"work/work/incompat",
};

static void unlink_mark(int dirfd)
{
	for (size_t i = 0; i < sizeof(volatile_mark) / sizeof(*volatile_mark);
	     i++)
		unlinkat(dirfd, volatile_mark[i], i ? AT_REMOVEDIR : 0);
}

void state_unlink_mark(struct state *st)
{
	int fd = open(st->dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	unlink_mark(fd);
	close(fd);
	st->unmarked = true;
}

void state_remove(struct state *st)
{
	/* What a run leaves in its dir, deepest first: overlayfs's mark
	 * (above), unless it is gone already, its scratch dir work/work,
	 * and an empty upper/.
	 * Removed by name, one call each, not found by reading directories
	 * and trying each entry twice (a dir, then a file): 20 calls fewer
	 * at the end of every --rm run. Whatever is not there, or not
	 * empty (a container that wrote), is left to state_remove_tree. */
	static const char *const known[] = {"work/work", "work", "upper"};
	int fd;

	if (!st->created)
		return;
	fd = open(st->dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && !st->unmarked)
		unlink_mark(fd);
	/* Nothing written: the next run may take it (spare.c), once
	 * work/work is gone: moved to ROOT/removing for a later run to
	 * remove (spare_put_old), or removed now. */
	if (fd >= 0 &&
	    (spare_put_old(st, fd) ||
	     unlinkat(fd, known[0], AT_REMOVEDIR) == 0) &&
	    spare_keep(st, fd)) {
		close(fd);
		st->created = false;
		return;
	}
	for (size_t i = 0; fd >= 0 && i < sizeof(known) / sizeof(*known); i++)
		unlinkat(fd, known[i], AT_REMOVEDIR);
	if (fd >= 0)
		close(fd);
	if (state_remove_tree(AT_FDCWD, st->dir) == 0)
		st->created = false;
}
