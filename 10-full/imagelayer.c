/*
 * 10-full/imagelayer.c - a layer of the store: made in tmp/, named by
 * its ChainID, moved into layers/ whole; and a directory tree made into
 * one: copied, then named by the sha256 of its tar (its DiffID).
 *
 * Claim: a layer is under layers/ complete or not at all (made in tmp/,
 *        then one rename(2)); two images with the same bottom layers
 *        share those layer dirs; the DiffID of a layer made here is the
 *        sha256 of the tar that `save` writes of it (both come from
 *        layer_pack), and layer.json's tar_size that tar's size.
 *        (tested in tests/10-full-image.bats, tests/10-full-save.bats)
 * Uses:  treecopy.c, imagestore.c, layer_pack.c, sha256.c, state.c
 * Read:  the OCI image spec (config.md: "DiffID", "Layer ChainID"),
 *        rename(2), nftw(3)
 *
 * The copy comes first and the tar is made from the copy, not from the
 * source: a running container may still change its upper dir (unless it
 * is frozen), and what is hashed must be what is kept.
 */
#include "image.h"
#include "imagelayer.h"
#include "imagestore.h"
#include "json.h"
#include "layertar.h"
#include "sha256.h"
#include "state.h"

#include <err.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int image_layer_begin(const char *root, char *path)
{
	int fd;

	snprintf(path, PATH_MAX, "%s/images/tmp/layer.XXXXXX", root);
	if (!mkdtemp(path)) {
		warn("mkdtemp %s", path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		warn("%s", path);
	return fd;
}

/* The bytes of the regular files below a tree (nftw has no context
 * argument: a static, as the lock is held). */
static long long tree_bytes;

static int add_size(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	(void)path, (void)type, (void)ftw;
	if (S_ISREG(st->st_mode))
		tree_bytes += st->st_size;
	return 0;
}

/* Reads key of the layer.json of layer into out (size bytes). */
static int layer_field(const char *root, const char *layer, const char *key,
		       char *out, size_t size)
{
	char path[PATH_MAX], *text;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/images/layers/%s/layer.json", root,
		 layer);
	if (imagestore_slurp(path, &text, &len) < 0)
		return -1;
	ret = json_get_string(json_get(text, key), out, size);
	free(text);
	return ret;
}

static long long layer_int(const char *root, const char *layer,
			   const char *key)
{
	char path[PATH_MAX], *text;
	long long n;
	size_t len;

	snprintf(path, sizeof(path), "%s/images/layers/%s/layer.json", root,
		 layer);
	if (imagestore_slurp(path, &text, &len) < 0)
		return -1;
	n = json_get_int(json_get(text, key), -1);
	free(text);
	return n;
}

long long image_layer_size(const char *root, const char *layer)
{
	return layer_int(root, layer, "size");
}

long long image_layer_tar_size(const char *root, const char *layer)
{
	return layer_int(root, layer, "tar_size");
}

int image_layer_commit(const char *root, const char *path,
		       const char *parent, const char *diff_id, char out[17])
{
	return image_layer_commit_sized(root, path, parent, diff_id, -1, out);
}

int image_layer_commit_sized(const char *root, const char *path,
			     const char *parent, const char *diff_id,
			     long long tar_size, char out[17])
{
	char chain[72] = "", other[72] = "", dst[PATH_MAX], file[PATH_MAX];
	struct stat st;
	FILE *f;

	if (parent[0] &&
	    layer_field(root, parent, "chain_id", chain, sizeof(chain)) < 0) {
		warnx("layer %s: no such layer in the store", parent);
		return -1;
	}
	if (imagestore_chain(chain, diff_id, chain) < 0) {
		warnx("'%s' is no sha256 digest", diff_id);
		return -1;
	}
	memcpy(out, chain + 7, 16);
	out[16] = '\0';
	snprintf(dst, sizeof(dst), "%s/images/layers/%s", root, out);
	if (lstat(dst, &st) == 0) {
		/* Shared: the same diff_ids below give the same layer. */
		if (layer_field(root, out, "chain_id", other, 72) < 0 ||
		    strcmp(other, chain) != 0) {
			warnx("layer %s in the store is another layer than %s",
			      out, chain);
			return -1;
		}
		return state_remove_tree(AT_FDCWD, path);
	}
	snprintf(file, sizeof(file), "%s/diff", path);
	tree_bytes = 0;
	if (nftw(file, add_size, 32, FTW_PHYS) < 0) {
		warn("%s", file);
		return -1;
	}
	snprintf(file, sizeof(file), "%s/layer.json", path);
	if (!(f = fopen(file, "we"))) {
		warn("%s", file);
		return -1;
	}
	fprintf(f, "{\"chain_id\": \"%s\", \"diff_id\": \"%s\", "
		   "\"parent\": \"%s\", \"size\": %lld",
		chain, diff_id, parent, tree_bytes);
	if (tar_size >= 0)
		fprintf(f, ", \"tar_size\": %lld", tar_size);
	fputs("}\n", f);
	if (fclose(f) != 0) {
		warn("write %s", file);
		return -1;
	}
	/* Whole or not at all: the layer appears under layers/ at once. */
	if (rename(path, dst) < 0) {
		warn("rename %s to %s", path, dst);
		return -1;
	}
	return 0;
}


/* layer_pack's sink: every byte of the tar into the hash, counted. */
struct hashed {
	struct sha256 s;
	long long n;
};

static int hash_sink(void *ctx, const void *buf, size_t n)
{
	struct hashed *h = ctx;

	sha256_update(&h->s, buf, n);
	h->n += n;
	return 0;
}

int imagelayer_make(const char *root, int src, struct treecopy *tc,
		    const char *parent, char layer[17], char diff_id[72])
{
	char path[PATH_MAX], hex[65];
	struct hashed h = {.n = 0};
	int top, diff = -1, ret = -1;

	top = image_layer_begin(root, path);
	if (top < 0)
		return -1;
	if (mkdirat(top, "diff", 0700) < 0 ||
	    (diff = openat(top, "diff", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warn("%s/diff", path);
		goto out;
	}
	if (treecopy(src, diff, tc) < 0)
		goto out;
	sha256_init(&h.s);
	if (layer_pack(diff, NULL, hash_sink, &h) < 0)
		goto out;
	sha256_hex(&h.s, hex);
	snprintf(diff_id, 72, "sha256:%s", hex);
	ret = image_layer_commit_sized(root, path, parent, diff_id, h.n, layer);
out:
	if (diff >= 0)
		close(diff);
	close(top);
	/* Not left for the next verb to clear: a copy that failed on a
	 * full disk would keep the disk full until then. */
	if (ret < 0 && access(path, F_OK) == 0)
		state_remove_tree(AT_FDCWD, path);
	return ret;
}
