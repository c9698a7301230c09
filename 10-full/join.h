/*
 * 10-full/join.h - `container exec`'s way in: a process joins a running
 * container (its cgroup, its namespaces) and starts the command there,
 * beside the container's init, with its hardening (join.c, spawn.c).
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
	int copy;	/* the runtime's sealed copy (reexec.c) */
	struct config *config; /* the container's (run's options, its -e),
				  with exec's -e and -t on top */
	const char *workdir;   /* exec's -w, or NULL: the container's */
	char **argv;	       /* the command */
};

/* In a fork of `exec` with a single thread: joins the cgroup of j->pid,
 * then its namespaces (through j->pidfd), and in its user namespace
 * becomes its root. Returns 0, or -1 after saying why. (join.c) */
int join_enter(const struct join *j);

/* Starts j's command in the container: a joiner forked to join_enter(),
 * the command's process cloned by it as our child, in the container's
 * PID namespace, hardened as the container's command. Relays its stdio
 * (relay.c, or tty.c with j->config->tty) and forwards our stop signals
 * to it. Returns its exit code: its own, 128+N, 126/127, or 125 after
 * saying why. (spawn.c) */
int spawn_run(struct join *j);

#endif
