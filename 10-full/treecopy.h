/*
 * 10-full/treecopy.h - copy a directory tree with everything a layer
 * keeps: modes, owners, times, symlinks, hard links, xattrs, device
 * nodes (whiteouts among them), in overlay form.
 *
 * Read: copy_file_range(2), xattr(7), utimensat(2), linkat(2)
 */
#ifndef TREECOPY_H
#define TREECOPY_H

#include "linkmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How deep a tree commit, import and save walk: 1024 directories (a
 * path of 2048 bytes at least), each level one frame of C stack and a
 * few fds; deeper is refused, with one line, not a crash. */
#define TREE_MAX_DEPTH 1024

struct treecopy {
	/* In: paths to leave out, relative to the top, NULL-terminated
	 * (commit: the init layer's three files), or NULL. */
	const char *const *skip;
	/* In: owners in [shift, shift + count) become owner - shift (a
	 * --userns container's upper holds its range's host ids); count 0:
	 * owners as they are. */
	unsigned shift, count;
	/* In: the opaque mark's name in the source (xattrs.h), or NULL. */
	const char *src_opaque;
	/* Private: the hard links seen, (dev, ino) -> the first copy's
	 * path below the top of the copy. */
	struct linkmap links;
	int dst_top;
	uid_t euid; /* ours, asked once: not two system calls a file */
	gid_t egid;
	char path[4096]; /* the entry being copied, relative to the top */
	char link[4096]; /* a symlink's target, read then written */
	int depth;	 /* how many dirs down copy_dir is now */
	bool too_deep;	 /* it stopped at TREE_MAX_DEPTH */
};

/* Copies the tree at src (an open dir) into dst (an empty open dir) and
 * src's own owner, mode, xattrs and times onto dst. Overlay's own xattrs
 * (trusted.overlay.*, user.overlay.*) are dropped but for the opaque
 * mark, which is written as this store keeps it (imagestore.h). Without
 * root, owners the user may not give are left the user's own. Returns
 * 0, or -1 after one line naming the entry. Frees what tc allocated. */
int treecopy(int src, int dst, struct treecopy *tc);

#endif
