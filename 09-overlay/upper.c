/*
 * 09-overlay/upper.c - one run per upper dir, and what a killed run left.
 *
 * Claim: a second run on an upper dir that a running one uses is refused
 *        with exit 125, naming the first, before anything is made; the
 *        mount point and work dir that a run killed with SIGKILL left are
 *        removed by the next run (on the same upper dir, for the work
 *        dir).   (tested in tests/09-overlay.bats)
 * Uses:  07-cgroups (stale.c: names that carry their owner), layers.c
 * Read:  flock(2), proc(5) (/proc/locks),
 *        Documentation/filesystems/overlayfs.rst ("Sharing and copying
 *        layers")
 *
 * Two overlays mounted on one upper dir at once is "undefined behavior"
 * (the kernel logs "upperdir is in-use by another mount" and mounts
 * anyway, unless index=on). So each run takes a lock on the upper dir:
 * flock(2), because the kernel drops it when its holder dies, however it
 * dies: a kill -9 leaves no stale lock to clean up. flock does not say
 * who holds a lock; /proc/locks does.
 */
#include "layers.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../07-cgroups/stale.h"

/* The PID holding a flock on the file st describes, from /proc/locks
 * ("1: FLOCK  ADVISORY  WRITE 4711 08:01:1234 0 EOF"), or 0. */
static pid_t lock_holder(const struct stat *st)
{
	char line[256];
	unsigned major, minor;
	unsigned long ino;
	pid_t pid = 0;
	int holder;
	FILE *f = fopen("/proc/locks", "re");

	if (!f)
		return 0;
	while (!pid && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d: FLOCK ADVISORY WRITE %d %x:%x:%lu",
			   &holder, &major, &minor, &ino) == 4 &&
		    ino == st->st_ino && major == major(st->st_dev) &&
		    minor == minor(st->st_dev))
			pid = holder;
	fclose(f);
	return pid;
}

int overlay_lock_upper(const char *upper)
{
	struct stat st;
	pid_t holder;
	/* Never closed: the lock lasts as long as we do. O_CLOEXEC: the
	 * command does not inherit it. */
	int fd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		warn("open upper %s", upper);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK) {
		warn("lock upper %s", upper);
		close(fd);
		return -1;
	}
	holder = fstat(fd, &st) == 0 ? lock_holder(&st) : 0;
	if (holder > 0)
		warnx("upper '%s' is in use by another run (PID %d): two "
		      "overlays on one upper dir are undefined behaviour; give "
		      "each run its own --upper",
		      upper, (int)holder);
	else
		warnx("upper '%s' is in use by another run: two overlays on "
		      "one upper dir are undefined behaviour; give each run "
		      "its own --upper",
		      upper);
	close(fd);
	return -1;
}

static void drop_merged(const char *dir, pid_t owner)
{
	/* Empty: the overlay was mounted in the dead run's own mount
	 * namespace, which died with it. */
	if (rmdir(dir) == 0)
		warnx("removed %s, left by PID %d (killed)", dir, (int)owner);
}

static void drop_work(const char *dir, pid_t owner)
{
	if (overlay_remove_work(dir) == 0)
		warnx("removed %s, left by PID %d (killed)", dir, (int)owner);
}

void overlay_sweep(const struct overlay_dirs *d)
{
	char parent[PATH_MAX], name[PATH_MAX], prefix[PATH_MAX + 8];
	char merged[] = OVERLAY_MERGED, merged_name[] = OVERLAY_MERGED;

	stale_sweep(dirname(merged), basename(merged_name), drop_merged);
	/* UPPER.work-PID-START, next to UPPER: we hold UPPER's lock, so no
	 * live run uses them; their names still say whose they are. */
	snprintf(parent, sizeof(parent), "%s", d->upper);
	snprintf(name, sizeof(name), "%s", d->upper);
	snprintf(prefix, sizeof(prefix), "%s.work", basename(name));
	stale_sweep(dirname(parent), prefix, drop_work);
}
