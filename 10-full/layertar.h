/*
 * 10-full/layertar.h - an image layer as a tree on disk (overlay's form,
 * ready to be a lower dir) and as a tar (the OCI image spec's form, what
 * docker save writes and load reads).
 *
 * The two forms differ only in how a deletion is written down:
 *
 *   on disk (overlayfs)                     in the tar (OCI, = aufs)
 *   NAME: a character device 0/0            DIR/.wh.NAME, an empty file
 *   DIR with xattr trusted.overlay.opaque=y DIR/.wh..wh..opq
 *       (user.overlay.opaque=y rootless)
 *
 * Read: the OCI image spec, layer.md ("Whiteouts"); the kernel's
 *       Documentation/filesystems/overlayfs.rst ("whiteouts and opaque
 *       directories")
 */
#ifndef LAYERTAR_H
#define LAYERTAR_H

#include "tar.h"

#include <stdbool.h>

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

/* Writes the layer tree at dirfd (overlay form) as an OCI layer tar:
 * whiteouts become .wh.NAME, opaque dirs .wh..wh..opq, overlay's own
 * xattrs (trusted.overlay.*, user.overlay.*) are dropped, other xattrs,
 * modes, owners, times (with nanoseconds), symlinks, hard links kept.
 * Entries in a fixed (sorted) order so that the same tree gives the same
 * bytes and so the same DiffID. skip: NULL or a NULL-terminated list of
 * paths ("etc/hostname") to leave out. Returns 0 or -1. */
int layer_pack(int dirfd, const char *const *skip, tar_sink sink, void *ctx);

/* The size of what layer_pack(dirfd, skip, ..) writes, found without
 * reading any file's data (a walk of the tree's metadata). Returns 0 or
 * -1. */
int layer_pack_size(int dirfd, const char *const *skip, uint64_t *size);

/* Reads a plain OCI layer tar from fd into the empty dir dirfd (overlay
 * form), refusing bad entries (.., absolute, through a symlink, links
 * outside, devices other than whiteouts, truncated, oversized names)
 * with one line; the caller removes the dir on failure. rootless: owners
 * are not kept (every file is the caller's) and opaque dirs get
 * user.overlay.opaque. Returns 0/-1. */
int layer_unpack(int fd, int dirfd, bool rootless);

/* The same, from a reader already set up (a layer inside a docker-save
 * archive, or behind gzip). Reads up to the layer's end blocks. */
int layer_unpack_tar(struct tar_reader *r, int dirfd, bool rootless);

/* Inside layer_pack (layer_xattr.c): the xattrs of a file, by fd, or by
 * path (llistxattr) when fd is -1, sorted, into e; overlay's own left out
 * (opaque, if not NULL: set when the opaque mark is there). Returns 0,
 * or -1 with errno set. layer_free_xattrs frees what it put in e. */
int layer_get_xattrs(int fd, const char *path, struct tar_entry *e,
		     bool *opaque);
void layer_free_xattrs(struct tar_entry *e);

#endif
