/*
 * 10-full/note.c - who owns a container's leftovers: a note written
 * before anything else, read back by later runs.
 *
 * Claim: a note appears whole or not at all, before the container's dir,
 *        name or cgroups exist; a live owner is never judged gone, a
 *        reused PID is never taken for the owner, and a note from an
 *        earlier boot is always judged gone.
 *        (tested in tests/10-full-disk.bats and tests/10-full.bats)
 * Uses:  07-cgroups (the dirs of a cgroup; stale.c reads
 *        /proc/PID/stat), state.c
 * Read:  proc(5) /proc/PID/stat, open(2) O_TMPFILE, linkat(2)
 *
 * A runtime with no daemon (crun, runc, this one) cannot tidy up after a
 * SIGKILL: it runs no more code. So it leaves a note for whoever comes
 * next. A PID alone could name another process by the time someone reads
 * it (PIDs are reused), so the note holds the owner's start time too, in
 * clock ticks since boot, which no later process with that PID shares
 * until the next boot - hence the boot's id as well. A PID means something
 * only in its PID namespace: a note written from another one (a runtime
 * started inside some other container sharing the data root) is not ours
 * to judge, so the note names the namespace as well.
 *
 *   pid 4242
 *   start 1234567
 *   pidns 4026531836
 *   boot 0c1a2b3c-...
 *   name web                  (--name only)
 *   cgroups                   (when a cgroup will be made)
 *   cgroup /sys/fs/cgroup/pids/lesson-container-ID   (once made)
 *   end                       (the cgroup lines are complete)
 */
#include "note.h"

#include "../07-cgroups/stale.h"

#include "../07-cgroups/cgroup_backend.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *note_boot_id(void)
{
	static char id[40];
	int fd;
	ssize_t n;

	if (id[0])
		return id;
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, id, sizeof(id) - 1);
	if (fd >= 0)
		close(fd);
	id[n > 0 ? n : 0] = '\0';
	id[strcspn(id, "\n")] = '\0';
	return id;
}

unsigned long long note_self_start(void)
{
	static pid_t pid;
	static unsigned long long start;
	pid_t self = getpid();

	if (self != pid) { /* read once per process: a fork has its own */
		start = stale_start_time(self);
		pid = self;
	}
	return start;
}

/* The inode of our PID namespace: which PIDs a note's PID is among. */
static unsigned long long pid_ns(void)
{
	struct stat sb;

	return stat("/proc/self/ns/pid", &sb) == 0 ? sb.st_ino : 0;
}


int note_write(struct state *st, bool cgroups)
{
	char text[512], dir[sizeof(st->root) + 16], path[PATH_MAX], fdpath[64];
	int fd, n, ret = -1;

	n = snprintf(text, sizeof(text),
		     "pid %d\nstart %llu\npidns %llu\nboot %s\n%s%s%s%s",
		     (int)getpid(), note_self_start(),
		     pid_ns(), note_boot_id(), st->name ? "name " : "",
		     st->name ? st->name : "", st->name ? "\n" : "",
		     cgroups ? "cgroups\n" : "");
	snprintf(dir, sizeof(dir), "%s/containers", st->root);
	snprintf(path, sizeof(path), "%s/%s.owner", dir, st->id);
	/* A file with no name until it is complete: a crash before the
	 * linkat leaves nothing, after it a whole note. */
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("create a note in %s", dir);
		return -1;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (write(fd, text, n) != n) {
		warn("write %s", path);
		goto out;
	}
	/* By /proc/self/fd: linkat's AT_EMPTY_PATH would need
	 * CAP_DAC_READ_SEARCH, which a rootless run lacks. */
	if (linkat(AT_FDCWD, fdpath, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0) {
		warn("link %s", path);
		goto out;
	}
	st->noted = true;
	ret = 0;
out:
	close(fd);
	return ret;
}

int note_add_cgroups(const struct state *st, const struct cgroup *cg)
{
	char text[CG_COUNT * (PATH_MAX + 8) + 8], path[PATH_MAX];
	int fd, n = 0, ret = 0;

	for (int i = 0; cg && i < cg->ndirs; i++)
		n += snprintf(text + n, sizeof(text) - n, "cgroup %s\n",
			      cg->dir[i]);
	n += snprintf(text + n, sizeof(text) - n, "end\n");
	snprintf(path, sizeof(path), "%s/containers/%s.owner", st->root,
		 st->id);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || write(fd, text, n) != n) {
		warn("write %s", path);
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

void note_remove(struct state *st)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/containers/%s.owner", st->root,
		 st->id);
	/* Only once what it covers is gone: a dir that could not be
	 * removed keeps its note, and the next run tries again. */
	if (st->noted && !st->created && !st->named && unlink(path) == 0)
		st->noted = false;
}

int note_read(int dirfd, const char *id, struct note *n)
{
	char name[32], *line, *save = NULL, copy[sizeof(n->text)];
	struct stat sb;
	ssize_t len;
	int fd;

	memset(n, 0, offsetof(struct note, text));
	snprintf(name, sizeof(name), "%.12s.owner", id);
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Ours only: a note of another user is not ours to act on. */
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_uid != geteuid() ||
	    (len = read(fd, n->text, sizeof(n->text) - 1)) < 0) {
		close(fd);
		return -1;
	}
	n->text[len] = '\0';
	memcpy(copy, n->text, len + 1);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sscanf(line, "pid %d", &n->pid);
		sscanf(line, "start %llu", &n->start);
		sscanf(line, "pidns %llu", &n->pidns);
		sscanf(line, "boot %39s", n->boot);
		sscanf(line, "name %71s", n->name);
		n->cgroups |= strcmp(line, "cgroups") == 0;
		n->complete |= strcmp(line, "end") == 0;
	}
	return fd;
}

enum note_owner note_judge(const struct note *n)
{
	int threads = 0;
	char state = 0;

	if (strcmp(n->boot, note_boot_id()) != 0)
		return NOTE_DEAD; /* no process survives a reboot */
	if (n->pid <= 0 || n->pidns != pid_ns())
		return NOTE_FOREIGN;
	if (stale_proc_stat(n->pid, &state, &threads) != n->start)
		return NOTE_DEAD; /* gone, or its PID is someone else's */
	/* A zombie has run its exit and will run no more code. But the
	 * kernel shows a thread group's leader as a zombie while its other
	 * threads still run: dead only when it is the last. */
	if ((state == 'Z' || state == 'X') && threads <= 1)
		return NOTE_DEAD;
	return NOTE_ALIVE;
}
