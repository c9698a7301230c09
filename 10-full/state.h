/*
 * 10-full/state.h - a container's own directory on the host: its id, the
 * init layer, and the writable layer of its root filesystem.
 *
 * Read: overlayfs (Documentation/filesystems/overlayfs.rst), getrandom(2)
 */
#ifndef STATE_H
#define STATE_H

#include <stdbool.h>
#include <sys/types.h>

struct state {
	char id[13];  /* 12 hex digits: the short id, the default hostname */
	char dir[64]; /* /run/lesson-container-ID, or rootless
			 /tmp/lesson-container-UID-ID */
	bool created; /* dir exists: state_remove() has work to do */
};

/* Draws a fresh random id and names the state dir (creates nothing).
 * Returns 0, or -1 after saying why. */
int state_new_id(struct state *st, bool rootless);

/* In the parent, before clone: creates the (empty) state dir, mode 0700,
 * holding only `name` when a --name was given (for later verbs like ps).
 * Returns 0, or -1 after saying why; state_remove() then removes what
 * was made. */
int state_create(struct state *st, const char *name);

/* In the container's private mount namespace: mounts a tmpfs on the state
 * dir and makes in it
 *   init/    the init layer: etc/hostname, etc/hosts, etc/resolv.conf
 *   upper/   the container's writable layer (starts empty)
 *   work/    overlayfs's scratch space (same filesystem as upper/)
 *   merged/  where the root filesystem is assembled
 * The host never sees any of it; it vanishes with the namespace.
 * Returns 0, or -1 after saying why. */
int state_make_layers(const struct state *st, const char *hostname,
		      bool net_host);

/* Writes text to a new file name in the state dir (on the host, below
 * the tmpfs the container mounts there). Returns 0, or -1 after saying
 * why. */
int state_write(const struct state *st, const char *name, const char *text);

/* Removes the state dir and everything in it (rm -rf, without a fork). */
void state_remove(struct state *st);

#endif
