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

/* Before the child makes its layers: moves a spare dir to st->dir, with
 * the modes and times a new one would have. Returns true, or false
 * (none there, or it failed: the caller makes the dir, as before). */
bool spare_take(struct state *st);

/* At the end, once the container's mounts are gone, its overlay mark
 * removed and work/work with it: dirfd is st->dir. If the dir holds only
 * upper/ and work/, both empty, as they were made (owner, mode; upper/
 * with no xattr but overlayfs's uuid), it becomes a spare. Returns
 * true, or false: the caller removes it, as before. */
bool spare_keep(struct state *st, int dirfd);

#endif
