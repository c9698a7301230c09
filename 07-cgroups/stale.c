/*
 * 07-cgroups/stale.c - what a run killed with SIGKILL left behind is
 * found, and removed, by the next run of the same program.
 *
 * Claim: every directory a lesson program makes on the host (07-09: its
 *        cgroups, 09: its mount point and overlay work dir) is named
 *        PREFIX-PID-START after its owner from the instant it exists, so
 *        that after a kill -9 at any instant the next run tells a dead
 *        owner's from a live one's, and removes only the dead ones of its
 *        own user.   (tested in tests/07-cgroups.bats, 08, 09: "kill -9")
 * Uses:  nothing but libc and /proc
 * Read:  proc(5) /proc/PID/stat, kill(2)
 *
 * After SIGKILL a program runs no more code, so nothing it made is given
 * back. A daemon (docker) tidies up when it starts again; a program with
 * no daemon leaves a mark for whoever comes next. The mark here is the
 * name itself: there is no instant between making a directory and
 * marking it. A PID alone could name another process by the time someone
 * reads it (PIDs are reused), so the name holds the owner's start time
 * too. 10-full writes the same two numbers into its state dir's note.
 */
#include "stale.h"

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned long long stale_proc_stat(pid_t pid, char *state, int *threads)
{
	char path[64], buf[1024], *p;
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
			 " %*u %*u %*d %*d %*d %*d %d %*d %llu",
			 state, threads, &t) != 3)
		return 0;
	return t;
}

unsigned long long stale_start_time(pid_t pid)
{
	unsigned long long t;
	int threads;
	char state;

	t = stale_proc_stat(pid, &state, &threads);
	return state == 'Z' || state == 'X' ? 0 : t;
}

/* "-TAG" from LESSON_TAG, "" without one; NULL for one that is not a tag
 * (after saying so, if say). */
static const char *tag(bool say)
{
	static char text[18];
	const char *t = getenv("LESSON_TAG");
	size_t n = t ? strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789") : 0;

	if (!t || !*t)
		return "";
	if (t[n] || n > 16) {
		if (say)
			warnx("LESSON_TAG=%s: use 1 to 16 lowercase letters and "
			      "digits (or unset it)", t);
		return NULL;
	}
	snprintf(text, sizeof(text), "-%s", t);
	return text;
}

int stale_name(char *buf, size_t size, const char *prefix)
{
	pid_t self = getpid();
	const char *t = tag(true);
	int n;

	if (!t)
		return -1;
	n = snprintf(buf, size, "%s%s-%d-%llu", prefix, t, (int)self,
		     stale_start_time(self));
	if (n < 0 || (size_t)n >= size) {
		warnx("name %s-...: too long", prefix);
		return -1;
	}
	return 0;
}

/* Reads a whole decimal number at *p, moving p past it. */
static bool number(const char **p, unsigned long long *value)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	*value = strtoull(*p, &end, 10);
	*p = end;
	return true;
}

bool stale_is_dead(const char *name, const char *prefix, pid_t *owner)
{
	size_t len = strlen(prefix);
	unsigned long long pid, started;
	const char *p = name + len, *t = tag(false);

	/* Another seat's or run's (another tag, or none) is not ours. */
	if (!t || strncmp(name, prefix, len) != 0 ||
	    strncmp(p, t, strlen(t)) != 0)
		return false;
	p += strlen(t);
	if (*p++ != '-' ||
	    !number(&p, &pid) || *p++ != '-' || !number(&p, &started) ||
	    *p || pid == 0 || pid > INT32_MAX)
		return false; /* not a name we make */
	*owner = (pid_t)pid;
	/* A live owner has exactly this start time; a new process that got
	 * the PID since has a later one. */
	return stale_start_time(*owner) != started;
}

void stale_sweep(const char *dir, const char *prefix,
		 void (*drop)(const char *path, pid_t owner))
{
	char path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	pid_t owner;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!stale_is_dead(e->d_name, prefix, &owner))
			continue;
		/* Ours only: /tmp, and a delegated cgroup tree, are shared
		 * with other users, whose leftovers are theirs to judge. */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) <
		    (int)sizeof(path))
			drop(path, owner);
	}
	closedir(d);
}
