/*
 * 10-full/spare.c - a container that wrote nothing leaves its dir
 * (upper/, work/) to the next run, which takes it instead of making
 * three directories on the disk.
 *
 * Claim: after a run that left its writable layer empty and its root dir
 *        as it was made, its dir waits in ROOT/spare/, at most
 *        SPARE_SLOTS of them, and the next run's upper/ is that dir; a
 *        container that changed its root dir (mode, owner, an xattr) or
 *        left a file leaves no spare, and the next container's "/" has the
 *        mode, owner, times and xattrs of a new one; a spare that served
 *        SPARE_USES runs is replaced by a new dir.
 *        (tested in tests/10-full-disk.bats)
 * Uses:  state.h (state_top_of_trees), release.h (the mounts are gone
 *        before a dir is kept)
 * Read:  rename(2) (RENAME_NOREPLACE), getdents64(2), listxattr(2),
 *        getxattr(2), utimensat(2); in the kernel: fs/ext4/ialloc.c
 *        (find_inode_bit, recently_deleted), ext4's "discard" mount
 *        option in ext4(5)
 *
 * Why: a directory on ext4 holds a block from its mkdir on. A run made
 * three (ROOT/containers/ID, upper/, work/) and removed them at its end:
 * with ext4's "discard" option, each freed block waits for the disk to
 * discard it (without a journal, at once, in the rmdir), and each new
 * inode is searched for past every inode freed in the last 30 seconds
 * (a filesystem without a journal does not reuse those). On the VM of
 * the README's "Speed", where both hold, a run in a row of runs spent
 * 0.3 ms of its 3.9 on them (bench-ab.sh, in turns). A rename costs
 * neither. overlayfs still makes work/work at every mount, and its
 * probes; that part stays.
 *
 * What must not pass from one container to the next: anything it wrote.
 * Its files are in upper/ (a dir kept only when empty), and so is what
 * it changed of its root dir: "/" is upper/ itself, whose mode, owner,
 * xattrs, inode flags (chattr +S, +D, +A...) and size (a dir that held
 * 50,000 names keeps their blocks) the container sets. So a dir is kept
 * only when it holds upper/ and work/ alone, both empty, both with the
 * owner and mode they were made with, and upper/ no larger than the
 * container's dir, with its inode flags and project id, and no xattr
 * but overlayfs's own uuid, which nothing inside can set. Nor may
 * anything still write in it: an fd of "/" passed out through a volume
 * (a unix socket there) or the host's network (an abstract one) to a
 * process that outlives the container keeps its overlay mounted, and
 * the next container's / would be written through it (a hostile
 * tester's attack): a container with a volume or --net host keeps
 * none. Its times are set to now when it is taken, as a mkdir would.
 * Never kept either: a --userns container's (its dirs are another host
 * user's), one whose mounts may still be up (only the run that held them
 * keeps its dir: rm.c does not), and a rootless run's (overlayfs leaves
 * work/work at mode 0, and its owner, without CAP_DAC_OVERRIDE, does not
 * empty it in place). Slots are taken and filled with
 * rename(RENAME_NOREPLACE), which neither overwrites nor loses one when
 * runs race; ROOT/spare/ is 0700.
 * The pool is part of the data root, as empty/ is: a kill -9 may leave a
 * spare, never more than SPARE_SLOTS.
 *
 * overlayfs's own scratch dir, work/work, which it makes at every mount,
 * must go before a dir is kept; removed at the end, its block waits for
 * the disk's discard there (0.08-0.15 ms on the VM of "Speed"). So it
 * is moved to ROOT/removing/ (a rename, no block freed), and a later
 * run in the foreground removes what is there while its own command
 * runs (release.c): the same wait, spent beside the container's time.
 * At most SPARE_OLD_SLOTS wait there; when all are taken, the end
 * removes it itself, as before. Nothing of a container is in them:
 * work/work is overlayfs's, never visible inside.
 *
 * A spare serves SPARE_USES runs, then goes there too, and a new dir
 * takes its slot (renew); so does a container's own dir, made in
 * containers/, the first time it would be kept. Why: overlayfs makes
 * seven inodes of its own at every mount (work/work, its `volatile`
 * mark, and its probes: a tmpfile, a whiteout) in the block group of
 * the container's dir, and frees them; and ext4 without a journal will
 * not reuse an inode freed in the last minute (recently_deleted(), in
 * find_inode_bit()), and finds that out inode by inode from the group's
 * first, at every creation. So each mount walked past what the earlier
 * runs, and other programs, freed in that group: on the VM of the
 * README's "Speed", after an afternoon of tests, 8% of a start's CPU;
 * in a row of runs the mount grew from 0.15 ms to 0.46 after 2000. The
 * new dir is made in ROOT/spare/, the top of trees for ext4's allocator
 * (state_top_of_trees), so in a group chosen afresh, away from that
 * trail: the mount stayed at 0.14-0.20 ms over 3000 runs.
 */
