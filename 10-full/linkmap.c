/*
 * 10-full/linkmap.c - (device, inode) -> a name, in a hash table with
 * open addressing: a look-up costs the same for the first hard link of a
 * tree and for the millionth.
 *
 * Claim: a copy or a pack keeps each hard link a link, however many
 *        (tests/10-full-image.bats: 6000 pairs, through import and save),
 *        at a cost in proportion to their number, not to its square
 *        (import of 160,000 pairs on the VM this was written on: 28.6 s
 *        with the list, 12.7 s with the table, the rest the disk's).
 * Uses:  nothing but libc
 * Read:  Knuth, TAOCP vol. 3, 6.4 (linear probing)
 *
 * Slots are probed one after the other from the hash of the key; the
 * table doubles when it is half full, so that a probe meets a free slot
 * soon. Nothing is ever removed, which keeps linear probing simple.
 */
#include "linkmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A 64-bit mix of the key (splitmix64's finaliser): inode numbers are
 * often consecutive, and the low bits must still spread. */
static size_t hash(dev_t dev, ino_t ino)
{
	uint64_t x = (uint64_t)ino ^ ((uint64_t)dev * 0x9e3779b97f4a7c15u);

	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	x ^= x >> 31;
	return (size_t)x;
}

/* The slot of (dev, ino) in slot[cap], or the free slot where it goes. */
static struct linkmap_entry *probe(struct linkmap_entry *slot, size_t cap,
				   dev_t dev, ino_t ino)
{
	size_t i = hash(dev, ino) & (cap - 1);

	while (slot[i].name && (slot[i].dev != dev || slot[i].ino != ino))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

const char *linkmap_find(const struct linkmap *m, dev_t dev, ino_t ino)
{
	if (m->cap == 0)
		return NULL;
	return probe(m->slot, m->cap, dev, ino)->name;
}

/* Doubles the table (first: 64 slots), every entry moved to its slot in
 * the new one. Returns 0, or -1 (ENOMEM). */
static int grow(struct linkmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct linkmap_entry *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].name)
			*probe(slot, cap, m->slot[i].dev, m->slot[i].ino) =
			    m->slot[i];
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
	return 0;
}

int linkmap_add(struct linkmap *m, dev_t dev, ino_t ino, const char *name)
{
	struct linkmap_entry *e;
	char *copy;

	if (2 * (m->n + 1) > m->cap && grow(m) < 0)
		return -1;
	copy = strdup(name);
	if (!copy)
		return -1;
	e = probe(m->slot, m->cap, dev, ino);
	*e = (struct linkmap_entry){dev, ino, copy};
	m->n++;
	return 0;
}

void linkmap_free(struct linkmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i].name);
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}
