/*
 * 10-full/image.h - the image store: images as ordered lists of shared,
 * read-only layers, plus a small config (docker's image config JSON).
 *
 *   ROOT/images/lock                 flock(2): exclusive while the store
 *                                    changes, shared while `run` picks
 *                                    an image and records its container
 *   ROOT/images/repositories.json    {"alpine:3.20": "sha256:<64 hex>"}
 *                                    replaced whole by rename(2)
 *   ROOT/images/configs/<64 hex>     an image config, the EXACT bytes:
 *                                    the image ID is their sha256
 *   ROOT/images/layers/<16 hex>/     one layer, named by the first 16
 *                                    hex of its ChainID
 *         diff/                      the tree in overlay form (a deletion
 *                                    is a whiteout, char dev 0/0; an
 *                                    opaque dir has trusted.overlay.opaque
 *                                    =y, or user.overlay.opaque=y when
 *                                    the store is a user's)
 *         layer.json                 {"chain_id":..,"diff_id":..,
 *                                     "parent":"<16 hex>"|"","size":N}
 *   ROOT/images/tmp/                 layers being made: never under
 *                                    layers/ half-made; the next verb
 *                                    that takes the lock empties tmp/
 *
 * ChainID (OCI image spec): chain(L1) = diff_id(L1); chain(Ln) =
 * "sha256:" + sha256hex(chain(Ln-1) + " " + diff_id(Ln)). Two images
 * with the same bottom layers share those layer dirs.
 *
 * Read: the OCI image spec (config.md, "Layer ChainID"), flock(2),
 *       rename(2)
 */
#ifndef IMAGE_H
#define IMAGE_H

#include <stddef.h>

#define IMAGE_MAX_LAYERS 128
#define IMAGE_MAX_TEXT "128" /* for messages */

struct image {
	char id[72];			   /* "sha256:<64 hex>" */
	char name[256];			   /* "alpine:3.20", or "" */
	int n_layers;			   /* bottom first */
	char layers[IMAGE_MAX_LAYERS][17]; /* the <16 hex> dir names */
	char *config; size_t config_len;   /* malloc'd exact bytes, with a
					      '\0' after them */
};

/* NAME[:TAG] (NAME alone: NAME:latest), a full id or a unique prefix of
 * one (with or without "sha256:"). Returns 0 or -1 after one line. */
int image_find(const char *root, const char *ref, struct image *img);
void image_free(struct image *img);

/* Takes the store's lock (and clears tmp/). Returns an fd to close, or -1. */
int image_lock(const char *root);

/* The lock shared: the store does not change while it is held, but
 * nothing is made either (no tmp/ cleared, no dirs made). Returns an fd
 * to close, or -1 after one line (no store: "no such image"). */
int image_lock_shared(const char *root);

/* A new empty dir under ROOT/images/tmp for a layer being made; its path
 * into path (PATH_MAX). Returns an O_DIRECTORY fd of it, or -1. The
 * caller makes diff/ in it. */
int image_layer_begin(const char *root, char *path);

/* Moves the tmp layer at path (its diff/ filled) into layers/ as the
 * layer with this diff_id on top of parent (a <16 hex> or "" for the
 * bottom), writing layer.json; if that layer exists already, removes
 * path instead (layers are shared). Puts the layer's <16 hex> into
 * out. Returns 0 or -1. Caller holds the lock. */
int image_layer_commit(const char *root, const char *path,
		       const char *parent, const char *diff_id,
		       char out[17]);
/* The same, with the size of the layer tar whose sha256 is diff_id
 * (-1: not known), kept in layer.json: save then writes the tar's
 * header without a first walk of the tree to size it. */
int image_layer_commit_sized(const char *root, const char *path,
			     const char *parent, const char *diff_id,
			     long long tar_size, char out[17]);

/* Stores config bytes (its id is their sha256) and points tag at it
 * (tag may be NULL: untagged). Returns 0 or -1. Caller holds the lock. */
int image_add(const char *root, const char *config, size_t len,
	      const char *tag, char id_out[72]);

/* --- beyond the contract: for images, history, rmi, run --- */

/* NAME[:TAG] made whole into out ("base" -> "base:latest"). Returns 0,
 * or -1 after one line when it is no valid reference. */
int image_tag_parse(const char *ref, char *out, size_t size);

/* The tags of the store, in the order repositories.json has them. */
#define IMAGE_MAX_TAGS 1024
struct image_tags {
	int n;
	char tag[IMAGE_MAX_TAGS][256];
	char id[IMAGE_MAX_TAGS][72];
};

/* Reads repositories.json into t (none yet: 0 tags). Returns 0 or -1. */
int image_tags_read(const char *root, struct image_tags *t);

/* Writes t as repositories.json (a temp file, then rename). Caller holds
 * the lock. Returns 0 or -1. */
int image_tags_write(const char *root, const struct image_tags *t);

/* Reads the image with id ("sha256:<64 hex>") into img (its layers
 * from its config's diff_ids). Returns 0, or -1 after one line. */
int image_read(const char *root, const char *id, struct image *img);

/* The <16 hex> names of the layers a config's diff_ids make, bottom
 * first, into layers (IMAGE_MAX_LAYERS of them). Returns how many; -1
 * when there are more, -2 for a diff_id that is no sha256 digest. */
int image_chain_names(const char *config, char (*layers)[17]);

/* The size of layer (its layer.json), or -1. */
long long image_layer_size(const char *root, const char *layer);
/* The size of its tar (layer.json's tar_size), or -1 if not known. */
long long image_layer_tar_size(const char *root, const char *layer);

#endif
