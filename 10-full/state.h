/*
 * 10-full/state.h - where a container lives on the host: the runtime's
 * data root, the container's own directory in it (its writable layer, on
 * disk), and the owner note that says who made them.
 *
 *   ROOT/containers/ID.owner   the owner note (note.c): written first
 *   ROOT/containers/ID/        upper/, work/ (on disk)
 *   ROOT/empty/                empty for good; in each container's own
 *                              namespace a small tmpfs on it holds
 *                              init/, merged/ (selfexec.h, layers.c)
 *   ROOT/names/NAME            --name: a symlink to the ID (names.c)
 *   ROOT/spare/0..3            a removed container's empty dir, for the
 *                              next run to take (spare.c)
 *
 * ROOT: --root DIR, else for root: /var/lib/lesson-container. A user:
 * $XDG_DATA_HOME/lesson-container, else $HOME/.local/share/lesson-container
 * when HOME is a directory of the user's own, else
 * /var/tmp/lesson-container-UID.
 *
 * Read: overlayfs (Documentation/filesystems/overlayfs.rst), statfs(2)
 */
#ifndef STATE_H
#define STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct state {
	char id[13];	      /* 12 hex digits: the short id, the default
				 hostname */
	char root[PATH_MAX / 2]; /* the data root (see above) */
	char dir[PATH_MAX / 2 + 32]; /* ROOT/containers/ID */
	const char *name;     /* --name, or NULL */
	/* What exists, so that the cleanup removes exactly that. Written
	 * by the parent only (the child's copy is never read back). */
	bool restart; /* `start`: the dir and its layers exist already */
	bool noted;   /* ROOT/containers/ID.owner */
	bool named;   /* ROOT/names/NAME -> ID */
	bool created; /* ROOT/containers/ID/ */
	bool unmarked; /* overlayfs's volatile mark removed (release.c) */
	bool spared;   /* the dir was a spare (spare.c): upper/, work/ in it */
	bool keepable; /* no volume, not --net host: it may take a spare,
			  and be kept as one at its end (run.c, spare.c) */
};

/* `container --root DIR VERB`: the data root instead of the default
 * (main.c sets it). */
extern const char *state_root_option;

/* The data root's path (above, or --root) into root (size bytes),
 * creating nothing. Returns 0, or -1 after saying why. */
int state_root_path(char *root, size_t size, bool rootless);

/* Picks the data root (above, or --root), creates it if need be (0711: a
 * --userns container's root, another host uid, must walk to its own dir,
 * but not list the others), and refuses a root on overlayfs, where the kernel
 * cannot put an upper dir (inside a docker container), with a hint.
 * Returns 0, or -1 after saying why. */
int state_open_root(struct state *st, bool rootless);

/* Draws a fresh random id and names the container's dir (creates
 * nothing). Returns 0, or -1 after saying why. */
int state_new_id(struct state *st);

/* After the owner note: creates ROOT/containers/ID, mode 0700, owned by
 * uid:gid, the host ids of the container's root (who must make its
 * layers in it). Returns 0, or -1 after saying why. */
int state_create(struct state *st, uid_t uid, gid_t gid);

/* In the container's private mount namespace (child.c, step 17): makes
 * upper/ and work/ in the container's dir (on disk, owned by the
 * container's root), and mounts a small tmpfs on ROOT/empty holding
 *   init/    the init layer: etc/hostname, etc/hosts, etc/resolv.conf
 *   merged/  where the root filesystem is assembled
 * Returns 0, or -1 after saying why. (layers.c) */
int state_make_layers(const struct state *st, const char *hostname,
		      bool net_host);

/* Removes path (relative to dirfd) and everything under it, rm -rf
 * without a fork, one directory open at a time, however deep (rmtree.c).
 * Returns 0, or -1 after saying why. */
int state_remove_tree(int dirfd, const char *path);

/* Marks the directory path (ours) as the top of trees for ext4's
 * allocator (chattr +T): each dir made in it goes to a block group
 * chosen afresh, not beside it. Quiet; nothing where the filesystem has
 * no such flag. */
void state_top_of_trees(const char *path);

/* Removes what overlayfs makes in work/ to mark a `volatile` mount
 * (work/work/incompat/volatile/dirty), which it looks for only when it
 * mounts: while the container runs, by release.c. Quiet; ours to call
 * only once the overlay is mounted (the init has said that the command
 * runs). Sets st->unmarked. */
void state_unlink_mark(struct state *st);

/* Removes the container's dir, if made (the owner note is note.c's). */
void state_remove(struct state *st);

#endif
