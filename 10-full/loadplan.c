/*
 * 10-full/loadplan.c - what `load` is to store, found in the archive's
 * JSON and checked before anything is unpacked: for each image, its
 * config (exact bytes) and its layer blobs, with the digests they must
 * have.
 *
 * Claim: the Docker 25+ layout (index.json -> manifest or image index ->
 *        manifest -> config, layers) and the older one (manifest.json)
 *        both give the same plan; each blob read is checked against the
 *        digest (and size) that names it; an image index gives the entry
 *        for linux and this machine's architecture, and an archive with
 *        only other machines' images is refused, naming them.
 *        (tested in tests/10-full-save.bats)
 * Uses:  loadarchive.c, json.c, imageconfig.c (the machine's arch)
 * Read:  the OCI image spec: image-layout.md, image-index.md
 *        ("platform"), manifest.md, descriptor.md; docker-save(1)
 */
#include "archive.h"
#include "image.h"
#include "imageconfig.h"
#include "imagestore.h"
#include "json.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool plan_is_digest(const char *d)
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
	    !plan_is_digest(digest)) {
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
		      "the archive is damaged",
		      name, got);
		free(p);
		return NULL;
	}
	*len = e->size;
	return p;
}

/* "docker.io/library/alpine:3.20" -> "alpine:3.20", as docker shows it.
 * Returns 0, or -1 after saying why: a name docker would not take stops
 * the load before anything is stored (it loaded untagged, and said 0). */
static int add_tag(struct plan *p, const char *name)
{
	char tag[256];

	if (!strncmp(name, "docker.io/", 10))
		name += 10;
	if (!strncmp(name, "library/", 8))
		name += 8;
	if (p->n_tags == LOAD_MAX || strchr(name, '@'))
		return 0; /* docker's RepoTags hold no digests */
	if (image_tag_parse(name, tag, sizeof(tag)) < 0)
		return -1;
	for (int i = 0; i < p->n_tags; i++)
		if (!strcmp(p->tag[i], tag))
			return 0;
	snprintf(p->tag[p->n_tags++], 256, "%s", tag);
	return 0;
}

