/*
 * 10-full/layer_walk.h - inside layer_unpack: how an entry's path is
 * reached in the layer's dir without ever leaving it.
 *
 * Read: openat(2) (O_NOFOLLOW, O_PATH)
 */
#ifndef LAYER_WALK_H
#define LAYER_WALK_H

#include "tar.h"

#include <limits.h>
#include <stdbool.h>
#include <time.h>

/* One unpack under way. Only layer_unpack.c and layer_walk.c touch it. */
struct unpack {
	int root;                  /* the layer's dir */
	bool rootless;
	int dfd;                   /* cached: the dir of the last entry */
	char dpath[PATH_MAX];      /* its path ("" : root) */
	struct dirtime {
		char *path;
		struct timespec t[2];
		unsigned mode;
	} *dirs;
	size_t n_dirs;             /* dirs' times are set last */
	size_t dirs_room;          /* how many dirs has room for */
	size_t *slots;             /* a hash of dirs by path: index + 1 */
	size_t n_slots;            /* a power of two, or 0 */
	char buf[1 << 17];
};

/* "./a//b/" -> "a/b" in place; refuses "..", absolute names, components
 * over NAME_MAX, and more than TREE_MAX_DEPTH of them (what commit and
 * save can copy or pack; what: the entry's name, for the message).
 * Returns 0 or -1 after one line. */
int unpack_clean(const char *what, char *name);

/* The dir that holds path (its last component into *last), reached one
 * component at a time with O_NOFOLLOW; missing dirs are made (0755).
 * Returns an fd owned by u (not to be closed), or -1 after one line. */
int unpack_parent(struct unpack *u, char *path, char **last);

/* Forgets the cached dir (something on its path may have gone). */
void unpack_forget(struct unpack *u);

/* Makes room for name in dir (an earlier entry of that name goes; a dir
 * stays for a dir). Returns 0 or -1 after one line. */
int unpack_replace(struct unpack *u, int dir, const char *name, bool is_dir);

/* Notes a dir's time (and, rootless, its mode) to set once its entries
 * are in; unpack_dir_times sets them all, deepest first. A dir named
 * again gets the later entry's (one note per dir). 0 or -1. */
int unpack_note_dir(struct unpack *u, const struct tar_entry *e);
int unpack_dir_times(struct unpack *u);

/* What unpack_note_dir kept, freed. */
void unpack_free_dirs(struct unpack *u);

#endif
