/*
 * 10-full/archive.h - images in and out of the store as archives:
 * `import TARFILE`, `save` and `load` (docker save's format), and the
 * layer streams they share.
 *
 * A layer blob goes through a chain of sources, each a tar_source (tar.h)
 * reading from the one before, so that nothing is stored twice and every
 * digest is taken on the way:
 *
 *   the archive's bytes -> tee (sha256 of the blob, a copy kept)
 *     -> inflate (if gzip) -> tee (sha256: the DiffID) -> tar reader
 *     -> layer_unpack_tar -> ROOT/images/tmp/layer.XXXXXX/diff
 *
 * Read: docker-save(1), docker-load(1), the OCI image spec (image-layout
 *       .md, manifest.md, image-index.md, config.md)
 */
#ifndef ARCHIVE_H
#define ARCHIVE_H

#include "image.h"
#include "sha256.h"
#include "tar.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

int cmd_save(int argc, char **argv);
/* import's TARFILE half (importtar.c): tag made whole already. Returns
 * the verb's exit code. */
int import_tarfile(const char *file, const char *tag);
int cmd_load(int argc, char **argv);

/* In a layer dir of the store, beside diff/ and layer.json: the blob of
 * a loaded layer as it came (so that save gives it back with the same
 * digest), and {"digest": .., "mediaType": ..} of it. */
#define BLOB_FILE "blob"
#define BLOB_JSON "blob.json"

/* Bytes [off, off + left) of fd, read with pread: one entry of an
 * archive on disk. */
struct region {
	int fd;
	uint64_t off, left;
};
ssize_t region_read(void *ctx, void *buf, size_t n);

/* A layer read into a new tmp layer of the store. */
struct layer_in {
	char path[PATH_MAX];  /* ROOT/images/tmp/layer.XXXXXX */
	char diff_id[72];     /* "sha256:.." of the uncompressed tar */
	char digest[72];      /* of the blob as it came (= diff_id unless
				 compressed) */
	uint64_t size;        /* the blob's size */
	bool gzip;
};

/* Reads a layer blob (a tar, or a gzip'd tar; zstd is refused) from src
 * into a new tmp layer of root's store, as overlay's form (rootless as
 * the store is). keep: the blob's bytes are kept in the layer dir
 * (BLOB_FILE, BLOB_JSON). Returns 0, or -1 after one line, the tmp
 * layer removed. Caller holds the store's lock. */
int layer_take(const char *root, tar_source src, void *ctx, bool keep,
	       struct layer_in *out);

/* --- the archive load reads (loadarchive.c) --- */

/* One file of the archive: where its bytes are in fd. */
struct arc_entry {
	char *name;           /* "./" and a trailing "/" taken off */
	char *link;           /* a symlink's target (docker's older saves
				 link a layer.tar shared by two images) */
	char type;
	uint64_t off, size;
};

struct arc {
	int fd;               /* seekable: the file, or stdin spooled */
	struct arc_entry *e;
	int n;
};

/* Opens the archive (file, or NULL: stdin, copied into the store's tmp/
 * when it cannot seek) and lists its entries. Returns 0, or -1 after one
 * line (not a tar, truncated). */
int arc_open(struct arc *a, const char *file, const char *root);
void arc_close(struct arc *a);
/* The entry called name (symlinks inside the archive followed), or NULL. */
struct arc_entry *arc_find(struct arc *a, const char *name);
/* Its bytes, malloc'd and NUL-terminated (at most 16 MiB: a JSON file),
 * with their digest ("sha256:..") into digest if not NULL. NULL after
 * one line. */
char *arc_read(struct arc *a, struct arc_entry *e, char digest[72]);

/* --- what load is to store (loadplan.c) --- */

#define LOAD_MAX 16 /* images in one archive, tags of one image */

/* One image of the archive, found and checked, not yet in the store. */
struct plan {
	char *config;
	size_t config_len;
	int n_layers;
	struct arc_entry *layer[IMAGE_MAX_LAYERS];
	char digest[IMAGE_MAX_LAYERS][72]; /* the blob's, or "" (older saves
					      name a layer by no digest) */
	int n_tags;
	char tag[LOAD_MAX][256];
};

/* "sha256:" and 64 lowercase hex digits. */
bool plan_is_digest(const char *d);
/* The images of an archive in the Docker 25+ layout (index), into plans
 * (*n of them). Returns 0, or -1 after one line. */
int plan_oci(struct arc *a, const char *index, struct plan *plans, int *n);
/* The same from manifest.json (mf); oci: only add its RepoTags to the
 * plans of the same config that have no name. 0, or -1 after one line. */
int plan_docker(struct arc *a, const char *mf, struct plan *plans, int *n,
		bool oci);

/* A tar_sink that hashes (and counts) what goes through it. */
struct hash_sink {
	struct sha256 sum;
	uint64_t bytes;
};
int hash_sink(void *ctx, const void *buf, size_t n);

#endif