/* The config and layers of a manifest (OCI or docker's schema 2). */
static int plan_manifest(struct arc *a, const char *man, struct plan *p)
{
	const char *l;
	char name[96];

	if (!(p->config =
		  read_desc(a, json_get(man, "config"), &p->config_len)))
		return -1;
	for (int i = 0; (l = json_index(json_get(man, "layers"), i)); i++) {
		if (i == IMAGE_MAX_LAYERS) {
			warnx("load: more than %d layers", IMAGE_MAX_LAYERS);
			return -1;
		}
		if (json_get_string(json_get(l, "digest"), p->digest[i], 72) <
			0 ||
		    !plan_is_digest(p->digest[i])) {
			warnx("load: a layer with no sha256 digest");
			return -1;
		}
		snprintf(name, sizeof(name), "blobs/sha256/%s",
			 p->digest[i] + 7);
		if (!(p->layer[i] = arc_find(a, name))) {
			warnx("load: the manifest names the layer %s, which is "
			      "not in the archive",
			      name);
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
	const char *m, *plat, *any = NULL;
	size_t len;

	if (!(blob = read_desc(a, desc, &len)))
		return NULL;
	if (!json_get(blob, "manifests"))
		return blob;
	for (int i = 0;
	     depth < 4 && (m = json_index(json_get(blob, "manifests"), i));
	     i++) {
		plat = json_get(m, "platform");
		if (json_get_string(json_get(plat, "os"), os, 32) < 0 ||
		    json_get_string(json_get(plat, "architecture"), arch, 32) <
			0) {
			any = any ? any : m; /* no platform said: a candidate */
			continue;
		}
		if (!strcmp(os, "linux") && !strcmp(arch, imageconfig_arch())) {
			any = m;
			break;
		}
		/* Named in the message; docker's attestations are not. */
		if (strlen(seen) < 200 && strcmp(os, "unknown"))
			snprintf(seen + strlen(seen), 256 - strlen(seen),
				 "%s%s/%s", *seen ? ", " : "", os, arch);
	}
	if (any)
		found = resolve(a, any, depth + 1); /* (NULL: it said why) */
	else if (!*seen)
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
int plan_oci(struct arc *a, const char *index, struct plan *plans, int *n)
{
	char name[300], os[32], arch[32];
	const char *m, *ann, *plat;
	char *man;

	for (int i = 0; (m = json_index(json_get(index, "manifests"), i));
	     i++) {
		plat = json_get(m, "platform");
		if (plat &&
		    json_get_string(json_get(plat, "os"), os, 32) == 0 &&
		    json_get_string(json_get(plat, "architecture"), arch, 32) ==
			0 &&
		    (strcmp(os, "linux") || strcmp(arch, imageconfig_arch())))
			continue; /* another machine's image */
		if (*n == LOAD_MAX) {
			warnx("load: more than %d images in one archive",
			      LOAD_MAX);
			return -1;
		}
		struct plan *p = &plans[(*n)++];

		if (!(man = resolve(a, m, 0)))
			return -1;
		ann = json_get(m, "annotations");
		if ((json_get_string(json_get(ann, "io.containerd.image.name"),
				     name, sizeof(name)) == 0 ||
		     (json_get_string(json_get(ann, "org.opencontainers.image."
						    "ref.name"),
				      name, sizeof(name)) == 0 &&
		      strpbrk(name, ":/"))) &&
		    add_tag(p, name) < 0) {
			free(man);
			return -1;
		}
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
int plan_docker(struct arc *a, const char *mf, struct plan *plans, int *n,
		bool oci)
{
	char name[PATH_MAX], want[72], got[72];
	const char *m, *t, *base;
	struct arc_entry *e;

	for (int i = 0; (m = json_index(mf, i)); i++) {
		struct plan *p = oci ? NULL : &plans[*n];

		if (json_get_string(json_get(m, "Config"), name, sizeof(name)) <
			0 ||
		    !(e = arc_find(a, name))) {
			if (oci)
				continue; /* index.json said what to load */
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
				for (int j = 0;
				     (t = json_index(json_get(m, "RepoTags"),
						     j));
				     j++)
					if (json_get_string(t, name, 256) == 0 &&
					    add_tag(&plans[k], name) < 0)
						return -1;
			}
			continue;
		}
		if (*n == LOAD_MAX) {
			warnx("load: more than %d images in one archive",
			      LOAD_MAX);
			return -1;
		}
		(*n)++;
		if (!(p->config = arc_read(a, e, got)))
			return -1;
		p->config_len = e->size;
		if (strcmp(got, want) != 0) {
			warnx("load: %s: its sha256 is %s: the archive is "
			      "damaged",
			      name, got);
			return -1;
		}
		for (int j = 0; (t = json_index(json_get(m, "Layers"), j));
		     j++) {
			if (j == IMAGE_MAX_LAYERS ||
			    json_get_string(t, name, sizeof(name)) < 0) {
				warnx(
				    "load: a bad Layers list in manifest.json");
				return -1;
			}
			if (!(p->layer[j] = arc_find(a, name))) {
				warnx("load: manifest.json names the layer %s, "
				      "which is not in the archive",
				      name);
				return -1;
			}
			p->digest[j][0] = '\0';
			if (!strncmp(name, "blobs/sha256/", 13))
				snprintf(p->digest[j], 72, "sha256:%.64s",
					 name + 13);
			p->n_layers = j + 1;
		}
		for (int j = 0; (t = json_index(json_get(m, "RepoTags"), j));
		     j++)
			if (json_get_string(t, name, 256) == 0 &&
			    add_tag(p, name) < 0)
				return -1;
	}
	return 0;
}
