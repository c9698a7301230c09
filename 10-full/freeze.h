/*
 * 10-full/freeze.h - hold a running container still (commit), with the
 * cgroup freezer, as docker pause does.
 *
 * Read: Documentation/admin-guide/cgroup-v2.rst ("cgroup.freeze"),
 *       Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst
 */
#ifndef FREEZE_H
#define FREEZE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

struct freeze {
	char dir[PATH_MAX];   /* the cgroup frozen */
	char procs[PATH_MAX]; /* v1: the container's own cgroup.procs */
	char home[PATH_MAX];  /* v1: the freezer cgroup they came from */
	bool made;	      /* v1: dir was made for the copy */
	bool frozen;
};

/* Freezes every process of the container whose init is init (its id,
 * for its cgroup's name). Returns 0 once all are frozen, or -1 after one
 * line (thaw_container undoes what was done either way). */
int freeze_container(pid_t init, const char *id, struct freeze *f);

/* Thaws what freeze_container froze, and removes what it made. */
void thaw_container(struct freeze *f);

/* What a commit killed by SIGKILL may leave: the container frozen (and
 * on v1 its freezer cgroup), where not even SIGKILL ends it. Thaws it
 * and removes that, unless a commit holds the container now (its lock,
 * in the data root root). For stop, kill and rm, before they signal. */
void freeze_forget(const char *root, pid_t init, const char *id);

#endif
