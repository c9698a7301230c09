/*
 * 07-cgroups/cgroup_files.c - a cgroup is a directory of files: write a
 * limit, read a counter, empty it, remove it.
 *
 * Claim: removing a cgroup works on every path: its processes are killed
 *        and rmdir is retried until the kernel lets the directory go.
 *        (tested in tests/07-cgroups.bats: "the cgroup is gone")
 * Uses:  cgroup_core.c (cgroup_detect: is the root a scratch directory?)
 * Read:  cgroups(7) "Creating cgroups and moving processes", rmdir(2)
 */
#include "cgroup_backend.h"
#include "stale.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cgroup_write(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX];
	/* O_NONBLOCK: a process that owns the file (a container's root,
	 * the host's uid 0, sees its own cgroup's files) may hold a lease
	 * on it, and a plain open for writing would wait for the lease to
	 * break, 45 s (fs.lease-break-time). It fails at once instead. */
	int fd, flags = O_WRONLY | O_CLOEXEC | O_NONBLOCK;
	ssize_t len = (ssize_t)strlen(value);

	if (cgroup_detect()->scratch)
		flags |= O_CREAT | O_TRUNC;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, flags, 0644);
	if (fd < 0 && errno == EWOULDBLOCK) {
		warnx("open %s: a process holds a lease on it (fcntl "
		      "F_SETLEASE): not written", path);
		errno = EWOULDBLOCK;
		return -1;
	}
	if (fd < 0) {
		warn("open %s", path);
		return -1;
	}
	/* The kernel checks the value in write(): EINVAL, EBUSY... come
	 * back here, not from open(). */
	if (write(fd, value, len) != len) {
		int saved = errno;

		warn("write '%s' to %s", value, path);
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int cgroup_write_number(const char *dir, const char *file, long long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", value);
	return cgroup_write(dir, file, text);
}

bool cgroup_has_file(const char *dir, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return cgroup_detect()->scratch || access(path, F_OK) == 0;
}

int cgroup_read(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

long long cgroup_read_key(const char *dir, const char *file, const char *key)
{
	char buf[4096];
	size_t len = strlen(key);

	if (cgroup_read(dir, file, buf, sizeof(buf)) < 0)
		return -1;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, key, len) == 0 && line[len] == ' ')
			return strtoll(line + len + 1, NULL, 10);
	return -1;
}

void cgroup_kill_all(const char *dir)
{
	char path[PATH_MAX];

	if (cgroup_detect()->scratch)
		return; /* the PIDs written there are not in any cgroup */

	/* v2 since Linux 5.14: one write kills everything inside, with no
	 * race against processes that fork while we read their PIDs. */
	if (cgroup_has_file(dir, "cgroup.kill"))
		cgroup_write(dir, "cgroup.kill", "1");

	/* Elsewhere: read the PIDs and kill them, until a read finds none
	 * (a fork bomb adds PIDs while we read). */
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	for (int round = 0; round < 100; round++) {
		FILE *f = fopen(path, "re");
		int pid, found = 0;

		if (!f)
			return;
		while (fscanf(f, "%d", &pid) == 1 && pid > 0) {
			kill(pid, SIGKILL);
			found++;
		}
		fclose(f);
		if (!found)
			return;
		usleep(10000);
	}
}

/* A scratch directory still holds the files we wrote; a real cgroup's
 * files belong to the kernel and go with the directory. */
static void remove_scratch_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_type == DT_REG)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

int cgroup_remove_dir(const char *dir)
{
	if (cgroup_detect()->scratch)
		remove_scratch_files(dir);

	/* A killed process leaves the cgroup only once it has fully exited:
	 * until then rmdir says EBUSY, so retry for up to two seconds. */
	for (int i = 0; i < 200; i++) {
		if (rmdir(dir) == 0)
			return 0;
		if (errno == ENOENT)
			return 1; /* someone else removed it (a sweep) */
		if (errno != EBUSY)
			break;
		cgroup_kill_all(dir);
		usleep(10000);
	}
	warn("rmdir %s", dir);
	return -1;
}

/* A stale cgroup: empty it (a container that outlived its runtime dies
 * now), then remove it. Said only when we removed it: a sweep running at
 * the same time may have been first. */
static void drop_cgroup(const char *dir, pid_t owner)
{
	cgroup_kill_all(dir);
	if (cgroup_remove_dir(dir) == 0)
		warnx("removed cgroup %s, left by PID %d (killed)", dir,
		      (int)owner);
}

void cgroup_sweep(const char *prefix)
{
	const struct cgroup_limits every = {0}; /* not lean: every tree */
	struct cgroup *cg = malloc(sizeof(*cg));

	if (cg && cgroup_locate(cg, &every, true) == 0)
		for (int i = 0; i < cg->ndirs; i++)
			stale_sweep(cg->parent[i], prefix, drop_cgroup);
	free(cg);
}
