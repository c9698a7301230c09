/*
 * 10-full/sweep.c - the leftovers of a `container` killed with SIGKILL
 * are removed by the next `container run`.
 *
 * Claim: after `kill -9` of container, its state dir and its cgroups stay
 *        (no program runs code after SIGKILL); the next run finds them,
 *        sees that their owner is gone, removes them and says so.
 *        (tested in tests/10-full.bats)
 * Uses:  07-cgroups (its backend: cgroup_kill_all, cgroup_remove_dir),
 *        state.c
 * Read:  proc(5) /proc/PID/stat, kill(2)
 *
 * Docker's daemon tidies up when it starts again. A runtime with no daemon
 * (crun, runc, this one) leaves a note for whoever comes next: each run
 * writes into its state dir who owns it and which cgroups it made. A PID
 * alone could name another process by the time someone reads it (PIDs
 * are reused), so the note holds the owner's start time too, in clock
 * ticks since boot, which no later process with that PID can share. And
 * a PID means something only in its PID namespace: a note written from
 * another one (a runtime started inside some other container sharing
 * /run) is not ours to judge, so the note names the namespace as well.
 */
#include "sweep.h"

#include "../07-cgroups/cgroup_backend.h"

#include <dirent.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Field 22 of /proc/PID/stat: when the process started. 0 when there is
 * no such process, or only its corpse (a zombie has run its exit: our
 * container died with it, by PR_SET_PDEATHSIG). */
static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024], *p, state;
	unsigned long long t = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The name (field 2) is in parentheses and may hold spaces: count
	 * from the last ')', which is followed by field 3. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1,
			 " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
			 " %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &state, &t) != 2)
		return 0;
	return state == 'Z' || state == 'X' ? 0 : t;
}

/* The inode of our PID namespace: which PIDs a note's PID is among. */
static unsigned long long pid_ns(void)
{
	struct stat sb;

	return stat("/proc/self/ns/pid", &sb) == 0 ? sb.st_ino : 0;
}

int sweep_note(const struct state *st, const struct cgroup *cg)
{
	char text[64 + CG_COUNT * (PATH_MAX + 1)];
	int n;

	n = snprintf(text, sizeof(text), "%d %llu %llu\n", (int)getpid(),
		     start_time(getpid()), pid_ns());
	for (int i = 0; cg && i < cg->ndirs; i++)
		n += snprintf(text + n, sizeof(text) - n, "%s\n", cg->dir[i]);
	return state_write(st, "owner", text);
}

/* Removes the cgroup dirs listed after the first line of note, each only
 * if its last component is name (the note is ours, but a cgroup dir is
 * where kill goes: check). */
static void remove_cgroups(char *note, const char *name)
{
	char *line, *save = NULL, *base;

	strtok_r(note, "\n", &save); /* the owner line */
	while ((line = strtok_r(NULL, "\n", &save))) {
		base = strrchr(line, '/');
		if (line[0] != '/' || !base || strcmp(base + 1, name) != 0)
			continue;
		cgroup_kill_all(line); /* none left, unless a fork outran
					  PDEATHSIG: then no more */
		cgroup_remove_dir(line);
	}
}

/* Sweeps the state dir dir, whose name is name, if its owner is gone. */
static void sweep_one(const char *dir, const char *name)
{
	struct state old = {.created = true};
	char path[sizeof(old.dir) + 8], note[64 + CG_COUNT * (PATH_MAX + 1)];
	unsigned long long started, ns;
	const char *id = strrchr(name, '-') + 1;
	struct stat sb;
	int pid;
	FILE *f;
	size_t n;

	/* Ours only: a rootless caller's /tmp is shared with others. */
	if (lstat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
	    sb.st_uid != geteuid() || strlen(dir) >= sizeof(old.dir))
		return;
	snprintf(path, sizeof(path), "%s/owner", dir);
	f = fopen(path, "re");
	if (!f)
		return; /* being made right now, or not ours to judge */
	n = fread(note, 1, sizeof(note) - 1, f);
	fclose(f);
	note[n] = '\0';
	if (sscanf(note, "%d %llu %llu", &pid, &started, &ns) != 3 ||
	    pid <= 0 || ns != pid_ns())
		return; /* not a PID we can look up */
	if (start_time(pid) == started)
		return; /* its owner still runs */

	snprintf(old.dir, sizeof(old.dir), "%s", dir);
	snprintf(path, sizeof(path), "lesson-container-%s", id);
	remove_cgroups(note, path);
	state_remove(&old);
	warnx("removed what container %s left behind (its runtime, "
	      "PID %d, was killed)",
	      id, pid);
}

void sweep_stale(bool rootless)
{
	const char *where = rootless ? "/tmp" : "/run";
	char prefix[64], dir[512];
	struct dirent *d;
	DIR *dp;

	if (rootless)
		snprintf(prefix, sizeof(prefix), "lesson-container-%u-",
			 (unsigned)getuid());
	else
		snprintf(prefix, sizeof(prefix), "lesson-container-");
	dp = opendir(where);
	if (!dp)
		return;
	while ((d = readdir(dp)))
		if (strncmp(d->d_name, prefix, strlen(prefix)) == 0 &&
		    strlen(d->d_name) == strlen(prefix) + 12) {
			snprintf(dir, sizeof(dir), "%s/%s", where, d->d_name);
			sweep_one(dir, d->d_name);
		}
	closedir(dp);
}
