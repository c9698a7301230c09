/*
 * 10-full/spare.h - a removed container's empty layer, kept for the next
 * run: ROOT/spare/0 .. ROOT/spare/3, each a container's dir (upper/,
 * work/) that nothing wrote in.
 *
 * Read: rename(2) (RENAME_NOREPLACE), listxattr(2)
 */
#ifndef SPARE_H
#define SPARE_H

#include "state.h"

#include <stdbool.h>

#define SPARE_DIR "spare"
#define SPARE_SLOTS 4
/* A spare serves this many runs, then a new dir takes its slot (spare.c,
 * renew); the count is kept in this xattr of the container's dir, which
 * a spare gets when it is made in ROOT/spare/. A dir kept without one
 * (made in containers/) is renewed at once. */
#define SPARE_USES 256
#define SPARE_USES_XATTR "trusted.lesson-container.uses"

/* Before the child makes its layers: moves a spare dir to st->dir, with
 * the modes and times a new one would have. Returns true, or false
 * (none there, or it failed: the caller makes the dir, as before). */
bool spare_take(struct state *st);

/* At the end, once the container's mounts are gone, its overlay mark
 * removed and work/work with it: dirfd is st->dir. If the dir holds only
 * upper/ and work/, both empty, as they were made (owner, mode; upper/
 * with no xattr but overlayfs's uuid), it becomes a spare, or, worn
 * (SPARE_USES), waits in ROOT/removing while a new dir takes its slot.
 * Returns true, or false: the caller removes it, as before. */
bool spare_keep(struct state *st, int dirfd);

/* ROOT/removing/0 .. ROOT/removing/7: overlayfs's scratch dirs
 * (work/work) of kept spares, and worn spares, waiting to be removed. */
#define SPARE_OLD_DIR "removing"
#define SPARE_OLD_SLOTS 8

/* At the end, instead of removing dirfd's work/work (dirfd is st->dir),
 * moves it to ROOT/removing/, for a later run to remove while its
 * command runs (spare_remove_old). Only where the dir may become a spare
 * (st->keepable, as root, work/work ours). Returns true, or false (the
 * caller removes it, as before). */
bool spare_put_old(const struct state *st, int dirfd);

/* Removes what ROOT/removing/ holds, one dir at a time, until stop()
 * says to stop. Quiet: what is left waits for the next run. */
void spare_remove_old(const char *root, bool (*stop)(void));

#endif
