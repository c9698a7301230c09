/*
 * 10-full/saveblob.c - an image's blobs in the archive save writes:
 * each layer once, its config, its manifest.
 *
 * Claim: a layer that load brought is written as the blob it came as
 *        (its digest, compressed or not, is the original's); a layer
 *        made here is packed again by layer_pack, to the bytes its DiffID
 *        names; a layer shared by two images saved together is written
 *        once. (tested in tests/10-full-save.bats)
 * Uses:  layer_pack.c, tar_write.c, json.c, image.h (the store)
 * Read:  the OCI image spec, manifest.md, descriptor.md
 *
 * A tar header states its entry's size before the bytes, and a blob is
 * named by its digest: a layer packed here is named by its DiffID from
 * the config, sized by what commit or import counted when they hashed
 * it (layer.json's tar_size; a layer of an older store: by a walk of
 * its metadata, layer_pack_size), then packed straight into the archive.
 */
#include "archive.h"
#include "imagestore.h"
#include "json.h"
#include "layertar.h"
#include "save.h"

#include <err.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int save_header(struct save *s, const char *name, uint64_t size, char type)
{
	struct tar_entry e = {.type = type,
			      .name = (char *)name,
			      .mode = type == '5' ? 0755 : 0644,
			      .size = size};

	return tar_write_header(&s->w, &e);
}

static int blob_bytes(struct save *s, const char *digest, const void *p,
		      size_t n)
{
	char name[96];

	snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
	return save_header(s, name, n, '0') < 0 ? -1
						: tar_write_data(&s->w, p, n);
}

/* The layer's own blob, kept by load: written back as it came. */
static int kept_blob(struct save *s, const char *layer, struct desc *d)
{
	char path[PATH_MAX], name[96], *json;
	struct stat st;
	size_t len;
	ssize_t got;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "%s/images/layers/%s/" BLOB_JSON, s->root,
		 layer);
	if (imagestore_slurp(path, &json, &len) < 0)
		return 1; /* none: packed again */
	if (json_get_string(json_get(json, "digest"), d->digest, 72) < 0 ||
	    json_get_string(json_get(json, "mediaType"), d->media, 64) < 0) {
		warnx("%s: not what load writes", path);
		free(json);
		return -1;
	}
	free(json);
	snprintf(path, sizeof(path), "%s/images/layers/%s/" BLOB_FILE, s->root,
		 layer);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		warn("%s", path);
		goto out;
	}
	d->size = st.st_size;
	snprintf(name, sizeof(name), "blobs/sha256/%s", d->digest + 7);
	if (save_header(s, name, d->size, '0') < 0)
		goto out;
	while ((got = read(fd, s->buf, sizeof(s->buf))) > 0)
		if (tar_write_data(&s->w, s->buf, got) < 0)
			goto out;
	ret = got < 0 ? -1 : 0;
	if (got < 0)
		warn("%s", path);
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

/* layer_pack's bytes go into the archive's entry. */
static int into_entry(void *ctx, const void *buf, size_t n)
{
	struct save *s = ctx;

	return tar_write_data(&s->w, buf, n);
}

/* A layer made here: packed again, under its DiffID. Not hashed again
 * (that would cost more than the packing: the sha256 of every byte): the
 * tree of a layer does not change, and load checks every digest. If it
 * had changed in size, the writer says so (an entry longer or shorter
 * than its header). */
static int packed_layer(struct save *s, const char *layer, const char *diff_id,
			struct desc *d)
{
	char path[PATH_MAX], name[96];
	long long size;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "%s/images/layers/%s/diff", s->root,
		 layer);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", path);
		return -1;
	}
	snprintf(d->media, sizeof(d->media),
		 "application/vnd.oci.image.layer.v1.tar");
	snprintf(d->digest, sizeof(d->digest), "%s", diff_id);
	snprintf(name, sizeof(name), "blobs/sha256/%s", diff_id + 7);
	/* Its size as commit or import counted it; a layer of an older
	 * store has none: a walk of its metadata finds it. */
	size = image_layer_tar_size(s->root, layer);
	if (size >= 0)
		d->size = size;
	if ((size >= 0 || layer_pack_size(fd, NULL, &d->size) == 0) &&
	    save_header(s, name, d->size, '0') == 0 &&
	    layer_pack(fd, NULL, into_entry, s) == 0)
		ret = 0;
	close(fd);
	return ret;
}

