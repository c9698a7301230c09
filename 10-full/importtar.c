/*
 * 10-full/importtar.c - `container import TARFILE NAME[:TAG]`: a plain
 * tar (or a gzip'd one; "-": stdin) becomes a one-layer image, as
 * docker import makes one. (import DIR is import.c's.)
 *
 *   tar -C build/rootfs -cf rootfs.tar . && container import rootfs.tar base
 *
 * Claim: the tar's entries are checked as a layer's are (layer_unpack:
 *        nothing outside the layer), and the layer's DiffID is that of
 *        the tar layer_pack writes of the tree, not of the tar given:
 *        import of the same tree by DIR and by TARFILE gives one layer.
 *        (tested in tests/10-full-save.bats)
 * Uses:  layerio.c, layer_pack.c, imageconfig.c, image.h (the store)
 * Read:  docker-import(1)
 */
#include "archive.h"
#include "image.h"
#include "imageconfig.h"
#include "layertar.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	ssize_t got = read(*(int *)ctx, buf, n);

	if (got < 0)
		warn("read");
	return got;
}

/* The DiffID of the layer at path (its diff/), as layer_pack writes it. */
static int canonical_diff_id(const char *path, char diff_id[72])
{
	char dir[PATH_MAX + 8], hex[65];
	struct hash_sink h = {0};
	int fd, ret;

	snprintf(dir, sizeof(dir), "%s/diff", path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", dir);
		return -1;
	}
	sha256_init(&h.sum);
	ret = layer_pack(fd, NULL, hash_sink, &h);
	close(fd);
	sha256_hex(&h.sum, hex);
	snprintf(diff_id, 72, "sha256:%s", hex);
	return ret;
}

int import_tarfile(const char *file, const char *tag)
{
	char by[PATH_MAX + 32], layer[17], id[72], *config = NULL;
	struct layer_in in = {0};
	struct state st = {0};
	int fd, lock = -1, ret = EXIT_FAILED;
	size_t len;

	fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		warn("%s", file);
		return EXIT_FAILED;
	}
	snprintf(by, sizeof(by), "container import %s", file);
	if (verb_open(&st) < 0 || (lock = image_lock(st.root)) < 0 ||
	    layer_take(st.root, fd_read, &fd, false, &in) < 0)
		goto out;
	if (canonical_diff_id(in.path, in.diff_id) < 0 ||
	    image_layer_commit(st.root, in.path, "", in.diff_id, layer) < 0 ||
	    !(config = imageconfig_new(in.diff_id, by, &len)) ||
	    image_add(st.root, config, len, tag, id) < 0)
		goto out;
	printf("%s\n", id);
	ret = 0;
out:
	/* The layer unpacked into tmp/ and not moved into the store (its
	 * id refused, or too deep): not left for the next verb to clear. */
	if (ret != 0 && in.path[0] && access(in.path, F_OK) == 0)
		state_remove_tree(AT_FDCWD, in.path);
	free(config);
	if (lock >= 0)
		close(lock);
	if (fd > 0)
		close(fd);
	return ret;
}