#include "spare.h"
#include "release.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* The bits a mkdir with mode gives now (the umask is the caller's). */
static mode_t made_mode(mode_t mode)
{
	mode_t mask = umask(0);

	umask(mask);
	return mode & ~mask;
}

/* path as a mkdir with mode would have made it now (our umask). */
static void remade(const char *path, mode_t mode)
{
	struct stat s;

	if (stat(path, &s) == 0 && (s.st_mode & 07777) != made_mode(mode))
		chmod(path, made_mode(mode));
}

bool spare_take(struct state *st)
{
	char from[sizeof(st->root) + 16], path[sizeof(st->dir) + 8];

	for (int i = 0; i < SPARE_SLOTS; i++) {
		snprintf(from, sizeof(from), "%s/%s/%d", st->root, SPARE_DIR,
			 i);
		if (renameat2(AT_FDCWD, from, AT_FDCWD, st->dir,
			      RENAME_NOREPLACE) < 0)
			continue;
		remade(st->dir, 0700);
		snprintf(path, sizeof(path), "%s/work", st->dir);
		remade(path, 0755);
		/* upper/ is the container's "/": its times are now. */
		snprintf(path, sizeof(path), "%s/upper", st->dir);
		remade(path, 0755);
		utimensat(AT_FDCWD, path, NULL, 0);
		return true;
	}
	return false;
}

/* Whether buf (n bytes from listxattr) is nothing, or overlayfs's uuid
 * alone (trusted.overlay.uuid as root, user.overlay.uuid rootless). */
static bool only_uuid(const char *buf, ssize_t n)
{
	return n == 0 ||
	       (n == sizeof("trusted.overlay.uuid") &&
		strcmp(buf, "trusted.overlay.uuid") == 0) ||
	       (n == sizeof("user.overlay.uuid") &&
		strcmp(buf, "user.overlay.uuid") == 0);
}

/* What the container's own dir is: the measure of a dir as made. */
struct made {
	off_t size;
	blkcnt_t blocks;
	int flags;	 /* FS_IOC_GETFLAGS, or -1 where there are none */
	unsigned projid; /* FS_IOC_FSGETXATTR's, or 0 */
};

/* The measure of the directory fd (open to read). Returns 0 or -1. */
static int measure(int fd, struct made *m)
{
	struct fsxattr x = {0};
	struct stat s;

	if (fstat(fd, &s) < 0)
		return -1;
	m->size = s.st_size;
	m->blocks = s.st_blocks;
	if (ioctl(fd, FS_IOC_GETFLAGS, &m->flags) < 0)
		m->flags = -1;
	m->projid = ioctl(fd, FS_IOC_FSGETXATTR, &x) == 0 ? x.fsx_projid : 0;
	return 0;
}

static bool same_flags(int fd, const struct made *top)
{
	struct made m;

	return measure(fd, &m) == 0 && m.flags == top->flags &&
	       m.projid == top->projid;
}

/* Whether name in dirfd is a directory as we made it (ours, mode as a
 * mkdir with mode gives, no subdir) holding exactly the n names given;
 * with top (the container's dir, measured), also no larger than it, with
 * its flags, and no xattr but only_uuid(). */
