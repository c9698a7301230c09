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
 * Uses:  loadarchive.c, layerio.c, imageconfig.c (the machine's arch),
 *        image.h (the store)
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

#define MAX_TAGS 16

/* One image of the archive, found and checked, not yet in the store. */
struct plan {
	char *config;
	size_t config_len;
	int n_layers;
	struct arc_entry *layer[IMAGE_MAX_LAYERS];
	char digest[IMAGE_MAX_LAYERS][72]; /* the blob's, or "" (older saves
					      name a layer by no digest) */
	int n_tags;
	char tag[MAX_TAGS][256];
};

static bool is_digest(const char *d)
{
	return strlen(d) == 71 && !strncmp(d, "sha256:", 7) &&
	       strspn(d + 7, "0123456789abcdef") == 64;
}

/* The blob a descriptor ({"mediaType","digest","size"}) names, read and
 * checked. Returns malloc'd bytes, or NULL after one line. */
static char *read_desc(struct arc *a, const char *desc, size_t *len)
{
	char digest[72], got[72], name[96], *p;
	struct arc_entry *e;

	if (json_get_string(json_get(desc, "digest"), digest, 72) < 0 ||
	    !is_digest(digest)) {
		warnx("load: a descriptor with no sha256 digest");
		return NULL;
	}
	snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
	if (!(e = arc_find(a, name))) {
		warnx("load: the archive names %s, which is not in it", name);
		return NULL;
	}
	if (!(p = arc_read(a, e, got)))
		return NULL;
	if (strcmp(got, digest) != 0 ||
	    (json_get(desc, "size") &&
	     json_get_int(json_get(desc, "size"), -1) != (long long)e->size)) {
		warnx("load: %s: its sha256 is %s (or its size is wrong): "
		      "the archive is damaged", name, got);
		free(p);
		return NULL;
	}
	*len = e->size;
	return p;
}

/* "docker.io/library/alpine:3.20" -> "alpine:3.20", as docker shows it. */
static void add_tag(struct plan *p, const char *name)
{
	char tag[256];

	if (!strncmp(name, "docker.io/", 10))
		name += 10;
	if (!strncmp(name, "library/", 8))
		name += 8;
	if (p->n_tags == MAX_TAGS || strchr(name, '@') ||
	    image_tag_parse(name, tag, sizeof(tag)) < 0)
		return;
	for (int i = 0; i < p->n_tags; i++)
		if (!strcmp(p->tag[i], tag))
			return;
	snprintf(p->tag[p->n_tags++], 256, "%s", tag);
}

/* The config and layers of a manifest (OCI or docker's schema 2). */
static int plan_manifest(struct arc *a, const char *man, struct plan *p)
{
	const char *l;
	char name[96];

	if (!(p->config = read_desc(a, json_get(man, "config"), &p->config_len)))
		return -1;
	for (int i = 0; (l = json_index(json_get(man, "layers"), i)); i++) {
		if (i == IMAGE_MAX_LAYERS) {
			warnx("load: more than %d layers", IMAGE_MAX_LAYERS);
			return -1;
		}
		if (json_get_string(json_get(l, "digest"), p->digest[i], 72) < 0 ||
		    !is_digest(p->digest[i])) {
			warnx("load: a layer with no sha256 digest");
			return -1;
		}
		snprintf(name, sizeof(name), "blobs/sha256/%s", p->digest[i] + 7);
		if (!(p->layer[i] = arc_find(a, name))) {
			warnx("load: the manifest names the layer %s, which is "
			      "not in the archive", name);
			return -1;
		}
		p->n_layers = i + 1;
	}
	return 0;
}

/* The manifest for this machine that desc names: desc's blob if it is
 * a manifest; if it is an index (several platforms), the entry for
 * linux and this machine's arch, whose blobs are the ones the archive
 * holds. Returns the malloc'd manifest, or NULL after one line. */
static char *resolve(struct arc *a, const char *desc, int depth)
{
	char *blob, *found = NULL, os[32], arch[32], seen[256] = "";
	const char *m, *plat;
	size_t len;

	if (!(blob = read_desc(a, desc, &len)))
		return NULL;
	if (!json_get(blob, "manifests"))
		return blob;
	for (int i = 0; depth < 4 && (m = json_index(json_get(blob, "manifests"), i));
	     i++) {
		plat = json_get(m, "platform");
		if (json_get_string(json_get(plat, "os"), os, 32) < 0 ||
		    json_get_string(json_get(plat, "architecture"), arch, 32) < 0)
			continue;
		if (strcmp(os, "linux") || strcmp(arch, imageconfig_arch())) {
			/* (not naming "unknown/unknown": docker's attestations) */
			if (strlen(seen) < 200 && strcmp(os, "unknown"))
				snprintf(seen + strlen(seen), 256 - strlen(seen),
					 "%s%s/%s", *seen ? ", " : "", os, arch);
			continue;
		}
		found = resolve(a, m, depth + 1);
		free(blob);
		return found; /* (NULL: it said why) */
	}
	if (!*seen)
		warnx("load: an index with no image for linux/%s in it",
		      imageconfig_arch());
	else
		warnx("load: no image for linux/%s in the archive (it has: %s)",
		      imageconfig_arch(), seen);
	free(blob);
	return found;
}

/* Docker 25+: index.json, each of its entries an image (named by its
 * annotations), for one platform or an index of several. */
static int plan_oci(struct arc *a, const char *index, struct plan *plans,
		    int *n)
{
	char name[300], os[32], arch[32];
	const char *m, *ann, *plat;
	char *man;

	for (int i = 0; (m = json_index(json_get(index, "manifests"), i)); i++) {
		plat = json_get(m, "platform");
		if (plat && json_get_string(json_get(plat, "os"), os, 32) == 0 &&
		    json_get_string(json_get(plat, "architecture"), arch, 32) == 0 &&
		    (strcmp(os, "linux") || strcmp(arch, imageconfig_arch())))
			continue; /* another machine's image */
		if (*n == MAX_TAGS) {
			warnx("load: more than %d images in one archive", MAX_TAGS);
			return -1;
		}
		struct plan *p = &plans[(*n)++];

		if (!(man = resolve(a, m, 0)))
			return -1;
		ann = json_get(m, "annotations");
		if (json_get_string(json_get(ann, "io.containerd.image.name"),
				    name, sizeof(name)) == 0 ||
		    (json_get_string(json_get(ann, "org.opencontainers.image."
						   "ref.name"), name,
				     sizeof(name)) == 0 &&
		     strpbrk(name, ":/")))
			add_tag(p, name);
		if (plan_manifest(a, man, p) < 0) {
			free(man);
			return -1;
		}
		free(man);
	}
	if (*n == 0) {
		warnx("load: no image for linux/%s in the archive",
		      imageconfig_arch());
		return -1;
	}
	return 0;
}

/* Older docker saves: manifest.json, [{"Config","RepoTags","Layers"}];
 * the config named by its digest ("<hex>.json", or blobs/sha256/<hex>),
 * a layer by its digest (blobs/) or by a v1 id (<id>/layer.tar). Also
 * the names of an OCI image with no annotations. */
static int plan_docker(struct arc *a, const char *mf, struct plan *plans,
		       int *n, bool oci)
{
	char name[PATH_MAX], want[72], got[72];
	const char *m, *t, *base;
	struct arc_entry *e;

	for (int i = 0; (m = json_index(mf, i)); i++) {
		struct plan *p = oci ? NULL : &plans[*n];

		if (json_get_string(json_get(m, "Config"), name, sizeof(name)) < 0 ||
		    !(e = arc_find(a, name))) {
			warnx("load: manifest.json names a config that is not "
			      "in the archive");
			return -1;
		}
		base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
		snprintf(want, sizeof(want), "sha256:%.64s", base);
		if (oci) {
			/* Only its names, for the OCI image of that config. */
			for (int k = 0; k < *n; k++) {
				imagestore_digest(plans[k].config,
						  plans[k].config_len, got);
				if (plans[k].n_tags || strcmp(got, want))
					continue;
				for (int j = 0; (t = json_index(
					json_get(m, "RepoTags"), j)); j++)
					if (json_get_string(t, name, 256) == 0)
						add_tag(&plans[k], name);
			}
			continue;
		}
		if (*n == MAX_TAGS) {
			warnx("load: more than %d images in one archive", MAX_TAGS);
			return -1;
		}
		(*n)++;
		if (!(p->config = arc_read(a, e, got)))
			return -1;
		p->config_len = e->size;
		if (strcmp(got, want) != 0) {
			warnx("load: %s: its sha256 is %s: the archive is damaged",
			      name, got);
			return -1;
		}
		for (int j = 0; (t = json_index(json_get(m, "Layers"), j)); j++) {
			if (j == IMAGE_MAX_LAYERS ||
			    json_get_string(t, name, sizeof(name)) < 0) {
				warnx("load: a bad Layers list in manifest.json");
				return -1;
			}
			if (!(p->layer[j] = arc_find(a, name))) {
				warnx("load: manifest.json names the layer %s, "
				      "which is not in the archive", name);
				return -1;
			}
			p->digest[j][0] = '\0';
			if (!strncmp(name, "blobs/sha256/", 13))
				snprintf(p->digest[j], 72, "sha256:%.64s", name + 13);
			p->n_layers = j + 1;
		}
		for (int j = 0; (t = json_index(json_get(m, "RepoTags"), j)); j++)
			if (json_get_string(t, name, 256) == 0)
				add_tag(p, name);
	}
	return 0;
}

/* Unpacks every layer of p into tmp/, checks each against its digests,
 * then (all good) moves them into layers/ and adds the image. Returns 0,
 * or -1 after one line, with nothing of p left in the store. */
static int store(const char *root, struct arc *a, struct plan *p)
{
	static struct layer_in in[IMAGE_MAX_LAYERS];
	const char *ids = json_get(json_get(p->config, "rootfs"), "diff_ids");
	char diff_id[72], parent[17] = "", layer[17], id[72];
	int i, made = 0, ret = -1;

	for (i = 0; json_index(ids, i); i++)
		;
	if (i != p->n_layers || i == 0) {
		warnx("load: the config lists %d layers, the manifest %d", i,
		      p->n_layers);
		return -1;
	}
	for (i = 0; i < p->n_layers; i++, made++) {
		struct region reg = {a->fd, p->layer[i]->off, p->layer[i]->size};

		if (json_get_string(json_index(ids, i), diff_id, 72) < 0 ||
		    !is_digest(diff_id)) {
			warnx("load: the config has a bad diff_id");
			goto out;
		}
		if (layer_take(root, region_read, &reg, true, &in[i]) < 0)
			goto out; /* it said why, naming the entry */
		if ((p->digest[i][0] && strcmp(in[i].digest, p->digest[i])) ||
		    strcmp(in[i].diff_id, diff_id)) {
			warnx("load: layer %d (%s): its digest is %s, its DiffID "
			      "%s; the archive says %s and %s: damaged, no image "
			      "loaded", i + 1, p->layer[i]->name, in[i].digest,
			      in[i].diff_id, p->digest[i][0] ? p->digest[i] : "-",
			      diff_id);
			made++;
			goto out;
		}
	}
	/* All checked: now into the store, bottom first. */
	for (i = 0; i < p->n_layers; i++) {
		json_get_string(json_index(ids, i), diff_id, 72);
		if (image_layer_commit(root, in[i].path, parent, diff_id, layer) < 0)
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
	static struct plan plans[MAX_TAGS];
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
		} else if ((!strcmp(argv[i], "-i") || !strcmp(argv[i], "--input")) &&
			   i + 1 < argc) {
			file = argv[++i];
		} else {
			fputs(usage, stderr);
			return EXIT_FAILED;
		}
	}
	if (!file && isatty(0)) {
		warnx("load: stdin is a terminal: give -i FILE, or redirect stdin");
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || (lock = image_lock(st.root)) < 0 ||
	    arc_open(&a, file, st.root) < 0)
		goto out;
	if ((e = arc_find(&a, "manifest.json")) && !(mf = arc_read(&a, e, NULL)))
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
		warnx("load: %s has no index.json and no manifest.json: not what "
		      "docker save writes", file ? file : "stdin");
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
