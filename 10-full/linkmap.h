/*
 * 10-full/linkmap.h - the hard links of a tree being copied or packed:
 * (device, inode) -> the name the first link was written under, so that
 * every later name becomes a link to it (treecopy.c, layer_pack.c).
 *
 * A hash table, not a list: a container decides how many hard links its
 * layer holds, and a list searched for each of them made `commit`
 * quadratic (160,000 pairs: 29 s; a hostile tester's, with the store
 * locked and a running container frozen all along).
 */
#ifndef LINKMAP_H
#define LINKMAP_H

#include <stddef.h>
#include <sys/types.h>

struct linkmap {
	struct linkmap_entry {
		dev_t dev;
		ino_t ino;
		char *name; /* NULL: a free slot */
	} * slot;
	size_t cap, n; /* cap: 0 or a power of two */
};

/* The name (dev, ino) was first seen under, or NULL. */
const char *linkmap_find(const struct linkmap *m, dev_t dev, ino_t ino);

/* Remembers name (copied) for (dev, ino), not in m yet. Returns 0, or -1
 * with errno set (ENOMEM). */
int linkmap_add(struct linkmap *m, dev_t dev, ino_t ino, const char *name);

/* Frees all of it; m is empty again. */
void linkmap_free(struct linkmap *m);

#endif
