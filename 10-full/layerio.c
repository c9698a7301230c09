/*
 * 10-full/layerio.c - a layer blob from an archive into the store, its
 * digests taken on the way.
 *
 * Claim: a layer is unpacked in one pass over its bytes, plain or gzip'd,
 *        while the sha256 of the blob and of the uncompressed tar (its
 *        DiffID) are computed; a zstd blob is refused with a line that
 *        says what to do; more than 1 MiB after a gzip'd tar's end (a
 *        compressed bomb) is refused; on any failure the tmp layer is
 *        removed.  (tested in tests/10-full-save.bats)
 * Uses:  inflate.c, layer_unpack.c, sha256.c, image.h (the store)
 * Read:  the OCI image spec, layer.md ("Distributable Format": the
 *        media types, and why the DiffID is of the uncompressed tar)
 */
#include "archive.h"
#include "image.h"
#include "imagestore.h"
#include "inflate.h"
#include "layertar.h"
#include "state.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t region_read(void *ctx, void *buf, size_t n)
{
	struct region *r = ctx;
	ssize_t got;

	if (n > r->left)
		n = r->left;
	if (!n)
		return 0;
	do
		got = pread(r->fd, buf, n, r->off);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		warn("read");
	if (got > 0)
		r->off += got, r->left -= got;
	return got;
}

int hash_sink(void *ctx, const void *buf, size_t n)
{
	struct hash_sink *h = ctx;

	sha256_update(&h->sum, buf, n);
	h->bytes += n;
	return 0;
}

/* A source that hashes what it passes on (and keeps a copy in fd, if
 * not -1); its first bytes can be looked at before anyone reads them. */
struct tee {
	tar_source src;
	void *ctx;
	struct sha256 sum;
	uint64_t bytes;
	int keep;
	unsigned char head[4];
	size_t head_len, head_pos;
};

static ssize_t tee_read(void *ctx, void *buf, size_t n)
{
	struct tee *t = ctx;
	ssize_t got;

	if (t->head_pos < t->head_len) {
		got = t->head_len - t->head_pos < n ? t->head_len - t->head_pos
						    : n;
		memcpy(buf, t->head + t->head_pos, got);
		t->head_pos += got;
		return got;
	}
	got = t->src(t->ctx, buf, n);
	if (got <= 0)
		return got;
	sha256_update(&t->sum, buf, got);
	t->bytes += got;
	if (t->keep >= 0 && tar_sink_fd(&t->keep, buf, got) < 0)
		return -1;
	return got;
}

static void tee_init(struct tee *t, tar_source src, void *ctx, int keep)
{
	memset(t, 0, sizeof(*t));
	t->src = src;
	t->ctx = ctx;
	t->keep = keep;
	sha256_init(&t->sum);
}

/* Reads the first bytes (up to 4) through the tee and holds them back. */
static int tee_peek(struct tee *t)
{
	while (t->head_len < sizeof(t->head)) {
		ssize_t got = tee_read(t, t->head + t->head_len,
				       sizeof(t->head) - t->head_len);

		if (got < 0)
			return -1;
		if (got == 0)
			break;
		t->head_len += got;
	}
	return 0;
}

/* What may follow a tar's end blocks: GNU tar pads to its 10 KiB record,
 * Go's archive/tar (docker's) writes none. */
#define AFTER_END_MAX (1 << 20)

/* Reads what is left (the zero blocks after the end, gzip's trailer)
 * so that the digests cover every byte; at most max bytes of it. A gzip
 * stream holds up to ~1000 times its size in zeros: 2 MB after the end
 * were 2 GiB to inflate and hash (a fuzzer's bomb). */
static int drain(tar_source src, void *ctx, uint64_t max)
{
	static char buf[1 << 16];
	uint64_t total = 0;
	ssize_t got;

	while ((got = src(ctx, buf, sizeof(buf))) > 0)
		if ((total += got) > max) {
			warnx("layer: more than %llu bytes after the tar's end "
			      "(a compressed bomb?)",
			      (unsigned long long)max);
			return -1;
		}
	return got < 0 ? -1 : 0;
}

static void hex_digest(struct sha256 *s, char out[72])
{
	char hex[65];

	sha256_hex(s, hex);
	snprintf(out, 72, "sha256:%s", hex);
}

int layer_take(const char *root, tar_source src, void *ctx, bool keep,
	       struct layer_in *out)
{
	static struct tar_reader r;
	struct tee raw, plain;
	struct inflate *z = NULL;
	char file[PATH_MAX + 16];
	int dir, diff = -1, kept = -1, ret = -1;

	dir = image_layer_begin(root, out->path);
	if (dir < 0)
		return -1;
	if (mkdirat(dir, "diff", 0755) < 0 ||
	    (diff = openat(dir, "diff", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
		0) {
		warn("%s/diff", out->path);
		goto out;
	}
	if (keep && (kept = openat(dir, BLOB_FILE,
				   O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
				   0444)) < 0) {
		warn("%s/" BLOB_FILE, out->path);
		goto out;
	}
	tee_init(&raw, src, ctx, kept);
	if (tee_peek(&raw) < 0)
		goto out;
	if (raw.head_len == 4 && memcmp(raw.head, ZSTD_MAGIC, 4) == 0) {
		warnx("a zstd-compressed layer: not supported here (save the "
		      "image with gzip layers, or plain ones: docker save of "
		      "an image pulled with the classic image store)");
		goto out;
	}
	out->gzip = raw.head_len >= 2 && memcmp(raw.head, GZIP_MAGIC, 2) == 0;
	if (out->gzip) {
		if (!(z = inflate_new(tee_read, &raw)))
			goto out;
		tee_init(&plain, inflate_read, z, -1);
	}
	tar_reader_init(&r, tee_read, out->gzip ? (void *)&plain : (void *)&raw,
			-1);
	if (layer_unpack_tar(&r, diff, imagestore_rootless()) < 0 ||
	    (out->gzip && drain(tee_read, &plain, AFTER_END_MAX) < 0) ||
	    drain(tee_read, &raw, UINT64_MAX) < 0)
		goto out;
	hex_digest(&raw.sum, out->digest);
	out->size = raw.bytes;
	if (out->gzip)
		hex_digest(&plain.sum, out->diff_id);
	else
		memcpy(out->diff_id, out->digest, 72);
	ret = 0;
out:
	tar_reader_free(&r);
	inflate_free(z);
	if (kept >= 0 && close(kept) < 0 && ret == 0) {
		warn("%s/" BLOB_FILE, out->path);
		ret = -1;
	}
	if (diff >= 0)
		close(diff);
	close(dir);
	if (ret == 0 && keep) {
		FILE *f;

		snprintf(file, sizeof(file), "%s/" BLOB_JSON, out->path);
		f = fopen(file, "we");
		if (!f ||
		    fprintf(f,
			    "{\"digest\": \"%s\", \"mediaType\": "
			    "\"application/vnd.oci.image.layer.v1.tar%s\"}\n",
			    out->digest, out->gzip ? "+gzip" : "") < 0 ||
		    fclose(f) != 0) {
			warn("%s", file);
			ret = -1;
		}
	}
	if (ret < 0)
		state_remove_tree(AT_FDCWD, out->path);
	return ret;
}
