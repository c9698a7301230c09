/*
 * 10-full/imagestore.h - the small pieces of the image store that its
 * verbs share (image.h has the store itself).
 *
 * Read: flock(2), rename(2)
 */
#ifndef IMAGESTORE_H
#define IMAGESTORE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the whole file at path into a malloc'd buffer (*text, with a
 * '\0' after its *len bytes). Returns 0, or -1 with errno set (and a
 * line on stderr unless the file does not exist). */
int imagestore_slurp(const char *path, char **text, size_t *len);

/* The ChainID of a layer with diff_id on top of the layer whose ChainID
 * is parent ("" for the bottom layer), into out (72 bytes; may be
 * parent). Returns 0, or -1 (quietly) when diff_id is no
 * "sha256:<64 hex>". */
int imagestore_chain(const char *parent, const char *diff_id, char *out);

/* "sha256:" and the sha256 of n bytes at p, into out (72 bytes). */
void imagestore_digest(const void *p, size_t n, char *out);

/* Whether the store is a user's (rootless): its opaque mark is then
 * user.overlay.opaque, as overlayfs's userxattr mounts read it. */
bool imagestore_rootless(void);

#endif
