/*
 * 10-full/imagelayer.h - a new layer in the store, from a directory tree
 * (import DIR, commit).
 *
 * Read: image.h (the store), treecopy.h (the copy)
 */
#ifndef IMAGELAYER_H
#define IMAGELAYER_H

#include "treecopy.h"

/* Copies the tree at src (an open dir, with tc: what to skip, owners to
 * shift) into a new layer made in the store's tmp/, computes its DiffID
 * (the sha256 of the layer tar layer_pack writes of it) into diff_id,
 * and moves it into layers/ on top of parent ("" for the bottom); its
 * <16 hex> into layer. Caller holds the store's lock. Returns 0, or -1
 * after one line (the tmp layer is left for the next lock to clear). */
int imagelayer_make(const char *root, int src, struct treecopy *tc,
		    const char *parent, char layer[17], char diff_id[72]);

#endif
