/*
 * 10-full/save.h - inside save: the archive being written, shared by
 * save.c (the verb, index.json, manifest.json) and saveblob.c (each
 * image's blobs).
 *
 * Read: the OCI image spec, descriptor.md
 */
#ifndef SAVE_H
#define SAVE_H

#include "image.h"
#include "tar.h"

#include <stdint.h>
#include <stdio.h>

#define MAX_IMAGES 16

/* A blob written: what a manifest says of it. */
struct desc {
	char layer[17];      /* the store's name of the layer */
	char media[64];
	char digest[72];
	uint64_t size;
};

struct save {
	struct tar_writer w;
	const char *root;
	struct desc done[MAX_IMAGES * IMAGE_MAX_LAYERS];
	int n_done;          /* blobs already in the archive (shared layers) */
	char buf[1 << 17];
};

/* A tar header of the archive: a file ('0') or a dir ('5') of size
 * bytes, mode 0644/0755, owner root, time 0 (saving twice gives the same
 * bytes). Returns 0 or -1. */
int save_header(struct save *s, const char *name, uint64_t size, char type);

/* One image into the archive: its layers (each blob once), its config,
 * its manifest; its entries of index.json and of manifest.json written to
 * index and manifest. Returns 0, or -1 after one line. */
int save_image(struct save *s, const struct image *img, FILE *index,
	       FILE *manifest);

#endif
