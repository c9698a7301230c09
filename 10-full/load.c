/*
 * 10-full/load.c - `container load [-i FILE]`: the tar docker save
 * writes, in either of its layouts, into the image store.
 *
 *   docker save alpine:3.20 -o alpine.tar          (on any machine)
 *   container load -i alpine.tar && container run -it alpine:3.20 sh
 *
 * Claim: both layouts load: the OCI layout of Docker 25+ (index.json,
 *        blobs/sha256; gzip'd layers; an index of several platforms, of
 *        which only this machine's has its blobs in the archive) and the
 *        older one (manifest.json, <id>.json, <id>/layer.tar). Every
 *        digest is checked (index -> manifest -> config and layer blobs,
 *        and each layer's DiffID); a missing blob, a digest that does
 *        not match, a zstd layer or a bad layer entry exits 125 with one
 *        line, and no image, no layer is left of it.
 *        (tested in tests/10-full-save.bats)
 * Uses:  loadarchive.c (the archive), loadplan.c (its JSON), layerio.c
 *        (each layer), image.h (the store)
 * Read:  docker-load(1); the OCI image spec, image-layout.md,
 *        image-index.md ("platform"), manifest.md, descriptor.md
 */
#include "archive.h"
#include "image.h"
#include "imagestore.h"
#include "imageconfig.h"
#include "json.h"
#include "state.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Unpacks every layer of p into tmp/, checks each against its digests,
 * then (all good) moves them into layers/ and adds the image. Returns 0,
 * or -1 after one line, with nothing of p left in the store. */
static int store(const char *root, struct arc *a, struct plan *p)
{
	static struct layer_in in[IMAGE_MAX_LAYERS];
	const char *ids;
	char diff_id[72], parent[17] = "", layer[17], id[72];
	int i, made = 0, ret = -1;

	/* The config is anyone's: JSON, whole, or no image (a config cut
	 * off would read as one with no Cmd, no Env: jsoncheck.c). */
	if (!json_valid(p->config, p->config_len) ||
	    p->config[strspn(p->config, " \t\r\n")] != '{') {
		warnx("load: the image's config is not a JSON object: the "
		      "archive is damaged");
		return -1;
	}
	ids = json_get(json_get(p->config, "rootfs"), "diff_ids");
	for (i = 0; json_index(ids, i); i++)
		;
	if (i != p->n_layers || i == 0) {
		warnx("load: the config lists %d layers, the manifest %d", i,
		      p->n_layers);
		return -1;
	}
	for (i = 0; i < p->n_layers; i++, made++) {
		struct region reg = {a->fd, p->layer[i]->off,
				     p->layer[i]->size};

		if (json_get_string(json_index(ids, i), diff_id, 72) < 0 ||
		    !plan_is_digest(diff_id)) {
			warnx("load: the config has a bad diff_id");
			goto out;
		}
		if (layer_take(root, region_read, &reg, true, &in[i]) < 0)
			goto out; /* it said why, naming the entry */
		if ((p->digest[i][0] && strcmp(in[i].digest, p->digest[i])) ||
		    strcmp(in[i].diff_id, diff_id)) {
			warnx(
			    "load: layer %d (%s): its digest is %s, its DiffID "
			    "%s; the archive says %s and %s: damaged, no image "
			    "loaded",
			    i + 1, p->layer[i]->name, in[i].digest,
			    in[i].diff_id, p->digest[i][0] ? p->digest[i] : "-",
			    diff_id);
			made++;
			goto out;
		}
	}
	/* All checked: now into the store, bottom first. */
	for (i = 0; i < p->n_layers; i++) {
		json_get_string(json_index(ids, i), diff_id, 72);
		if (image_layer_commit(root, in[i].path, parent, diff_id,
				       layer) < 0)
			goto out;
		in[i].path[0] = '\0';
		memcpy(parent, layer, 17);
	}
	for (i = 0; i < (p->n_tags ? p->n_tags : 1); i++)
		if (image_add(root, p->config, p->config_len,
			      p->n_tags ? p->tag[i] : NULL, id) < 0)
			goto out;
	for (i = 0; i < p->n_tags; i++)
		printf("Loaded image: %s\n", p->tag[i]);
	if (!p->n_tags)
		printf("Loaded image ID: %s\n", id);
	ret = 0;
out:
	for (i = 0; i < made; i++)
		if (in[i].path[0])
			state_remove_tree(AT_FDCWD, in[i].path);
	return ret;
}

static const char usage[] =
    "Usage: container load [-i FILE]\n"
    "Load images from a tar that docker save wrote (FILE, or stdin).\n";

int cmd_load(int argc, char **argv)
{
	static struct plan plans[LOAD_MAX];
	const char *file = NULL;
	struct state st = {0};
	struct arc a = {.fd = -1};
	struct arc_entry *e;
	char *index = NULL, *mf = NULL;
	int n = 0, i, lock = -1, ret = EXIT_FAILED;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if ((!strcmp(argv[i], "-i") ||
			    !strcmp(argv[i], "--input")) &&
			   i + 1 < argc) {
			file = argv[++i];
		} else if (!strncmp(argv[i], "--input=", 8) && argv[i][8]) {
			file = argv[i] + 8;
		} else if (!strncmp(argv[i], "-i", 2) && argv[i][2]) {
			file = argv[i] + 2; /* -iFILE, as getopt takes it */
		} else if (argv[i][0] == '-') {
			return verb_bad_option(argv, argv[i],
					       !strcmp(argv[i], "-i") ||
						       !strcmp(argv[i], "--input"));
		} else {
			fputs(usage, stderr);
			return EXIT_FAILED;
		}
	}
	if (!file && isatty(0)) {
		warnx("load: stdin is a terminal: give -i FILE, or redirect "
		      "stdin");
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || (lock = image_lock(st.root)) < 0 ||
	    arc_open(&a, file, st.root) < 0)
		goto out;
	if ((e = arc_find(&a, "manifest.json")) &&
	    !(mf = arc_read(&a, e, NULL)))
		goto out;
	if ((e = arc_find(&a, "index.json"))) {
		if (!(index = arc_read(&a, e, NULL)) ||
		    plan_oci(&a, index, plans, &n) < 0 ||
		    (mf && plan_docker(&a, mf, plans, &n, true) < 0))
			goto out;
	} else if (mf) {
		if (plan_docker(&a, mf, plans, &n, false) < 0)
			goto out;
	} else {
		warnx(
		    "load: %s has no index.json and no manifest.json: not what "
		    "docker save writes",
		    file ? file : "stdin");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (store(st.root, &a, &plans[i]) < 0)
			goto out;
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(plans[i].config);
	free(index), free(mf);
	arc_close(&a);
	if (lock >= 0)
		close(lock);
	return ret;
}