/* "alpine:3.20" as containerd names it: "docker.io/library/alpine:3.20". */
static void full_name(const char *name, char *out, size_t size)
{
	const char *slash = strchr(name, '/');
	bool host = slash && (memchr(name, '.', slash - name) ||
			      memchr(name, ':', slash - name));

	snprintf(out, size, "%s%s%s", host ? "" : "docker.io/",
		 slash ? "" : "library/", name);
}

/* One image: its layers (each blob once in the archive), its config,
 * its manifest; its lines of index.json and manifest.json. */
int save_image(struct save *s, const struct image *img, FILE *index,
	       FILE *manifest)
{
	const char *ids = json_get(json_get(img->config, "rootfs"), "diff_ids");
	struct desc *layers[IMAGE_MAX_LAYERS];
	char diff_id[72], mdigest[72], arch[32] = "amd64", os[32] = "linux";
	char *man = NULL, full[300];
	size_t man_len = 0;
	FILE *m;
	int i, j, r, ret = -1;

	for (i = 0; i < img->n_layers; i++) {
		for (j = 0;
		     j < s->n_done && strcmp(s->done[j].layer, img->layers[i]);
		     j++)
			;
		layers[i] = &s->done[j];
		if (j < s->n_done)
			continue; /* shared with an image saved before */
		if (json_get_string(json_index(ids, i), diff_id, 72) < 0)
			return -1;
		r = kept_blob(s, img->layers[i], layers[i]);
		if (r == 1)
			r = packed_layer(s, img->layers[i], diff_id, layers[i]);
		if (r < 0)
			return -1;
		snprintf(layers[i]->layer, 17, "%s", img->layers[i]);
		s->n_done++;
	}
	if (blob_bytes(s, img->id, img->config, img->config_len) < 0)
		return -1;
	if (!(m = open_memstream(&man, &man_len)))
		return -1;
	fprintf(m,
		"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci."
		"image.manifest.v1+json\",\"config\":{\"mediaType\":\"appli"
		"cation/vnd.oci.image.config.v1+json\",\"digest\":\"%s\","
		"\"size\":%zu},\"layers\":[",
		img->id, img->config_len);
	for (i = 0; i < img->n_layers; i++)
		fprintf(m,
			"%s{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":"
			"%llu}",
			i ? "," : "", layers[i]->media, layers[i]->digest,
			(unsigned long long)layers[i]->size);
	fprintf(m, "]}");
	if (fclose(m) != 0)
		goto out;
	imagestore_digest(man, man_len, mdigest);
	if (blob_bytes(s, mdigest, man, man_len) < 0)
		goto out;
	json_get_string(json_get(img->config, "architecture"), arch,
			sizeof(arch));
	json_get_string(json_get(img->config, "os"), os, sizeof(os));
	fprintf(index,
		"%s{\"mediaType\":\"application/vnd.oci.image.manifest."
		"v1+json\",\"digest\":\"%s\",\"size\":%zu,",
		ftell(index) > 1 ? "," : "", mdigest, man_len);
	if (img->name[0]) {
		full_name(img->name, full, sizeof(full));
		fprintf(index,
			"\"annotations\":{\"io.containerd.image.name\":");
		json_string(index, full);
		fprintf(index, ",\"org.opencontainers.image.ref.name\":");
		json_string(index, strrchr(img->name, ':') + 1);
		fprintf(index, "},");
	}
	fprintf(index, "\"platform\":{\"architecture\":");
	json_string(index, arch);
	fprintf(index, ",\"os\":");
	json_string(index, os);
	fprintf(index, "}}");
	fprintf(manifest, "%s{\"Config\":\"blobs/sha256/%s\",\"RepoTags\":[",
		ftell(manifest) > 1 ? "," : "", img->id + 7);
	if (img->name[0])
		json_string(manifest, img->name);
	fprintf(manifest, "],\"Layers\":[");
	for (i = 0; i < img->n_layers; i++)
		fprintf(manifest, "%s\"blobs/sha256/%s\"", i ? "," : "",
			layers[i]->digest + 7);
	fprintf(manifest, "]}");
	ret = 0;
out:
	free(man);
	return ret;
}
