/*
 * 10-full/netearly.h - the container's network namespace, made by a
 * thread of the runtime while the run is being prepared.
 *
 * Read: unshare(2) CLONE_NEWNET, setns(2), pthread_create(3)
 */
#ifndef NETEARLY_H
#define NETEARLY_H

#include "devfs.h"
#include "../07-cgroups/cgroup_backend.h"

#include <stdbool.h>

/* What the runtime makes for its child after clone(), while the child
 * makes its root: the network namespace (the thread's), the sealed copy
 * of the runtime (both through sock), and the cgroup, here. The memory is
 * shared with the child (MAP_SHARED): the parent writes it before it
 * hands the namespace over, the child reads it after taking it. */
struct late {
	int sock;	    /* the child's end of the socket */
	bool has_cgroup;    /* the child joins cgroup, made by the parent */
	struct cgroup cgroup; /* its dirs and controllers only */
	struct sysfs_cgroups cgroups; /* the host's hierarchies (sysfs.c) */
};

/* Starts a thread that makes a new network namespace, brings its lo up
 * and keeps an fd of it. Call with every signal the run holds blocked
 * (the thread inherits the mask). Never fails: without the thread (or if
 * it fails), netearly_join() returns -1 and clone() makes the namespace,
 * as before, saying what went wrong. */
void netearly_start(void);

/* Waits for the thread; returns the namespace's fd (close-on-exec), which
 * is the caller's from then on, or -1 (no thread, it failed, or the fd
 * was taken before). Call before anything forks: a child fork()ed beside
 * a live thread may inherit a lock it held (netearly.c). */
int netearly_join(void);

/* A run's child may be clone()d while the thread still works: it enters
 * the namespace later, handed over through a socket. Before clone():
 * returns what the child will take (its socket end close-on-exec,
 * inherited), or NULL: no thread (or no socket, no memory), then
 * netearly_join() before clone(), as before. */
struct late *netearly_defer(void);

/* Parent, after clone(): cg is the container's cgroup, for the child to
 * join (its dirs and controllers are copied into the shared memory). */
void netearly_share_cgroup(const struct cgroup *cg);

/* Parent, after clone(): waits for the thread and hands the namespace
 * (or, if the thread failed, the word to make one) to the child, then
 * self_fd, the sealed copy of the runtime (selfexec.c), made meanwhile.
 * Returns 0, or -1 after saying why. */
int netearly_hand_over(int self_fd);

/* Child, before anything needs its network namespace (its /sys): takes
 * it from sock and enters it, or makes one with lo up; *self_fd becomes
 * the sealed copy. Closes sock. Returns 0, or -1 after saying why. */
int netearly_enter(int sock, int *self_fd);

/* The end of a run: the thread joined, and whatever of ours nobody took
 * (the namespace's fd, the socket, the shared memory) closed. */
void netearly_finish(void);

#endif
