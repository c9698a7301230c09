/*
 * 10-full/join.h - `container exec`'s way in: a process joins a running
 * container (its cgroup, its namespaces, its hardening) and starts the
 * command there, beside the container's init.
 *
 * Read: setns(2), pidfd_open(2), clone(2) CLONE_PARENT, namespaces(7)
 */
#ifndef JOIN_H
#define JOIN_H

#include "options.h"

#include <sys/types.h>

/* What to start, and where. Filled by exec.c; the joiner's copy is its
 * own (it is a fork), so it may change config. */
struct join {
	pid_t pid;	/* the container's init, as the host sees it */
	int pidfd;	/* a pidfd for it (store_pidfd): it names the init
			   for good, whatever happens to the PID */
	int caller;	/* a pidfd for `exec` itself, or -1 */
	int report;	/* the joiner writes the command's host PID here */
	struct config *config; /* the container's (run's options, its -e),
				  with exec's -e and -t on top */
	const char *workdir;   /* exec's -w, or NULL: the container's */
	char **argv;	       /* the command */
};

/* Called in a fresh fork of `exec`, which must have a single thread.
 * Joins the container's cgroup, then its namespaces, becomes its root,
 * gives up being dumpable, and starts the command's process as a sibling
 * (a child of `exec`, in the container's PID namespace), which sets up
 * its session, stdio, cwd and environment, takes the container's
 * hardening and execs the command. Writes that process's host PID to
 * j->report. Returns the exit code for _exit(): in the joiner, 0 once
 * the process exists, EXIT_FAILED after saying why it could not; in the
 * process, only when the exec failed (126, 127, 125). */
int join_container(const struct join *j);

#endif