static bool as_made(int dirfd, const char *name, mode_t mode,
		    const char *const *names, int n, const struct made *top)
{
	char buf[512];
	struct stat s;
	int fd, seen = 0;
	bool ok = false;
	ssize_t len;

	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &s) < 0 || (s.st_mode & 07777) != made_mode(mode) ||
	    s.st_uid != geteuid() || s.st_gid != getegid() ||
	    s.st_nlink != 2u + (unsigned)n)
		goto out;
	/* Against the container's dir (top), made as it was and out of the
	 * container's reach: no larger (a dir that held 50,000 names keeps
	 * their blocks), and the same inode flags (chattr +S, +D, +A, +P on
	 * "/" would pass to every later container) and project id. */
	if (top && (s.st_size > top->size || s.st_blocks > top->blocks ||
		    !same_flags(fd, top)))
		goto out;
	while ((len = getdents64(fd, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < len;) {
			struct dirent64 *d = (void *)(buf + off);
			int i;

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			for (i = 0; i < n && strcmp(d->d_name, names[i]); i++)
				;
			if (i == n)
				goto out; /* something else */
			seen++;
		}
	if (len < 0 || seen != n)
		goto out;
	ok = !top || only_uuid(buf, flistxattr(fd, buf, sizeof(buf)));
out:
	close(fd);
	return ok;
}

/* Renames name in fromfd to the first free slot of ROOT/removing
 * (made on first use). Returns true, or false. */
static bool put_in_slot(const char *root, int fromfd, const char *name)
{
	char old[sizeof(((struct state *)0)->root) + 16];
	int fd = -1;
	bool done = false;

	snprintf(old, sizeof(old), "%s/%s", root, SPARE_OLD_DIR);
	fd = open(old, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT &&
	    (mkdir(old, 0700) == 0 || errno == EEXIST))
		fd = open(old, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (int i = 0; fd >= 0 && !done && i < SPARE_OLD_SLOTS; i++) {
		char slot[8];

		snprintf(slot, sizeof(slot), "%d", i);
		done = renameat2(fromfd, name, fd, slot, RENAME_NOREPLACE) == 0;
		if (!done && errno != EEXIST)
			break;
	}
	if (fd >= 0)
		close(fd);
	return done;
}

bool spare_put_old(const struct state *st, int dirfd)
{
	struct stat s;

	/* Ours alone: not --userns (another host user's), not rootless. */
	if (!st->keepable || geteuid() != 0 ||
	    fstatat(dirfd, "work/work", &s, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(s.st_mode) || s.st_uid != 0)
		return false;
	return put_in_slot(st->root, dirfd, "work/work");
}

void spare_remove_old(const char *root, bool (*stop)(void))
{
	char old[sizeof(((struct state *)0)->root) + 16], slot[8];
	int fd;

	snprintf(old, sizeof(old), "%s/%s", root, SPARE_OLD_DIR);
	fd = open(old, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (int i = 0; fd >= 0 && i < SPARE_OLD_SLOTS && !stop(); i++) {
		snprintf(slot, sizeof(slot), "%d", i);
		/* Empty, as a rule; else whatever overlayfs left there. */
		if (unlinkat(fd, slot, AT_REMOVEDIR) < 0 && errno != ENOENT)
			state_remove_tree(fd, slot);
	}
	if (fd >= 0)
		close(fd);
}

/* Renames the dir from (a path) to the first free slot of ROOT/spare/,
 * made on first use. Returns true, or false (every slot taken, or an
 * error: from is where it was). */
static bool into_slot(const struct state *st, const char *from)
{
	char spare[sizeof(st->root) + 8], to[sizeof(spare) + 8];
	bool made = false;

	snprintf(spare, sizeof(spare), "%s/%s", st->root, SPARE_DIR);
	for (int i = 0; i < SPARE_SLOTS; i++) {
		snprintf(to, sizeof(to), "%s/%d", spare, i);
		if (renameat2(AT_FDCWD, from, AT_FDCWD, to,
			      RENAME_NOREPLACE) == 0)
			return true;
		if (errno == ENOENT && i == 0 && !made) {
			/* The first spare of this data root. */
			made = mkdir(spare, 0700) == 0 || errno == EEXIST;
			if (made) {
				state_top_of_trees(spare);
				i = -1; /* slot 0 again */
			}
		} else if (errno != EEXIST) {
			return false;
		}
	}
	return false; /* every slot taken */
}

/* Whether the container's dir (path) is to be renewed: a spare made in
 * ROOT/spare/ (renew) that has served SPARE_USES runs, counted in an
 * xattr of its own, which nothing inside reaches (the container's "/" is
 * upper/); or a dir made in containers/, with no count (beside the
 * earlier ones, whose runs freed overlayfs's inodes there: in a row of
 * make bench series, where runs with a volume take the spare and keep
 * none, each series began with such a dir, and each was slower than
 * the one before). Counts this run. */
static bool worn(const char *path)
{
	char buf[16];
	ssize_t n;
	long uses;
	int len;

	/* Root's spares alone are counted: trusted.* is root's. (A user's
	 * run keeps none: "Never kept either", at the top.) */
	if (geteuid() != 0)
		return false;
	n = lgetxattr(path, SPARE_USES_XATTR, buf, sizeof(buf) - 1);
	if (n < 0)
		return errno == ENODATA; /* ENOTSUP: no counting here */
	buf[n] = '\0';
	uses = strtol(buf, NULL, 10) + 1;
	if (uses >= SPARE_USES)
		return true;
	len = snprintf(buf, sizeof(buf), "%ld", uses);
	lsetxattr(path, SPARE_USES_XATTR, buf, (size_t)len, 0);
	return false;
}

/* A worn spare goes to ROOT/removing/, for a later run to remove, and a
 * new dir takes its slot, made in ROOT/spare/, where ext4 places each new
 * dir afresh (state_top_of_trees): away from the inodes the old one's
 * runs freed, which ext4 without a journal would not reuse for a minute
 * and walked past at every creation (above). Returns true when the
 * old dir is gone from st->dir, or false (no slot in removing/: it is
 * kept as before). */
static bool renew(const struct state *st)
{
	char spare[sizeof(st->root) + 8], fresh[sizeof(spare) + 32],
		path[sizeof(fresh) + 8];

	if (!put_in_slot(st->root, AT_FDCWD, st->dir))
		return false;
	snprintf(spare, sizeof(spare), "%s/%s", st->root, SPARE_DIR);
	if (mkdir(spare, 0700) < 0 && errno != EEXIST)
		return true;
	state_top_of_trees(spare); /* or made by an older runtime */
	/* Named after the container: ext4 starts its search for a group at
	 * a hash of the name. */
	snprintf(fresh, sizeof(fresh), "%s/.new-%s", spare, st->id);
	if (mkdir(fresh, 0700) < 0)
		return true;
	if (lsetxattr(fresh, SPARE_USES_XATTR, "0", 1, 0) < 0) {
		rmdir(fresh); /* uncounted, it would be renewed at every run */
		return true;
	}
	snprintf(path, sizeof(path), "%s/upper", fresh);
	if (mkdir(path, 0755) == 0) {
		snprintf(path, sizeof(path), "%s/work", fresh);
		if (mkdir(path, 0755) == 0 && into_slot(st, fresh))
			return true;
	}
	state_remove_tree(AT_FDCWD, fresh);
	return true;
}

bool spare_keep(struct state *st, int dirfd)
{
	static const char *const layers[] = {"upper", "work"};
	struct made top;
	int fd;

	if (!st->keepable || !as_made(dirfd, ".", 0700, layers, 2, NULL))
		return false;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || measure(fd, &top) < 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	close(fd);
	if (!as_made(dirfd, "upper", 0755, NULL, 0, &top) ||
	    !as_made(dirfd, "work", 0755, NULL, 0, NULL))
		return false;
	/* A spare's next user mounts it: ours must be down (release.c). */
	release_mounts_wait();
	if (worn(st->dir) && renew(st))
		return true;
	return into_slot(st, st->dir);
}
