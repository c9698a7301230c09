/*
 * 10-full/sweep.c - the leftovers of a `container` killed with SIGKILL,
 * at any instant, are removed by the next `container run` of the same
 * user.
 *
 * Claim: after `kill -9` of container, its note, its dir (the writable
 *        layer on disk), its name and its cgroups stay (no program runs
 *        code after SIGKILL); the next run finds them, sees that their
 *        owner is gone, removes them and says so. A running container,
 *        another user's, or one whose owner exits meanwhile is never
 *        touched nor reported.
 *        (tested in tests/10-full-disk.bats and tests/10-full.bats)
 * Uses:  note.c, names.c, state.c, spare.h, bridge.h (bridge_sweep),
 *        07-cgroups (its backend: cgroup_kill_all, cgroup_remove_dir)
 * Read:  flock(2), proc(5)
 *
 * Docker's daemon tidies up when it starts again. A runtime with no daemon
 * leaves a note for whoever comes next, written before anything else
 * exists (note.c), and removed after everything else: so whatever a crash
 * leaves, a note says whose it is. The cgroups are listed in the note once
 * made; a crash while making them leaves a note that says "cgroups" with
 * no "end", and then they are found by their name, which carries the id.
 */
#include "sweep.h"
#include "bridge.h"
#include "names.h"
#include "note.h"
#include "spare.h"
#include "store.h"

#include "../07-cgroups/cgroup_backend.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Kills what is in cgroup dir and removes it, if its last component is
 * name (a note is ours, but a cgroup dir is where kill goes: check). */
static void remove_cgroup(const char *dir, const char *name)
{
	const char *base = strrchr(dir, '/');

	if (dir[0] != '/' || !base || strcmp(base + 1, name) != 0)
		return;
	cgroup_kill_all(dir); /* none left, unless a fork outran PDEATHSIG */
	cgroup_remove_dir(dir);
}

/* Finds the cgroups named name below dir (depth levels at most), for a
 * note that did not get to list them. Rare: only after a kill -9 during
 * cgroup_create(). */
static void find_cgroups(const char *dir, const char *name, int depth)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp)))
		if (d->d_type == DT_DIR && d->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) <
			    (int)sizeof(path)) {
			if (strcmp(d->d_name, name) == 0)
				remove_cgroup(path, name);
			else if (depth > 0)
				find_cgroups(path, name, depth - 1);
		}
	closedir(dp);
}

/* Removes the cgroups the note n names, or finds them by name. */
static void remove_cgroups(const struct note *n, const char *id)
{
	char name[64], copy[sizeof(n->text)], *line, *save = NULL;
	const struct cgroup_host *host;

	snprintf(name, sizeof(name), "lesson-container-%.12s", id);
	if (n->cgroups && !n->complete) {
		host = cgroup_detect();
		if (host->mode != CGROUP_NONE)
			find_cgroups(host->root, name, 8);
		return;
	}
	memcpy(copy, n->text, sizeof(copy));
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "cgroup /", 8) == 0)
			remove_cgroup(line + 7, name);
}

/* Whether container id, whose owner was killed, is one to keep (it ran,
 * without --rm): then its record says so now, exited as by SIGKILL. */
static bool kept(const struct state *st, const char *id)
{
	static struct container c; /* large: not on the stack */

	if (store_read(st->root, id, &c) < 0 || c.auto_remove ||
	    c.status == STATUS_CREATED)
		return false;
	if (c.status == STATUS_RUNNING) {
		c.status = STATUS_EXITED;
		c.exit_code = 128 + SIGKILL;
		store_forget_address(&c); /* bridge_sweep() gave it back */
		store_now(c.finished_at);
		/* A full disk: kept all the same, read as exited with no
		 * code (verb.c), as the run itself keeps it (life.c). */
		if (store_write(st->root, &c) < 0)
			warnx("container %s is kept, its record not updated",
			      id);
	}
	return true;
}

/* The new spare a run was making at its end (spare.c, renew): half
 * made if the run was killed then. Returns 0 (gone, or never there) or
 * -1 after saying why. */
static int remove_renewal(const struct state *st, const char *id)
{
	char path[sizeof(st->root) + 64];

	snprintf(path, sizeof(path), "%s/%s/.new-%.12s", st->root, SPARE_DIR,
		 id);
	return state_remove_tree(AT_FDCWD, path);
}

/* Sweeps container id (ROOT/containers is dirfd) if its owner is gone. */
static void sweep_one(const struct state *st, int dirfd, const char *id)
{
	static struct note n; /* large: not on the stack */
	struct stat sb;
	char name[32];
	int fd = note_read(dirfd, id, &n);

	if (fd < 0)
		return;
	if (note_judge(&n) != NOTE_DEAD)
		goto out; /* it runs, or is not ours to judge */
	/* Gone. One sweeper at a time (another run may be sweeping it right
	 * now), and only if the note is still there: an owner that exited
	 * normally removed its note before it became a zombie, and then
	 * there is nothing to remove and nothing to report. */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fstat(fd, &sb) < 0 ||
	    sb.st_nlink == 0)
		goto out;
	remove_cgroups(&n, id);
	snprintf(name, sizeof(name), "%.12s", id);
	/* Its processes are gone: its address, its veth (if the kernel has
	 * not deleted it yet), and the bridge if it was the last one. */
	bridge_sweep(st->root, name);
	if (kept(st, name)) {
		warnx("container %s stopped: its supervisor, PID %d, was "
		      "killed (`rm` removes it)",
		      name, n.pid);
	} else {
		if (state_remove_tree(dirfd, name) < 0 ||
		    remove_renewal(st, name) < 0)
			goto out; /* the note stays: the next run tries again */
		store_remove(st->root, name);
		if (n.name[0])
			names_forget(st->root, n.name, name);
		warnx("removed what container %.12s left behind (its runtime, "
		      "PID %d, was killed)",
		      id, n.pid);
	}
	snprintf(name, sizeof(name), "%.12s.owner", id);
	unlinkat(dirfd, name, 0);
out:
	close(fd);
}

/* ID.json.PID: a record being written by PID (store.c writes it, then
 * renames it over ID.json). A writer killed in between left it: gone if
 * PID runs no more (a live one is writing, or is a stranger with the
 * number: left for a later sweep). */
static void stale_record(int dirfd, const char *name)
{
	const char *pid = name + 18;
	long n;

	if (strlen(name) < 19 || strspn(name, "0123456789abcdef") != 12 ||
	    strncmp(name + 12, ".json.", 6) != 0 ||
	    strspn(pid, "0123456789") != strlen(pid))
		return;
	n = atol(pid);
	if (n > 0 && n < INT32_MAX && kill((pid_t)n, 0) < 0 && errno == ESRCH)
		unlinkat(dirfd, name, 0);
}

void sweep_stale(const struct state *st)
{
	char path[sizeof(st->root) + 16];
	struct dirent *d;
	DIR *dp;

	snprintf(path, sizeof(path), "%s/containers", st->root);
	dp = opendir(path);
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (strlen(d->d_name) == 18 &&
		    strcmp(d->d_name + 12, ".owner") == 0 &&
		    strspn(d->d_name, "0123456789abcdef") == 12)
			sweep_one(st, dirfd(dp), d->d_name);
		else
			stale_record(dirfd(dp), d->d_name);
	}
	closedir(dp);
}
