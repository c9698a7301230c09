/*
 * 10-full/freeze.c - a running container held still while its writable
 * layer is copied (commit), as docker pauses it.
 *
 * Claim: while commit copies a running container's upper dir, none of
 *        its processes runs: they are frozen by the cgroup freezer (v2:
 *        cgroup.freeze of its cgroup; v1: a freezer cgroup made for the
 *        copy, removed after), and thawed after, on every path; a
 *        container leasing its cgroup.freeze (v2) makes commit fail at
 *        once.   (tested in tests/10-full-image.bats)
 * Uses:  07-cgroups (which cgroup mode the host has)
 * Read:  Documentation/admin-guide/cgroup-v2.rst ("cgroup.freeze"),
 *        Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst
 *
 * On cgroup v1 the runtime puts a container in cpu, memory and pids
 * cgroups, not in a freezer one: the freezer is a hierarchy of its own.
 * So its processes are moved into one for the copy. A process that forks
 * meanwhile: its child starts in its parent's cgroup, so once every
 * process listed in the container's pids cgroup is also in the freezer
 * cgroup, none can escape it, and FROZEN holds them all.
 */
#include "freeze.h"

#include "../07-cgroups/cgroups.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FREEZER "/sys/fs/cgroup/freezer"

/* Writes text to path. Returns 0, or -1 with errno set. O_NONBLOCK: v2's
 * cgroup.freeze is the container's own, which its root owns and may
 * lease; a plain open would wait 45 s for the lease to break (07's
 * cgroup_write says more). EWOULDBLOCK instead, and the commit fails. */
static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK), ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) < 0)
		ret = -1;
	close(fd);
	return ret;
}

/* Reads path into buf (size bytes, terminated). Returns the length, or
 * -1. */
