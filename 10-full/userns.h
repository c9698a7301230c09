/*
 * 10-full/userns.h - `--userns` as root: a range of host ids of the
 * container's own, and an image that its root owns.
 *
 * Read: user_namespaces(7), mount_setattr(2), flock(2)
 */
#ifndef USERNS_H
#define USERNS_H

#include <sys/types.h>

/* The ranges: IDPOOL_RANGES of IDPOOL_SIZE host ids each, from
 * IDPOOL_FIRST (0x60000000) up to 0x6fffffff, the top of the ids that
 * systemd reserves for containers (userns.c says why there). */
#define IDPOOL_FIRST 0x60000000U
#define IDPOOL_SIZE 65536U
#define IDPOOL_RANGES 4096U
/* One lock file per range in use, named after its first host id. */
#define IDPOOL_DIR "/run/lesson-container-ids"

/* A range held by this run. Parent only: written by userns_take_range()
 * in prepare, read by the maps, given back in cleanup. */
struct userns_range {
	unsigned first; /* the host id the container's 0 is */
	int fd;		/* its lock file, flock'ed while we hold it; or -1 */
};

/* Takes the lowest free range for container id (its note says who holds
 * it), or range want (`start`: the one kept for it), and holds it until
 * userns_give_range() or until we die, however we die. keep: the path of
 * the container's record, which keeps the range reserved while it exists
 * (IDPOOL_DIR/FIRST.kept), or NULL (--rm). Returns 0, or -1 after saying
 * why (every range in use). */
int userns_take_range(struct userns_range *r, const char *id, unsigned want,
		      const char *keep);

/* `rm`: the range kept for a removed container is free again. */
void userns_forget_range(unsigned first);

/* Gives r back (nothing when it holds none). */
void userns_give_range(struct userns_range *r);

/* Parent, once child's uid and gid maps are written and before it goes
 * on: makes the detached mount image_fd (options.c) show its files as
 * child's user namespace maps them: the host's root is the container's.
 * Returns 0, also when the kernel cannot (after a warning: the image
 * then stays owned by nobody inside), or -1 after saying why. */
int userns_idmap_image(int image_fd, pid_t child);

#endif
