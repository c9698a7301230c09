/*
 * 10-full/oomscore.c - which processes the kernel kills first when memory
 * runs out: a container's are as likely as any (0), as docker makes them,
 * or what --oom-score-adj says; never what the caller happened to have.
 *
 * Claim: the command of `run` and of `exec` has oom_score_adj 0, or the
 *        value of run's --oom-score-adj (-1000..1000), whatever the
 *        caller's was (-1000, a service the OOM killer must spare, or
 *        500); a value we may not set is refused before anything is
 *        made.   (tested in tests/10-full-exec.bats)
 * Uses:  nothing of the lessons; called by options.c, run.c, spawn.c
 * Read:  proc(5) /proc/PID/oom_score_adj, docker-run(1) --oom-score-adj
 *
 * The value lives in a process's signal struct: a child gets its parent's
 * at fork and keeps it through execve(). So a container started by a
 * process the OOM killer must never touch (a service with systemd's
 * OOMScoreAdjust=-1000) would be untouchable too: a memory hog in it,
 * without -m, would make the kernel kill the host's processes instead.
 * Raising the value is free for anyone; lowering it below the lowest a
 * privileged process set needs CAP_SYS_RESOURCE, which a container has
 * not: root inside cannot make itself the last to go.
 *
 * `run` writes its child's /proc/PID/oom_score_adj after clone(), beside
 * the child's own setup and before "go": its command, PID 1 of the
 * container, and whatever it starts inherit it. `exec` sets its joiner's
 * before it enters the container, and the command inherits it from
 * there. Without the option it becomes 0: a raise from a caller's below
 * 0 (always allowed), a lowering from one above where we may make it;
 * where we may not (a caller that a privileged process put at 500), the
 * caller's stays: killed sooner, never later.
 */
#include "oomscore.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* /proc/PID/oom_score_adj, or /proc/self's when pid is 0. */
static const char *path_of(pid_t pid, char *buf, size_t size)
{
	if (pid == 0)
		return "/proc/self/oom_score_adj";
	snprintf(buf, size, "/proc/%d/oom_score_adj", (int)pid);
	return buf;
}

/* Reads pid's value into *value. Returns 0, or -1 with errno set. */
static int read_adj(pid_t pid, int *value)
{
	char path[64], text[16];
	int fd = open(path_of(pid, path, sizeof(path)), O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	*value = atoi(text);
	return 0;
}

/* Writes value as pid's. Returns 0, or -1 with errno set. */
static int write_adj(pid_t pid, int value)
{
	char path[64], text[16];
	int fd = open(path_of(pid, path, sizeof(path)), O_WRONLY | O_CLOEXEC);
	int n = snprintf(text, sizeof(text), "%d", value), saved;

	if (fd < 0)
		return -1;
	if (write(fd, text, n) != n) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int oomscore_parse(const char *text, int *value)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < -1000 || v > 1000) {
		warnx("--oom-score-adj %s: give a whole number from -1000 "
		      "(never killed for memory) to 1000 (killed first)",
		      text);
		return -1;
	}
	*value = (int)v;
	return 0;
}

int oomscore_check(int value)
{
	int ours;

	/* A raise is always allowed. A lower value needs CAP_SYS_RESOURCE
	 * (which root may lack too: in a container, or by a bounding set)
	 * unless it stays above the lowest set for us with it: known only
	 * by asking the kernel, on ourselves, and putting ours back. */
	if (read_adj(0, &ours) < 0) {
		warn("/proc/self/oom_score_adj");
		return -1;
	}
	if (value >= ours)
		return 0;
	if (write_adj(0, value) < 0) {
		if (errno == EACCES || errno == EPERM)
			warnx("--oom-score-adj %d: lower than we may set "
			      "(ours is %d): that takes CAP_SYS_RESOURCE",
			      value, ours);
		else
			warn("/proc/self/oom_score_adj");
		return -1;
	}
	write_adj(0, ours);
	return 0;
}

int oomscore_apply(pid_t pid, bool given, int value)
{
	if (!given)
		value = 0;
	if (write_adj(pid, value) < 0) {
		/* 0 refused: it was a lowering we may not make (above), so
		 * the caller's stays, above 0: killed sooner, never later. */
		if (!given && (errno == EACCES || errno == EPERM))
			return 0;
		warn("set the container's oom_score_adj to %d", value);
		return -1;
	}
	return 0;
}