static ssize_t get(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* The path of pid's cgroup in the hierarchy whose /proc/PID/cgroup line
 * has controllers ctrl ("" for v2's "0::"; NULL: any line naming the
 * container's cgroup, name), into out. Returns 0 or -1. */
static int cgroup_of(pid_t pid, const char *ctrl, const char *name,
		     char *out, size_t size)
{
	char path[64], line[4096];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (ret < 0 && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':'), *p = c ? strchr(c + 1, ':') : NULL;

		if (!p)
			continue;
		*p++ = '\0';
		p[strcspn(p, "\n")] = '\0';
		if (ctrl ? strcmp(c + 1, ctrl) == 0
			 : (c[1] && strstr(p, name) != NULL))
			ret = snprintf(out, size, "/sys/fs/cgroup/%s%s", c + 1,
				       p) < (int)size
				      ? 0
				      : -1;
	}
	fclose(f);
	return ret;
}

/* Waits until file (cgroup.events or freezer.state) holds want, at most
 * 10 s. Returns 0 or -1. */
static int wait_for(const char *file, const char *want)
{
	struct timespec tick = {0, 1000000}; /* 1 ms */
	char buf[256];

	for (int i = 0; i < 10000; i++) {
		if (get(file, buf, sizeof(buf)) >= 0 && strstr(buf, want))
			return 0;
		nanosleep(&tick, NULL);
	}
	errno = ETIMEDOUT;
	return -1;
}

static int by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The PIDs a cgroup.procs file lists, sorted, into *pids (malloc'd, *n of
 * them). Read to its end: on cgroup v1 one read() gives one page, about
 * 680 PIDs, and a hostile tester's container with 1200 processes kept the
 * rest running through a commit. Returns 0, or -1 with errno set. */
static int read_pids(const char *path, int **pids, size_t *n)
{
	FILE *f = fopen(path, "re");
	size_t room = 0;
	int pid, *p = NULL, *more;

	*n = 0;
	if (!f)
		return -1;
	while (fscanf(f, "%d", &pid) == 1) {
		if (*n == room) {
			room = room ? 2 * room : 256;
			more = realloc(p, room * sizeof(*p));
			if (!more) {
				free(p);
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			p = more;
		}
		p[(*n)++] = pid;
	}
	if (ferror(f)) {
		free(p);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (*n)
		qsort(p, *n, sizeof(*p), by_value);
	*pids = p;
	return 0;
}

/* v1: moves every process listed in procs into the cgroup dir to. Returns
 * how many were not there yet, or -1. */
static int move_all(const char *procs, const char *to)
{
	char file[4200], pid[16];
	int *list = NULL, *mine = NULL, moved = 0, fd = -1;
	size_t n = 0, have = 0;

	snprintf(file, sizeof(file), "%s/cgroup.procs", to);
	if (read_pids(procs, &list, &n) < 0 ||
	    read_pids(file, &mine, &have) < 0 ||
	    (fd = open(file, O_WRONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		moved = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (have && bsearch(&list[i], mine, have, sizeof(*mine),
				     by_value))
			continue;
		/* One PID per write(): each is a move of its own. */
		snprintf(pid, sizeof(pid), "%d", list[i]);
		if (write(fd, pid, strlen(pid)) < 0 && errno != ESRCH) {
			moved = -1;
			goto out;
		}
		moved++;
	}
out:
	if (fd >= 0)
		close(fd);
	free(list);
	free(mine);
	return moved;
}

int freeze_container(pid_t init, const char *id, struct freeze *f)
{
	char name[64], file[PATH_MAX + 32];
	int moved;

	memset(f, 0, sizeof(*f));
	snprintf(name, sizeof(name), "lesson-container-%s", id);
	if (strcmp(cgroup_mode_name(), "v2") == 0) {
		/* v2: its own cgroup has the freezer built in. */
		if (cgroup_of(init, "", NULL, f->dir, sizeof(f->dir)) < 0)
			goto none;
		snprintf(file, sizeof(file), "%s/cgroup.freeze", f->dir);
		if (put(file, "1") < 0)
			goto bad;
		f->frozen = true;
		snprintf(file, sizeof(file), "%s/cgroup.events", f->dir);
		return wait_for(file, "frozen 1") < 0 ? -1 : 0;
	}
	/* v1: a freezer cgroup for the copy, the processes moved in. */
	if (access(FREEZER "/cgroup.procs", F_OK) < 0 ||
	    cgroup_of(init, NULL, name, f->procs, sizeof(f->procs)) < 0 ||
	    cgroup_of(init, "freezer", NULL, f->home, sizeof(f->home)) < 0)
		goto none;
	strcat(f->procs, "/cgroup.procs");
	snprintf(f->dir, sizeof(f->dir), FREEZER "/%s", name);
	if (mkdir(f->dir, 0700) < 0 && errno != EEXIST)
		goto bad;
	f->made = true;
	while ((moved = move_all(f->procs, f->dir)) > 0)
		;
	snprintf(file, sizeof(file), "%s/freezer.state", f->dir);
	if (moved < 0 || put(file, "FROZEN") < 0)
		goto bad;
	f->frozen = true;
	return wait_for(file, "FROZEN") < 0 ? -1 : 0;
none:
	warnx("container %s has no cgroup to freeze it in (rootless, "
	      "without limits, or no freezer hierarchy): stop it first",
	      id);
	return -1;
bad:
	if (errno == EWOULDBLOCK)
		warnx("freeze %s: a process of the container holds a lease "
		      "on cgroup.freeze (fcntl F_SETLEASE): not frozen",
		      f->dir);
	else
		warn("freeze %s", f->dir);
	return -1;
}

void thaw_container(struct freeze *f)
{
	char file[PATH_MAX + 32], procs[PATH_MAX + 32];

	if (f->frozen && !f->made) { /* v2 */
		snprintf(file, sizeof(file), "%s/cgroup.freeze", f->dir);
		if (put(file, "0") < 0)
			warn("thaw %s", f->dir);
	}
	if (!f->made)
		return;
	snprintf(file, sizeof(file), "%s/freezer.state", f->dir);
	if (f->frozen && put(file, "THAWED") < 0)
		warn("thaw %s", f->dir);
	/* Back where they were; then the cgroup can go. */
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", f->dir);
	while (move_all(procs, f->home) > 0)
		;
	if (rmdir(f->dir) < 0)
		warn("rmdir %s", f->dir);
	f->frozen = f->made = false;
}

void freeze_forget(const char *root, pid_t init, const char *id)
{
	char path[PATH_MAX], file[PATH_MAX + 32], v[8];
	struct freeze f = {.made = true, .frozen = true};
	int lock;

	/* No commit holds the container (it holds this lock throughout):
	 * a freeze still there is a dead one's. */
	snprintf(path, sizeof(path), "%s/containers/%s", root, id);
	lock = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0)
		goto out;
	snprintf(f.dir, sizeof(f.dir), FREEZER "/lesson-container-%s", id);
	if (access(f.dir, F_OK) == 0) { /* v1: its freezer cgroup */
		snprintf(f.home, sizeof(f.home), FREEZER);
		thaw_container(&f);
	} else if (cgroup_of(init, "", NULL, f.dir, sizeof(f.dir)) == 0) {
		snprintf(file, sizeof(file), "%s/cgroup.freeze", f.dir);
		if (get(file, v, sizeof(v)) > 0 && v[0] == '1')
			put(file, "0");
	}
out:
	if (lock >= 0)
		close(lock);
}
