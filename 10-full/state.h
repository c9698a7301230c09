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

/* Creates the state dir, mode 0700, holding
 *   init/    the init layer: etc/hostname, etc/hosts, etc/resolv.conf
 *   upper/   the container's writable layer (starts empty)
 *   work/    overlayfs's scratch space (same filesystem as upper/)
 *   merged/  where the root filesystem is assembled
 *   name     the --name, when given (for later verbs like ps)
 * all owned by owner:group (the host ids of the container's root).
 * Returns 0, or -1 after saying why; whatever was made is then removed by
 * state_remove(). */
int state_create(struct state *st, const char *hostname, const char *name,
		 bool net_host, uid_t owner, gid_t group);

/* Removes the state dir and everything in it (rm -rf, without a fork). */
void state_remove(struct state *st);

#endif
