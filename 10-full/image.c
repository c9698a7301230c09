/*
 * 10-full/image.c - finding an image in the store: by NAME[:TAG], or by
 * its id or a unique prefix of it, as docker does; and its layers, from
 * the diff_ids of its config.
 *
 * Claim: NAME means NAME:latest; a name is looked up before an id
 *        prefix; an ambiguous prefix is refused; an image whose layers
 *        are not all in the store is refused, naming the missing one.
 *        (tested in tests/10-full-image.bats)
 * Uses:  json.c, imagestore.c (the chain of layers), sha256.c
 * Read:  the OCI image spec (config.md: rootfs.diff_ids), docker-images(1)
 *
 * The store keeps no list of an image's layers: its config has them
 * (rootfs.diff_ids, bottom first), and the layer dirs are named by the
 * ChainID of each, which the diff_ids below it decide. So the config's
 * bytes, and hence the image ID, pin the whole stack.
 */
#include "image.h"
#include "imagestore.h"
#include "json.h"

#include <dirent.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether ref's name part (up to end) is docker's: parts between '/'
 * that start and end with a letter or digit (so no "", ".", ".."), in
 * lower case but for a first part that names a registry ("Host.io",
 * "localhost", "host:5000", followed by more), a ':' only in such a part
 * before its port; not "sha256", which reads as an id ("sha256:abc");
 * and its tag (after end, if any) starts with a letter, digit or '_'. */
static bool well_formed(const char *ref, const char *end)
{
	const char *part = ref, *colon;
	bool registry;

	if (end - ref == 6 && !strncmp(ref, "sha256", 6))
		return false;
	for (const char *p = ref; p <= end; p++) {
		if (p < end && *p != '/')
			continue;
		colon = memchr(part, ':', p - part);
		registry = part == ref && p != end &&
			   (colon || memchr(part, '.', p - part) ||
			    (p - part == 9 && !strncmp(part, "localhost", 9)));
		if (p == part || !isalnum((unsigned char)part[0]) ||
		    !isalnum((unsigned char)p[-1]) ||
		    (colon && (!registry ||
			       strspn(colon + 1, "0123456789") !=
				   (size_t)(p - colon - 1))))
			return false;
		for (const char *c = part; !registry && c < p; c++)
			if (isupper((unsigned char)*c))
				return false;
		part = p + 1;
	}
	return !*end || isalnum((unsigned char)end[1]) || end[1] == '_';
}

int image_tag_parse(const char *ref, char *out, size_t size)
{
	const char *colon = strrchr(ref, ':'), *slash = strrchr(ref, '/');
	size_t len = strlen(ref);

	/* A ':' after the last '/' starts the tag (a registry's
	 * "host:5000/name" has its ':' before one). */
	if (colon && slash && colon < slash)
		colon = NULL;
	if (len == 0 || len > 200 || ref[0] == ':' ||
	    (colon && !colon[1]) ||
	    strspn(ref, "abcdefghijklmnopqrstuvwxyz0123456789._-/:"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ") != len ||
	    !well_formed(ref, colon ? colon : ref + len)) {
		warnx("'%s': an image is NAME[:TAG], with letters, digits, "
		      "'.', '_', '-' and '/', each part of NAME between '/' "
		      "in lower case, starting and ending with a letter or a "
		      "digit",
		      ref);
		return -1;
	}
	/* A name of 64 hex digits would be read as an image's id: a
	 * loaded archive could then stand in for another image that `run
	 * ID` names (docker refuses such names for this reason). */
	if ((colon ? (size_t)(colon - ref) : len) == 64 &&
	    strspn(ref, "0123456789abcdef") == 64) {
		warnx("'%s': a name of 64 hex digits reads as an image id: "
		      "choose another name", ref);
		return -1;
	}
	snprintf(out, size, "%s%s", ref, colon ? "" : ":latest");
	return 0;
}

int image_tags_read(const char *root, struct image_tags *t)
{
	char path[PATH_MAX], *text = NULL;
	const char *p;
	size_t len;

	t->n = 0;
	snprintf(path, sizeof(path), "%s/images/repositories.json", root);
	if (imagestore_slurp(path, &text, &len) < 0)
		return errno == ENOENT ? 0 : -1;
	/* {"name:tag": "sha256:...", ...}: key, ':', value, ',' ... */
	for (p = text + strspn(text, " \t\r\n{"); *p == '"';) {
		if (t->n == IMAGE_MAX_TAGS ||
		    json_get_string(p, t->tag[t->n], 256) < 0 ||
		    !(p = json_skip(p)) || *(p += strspn(p, " \t\r\n")) != ':')
			goto bad;
		p += 1 + strspn(p + 1, " \t\r\n");
		if (json_get_string(p, t->id[t->n], 72) < 0 ||
		    !(p = json_skip(p)))
			goto bad;
		t->n++;
		p += strspn(p, " \t\r\n,");
	}
	free(text);
	return 0;
bad:
	warnx("%s: not a list of tags; remove it to start the store afresh",
	      path);
	free(text);
	return -1;
}

int image_tags_write(const char *root, const struct image_tags *t)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/images/repositories.json", root);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f) {
		warn("%s", tmp);
		return -1;
	}
	fputc('{', f);
	for (int i = 0; i < t->n; i++) {
		fputs(i ? ",\n " : "", f);
		json_string(f, t->tag[i]);
		fputs(": ", f);
		json_string(f, t->id[i]);
	}
	fputs("}\n", f);
	/* The switch: the old list or the new one, never half of one. */
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0) {
		warn("write %s", tmp);
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		warn("rename %s", tmp);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int image_chain_names(const char *config, char (*layers)[17])
{
	const char *ids = json_get(json_get(config, "rootfs"), "diff_ids"), *e;
	char diff_id[72], chain[72] = "";
	int i;

	for (i = 0; (e = json_index(ids, i)); i++) {
		if (i == IMAGE_MAX_LAYERS)
			return -1;
		if (json_get_string(e, diff_id, sizeof(diff_id)) < 0 ||
		    imagestore_chain(chain, diff_id, chain) < 0)
			return -2;
		memcpy(layers[i], chain + 7, 16);
		layers[i][16] = '\0';
	}
	return i;
}

int image_read(const char *root, const char *id, struct image *img)
{
	char path[PATH_MAX];
	struct stat st;

	memset(img, 0, sizeof(*img));
	snprintf(img->id, sizeof(img->id), "%s", id);
	snprintf(path, sizeof(path), "%s/images/configs/%s", root, id + 7);
	if (strncmp(id, "sha256:", 7) != 0 ||
	    imagestore_slurp(path, &img->config, &img->config_len) < 0) {
		warnx("image %s: its config is not in the store", id);
		return -1;
	}
	img->n_layers = image_chain_names(img->config, img->layers);
	if (img->n_layers <= 0) {
		warnx("image %s %s", id,
		      img->n_layers == 0    ? "has no layers"
		      : img->n_layers == -1 ? "has more than " IMAGE_MAX_TEXT
					      " layers, the most one may have"
					    : "has a bad diff_id in its config");
		goto bad;
	}
	for (int i = 0; i < img->n_layers; i++) {
		snprintf(path, sizeof(path), "%s/images/layers/%s/diff", root,
			 img->layers[i]);
		if (stat(path, &st) < 0) {
			warnx("image %s: its layer %d (%s) is not in the "
			      "store",
			      id, i + 1, img->layers[i]);
			goto bad;
		}
	}
	return 0;
bad:
	image_free(img);
	return -1;
}

void image_free(struct image *img)
{
	free(img->config);
	img->config = NULL;
}

/* The full id of the config whose hex starts with prefix, found among
 * the store's configs, into id. Returns 1, 0 for none, -1 ambiguous. */
static int id_prefix(const char *root, const char *prefix, char id[72])
{
	char path[PATH_MAX];
	struct dirent *d;
	size_t len = strlen(prefix);
	int found = 0;
	DIR *dir;

	if (len == 0 || len > 64 ||
	    strspn(prefix, "0123456789abcdef") != len)
		return 0;
	snprintf(path, sizeof(path), "%s/images/configs", root);
	if (!(dir = opendir(path)))
		return 0;
	while ((d = readdir(dir)))
		if (strlen(d->d_name) == 64 &&
		    strncmp(d->d_name, prefix, len) == 0 && !found++)
			snprintf(id, 72, "sha256:%s", d->d_name);
	closedir(dir);
	return found > 1 ? -1 : found;
}

int image_find(const char *root, const char *ref, struct image *img)
{
	static struct image_tags t;
	char tag[256], id[72] = "";
	const char *hex = strncmp(ref, "sha256:", 7) == 0 ? ref + 7 : ref;
	int found = 0, by_name = 0;

	memset(img, 0, sizeof(*img));
	if (image_tags_read(root, &t) < 0)
		return -1;
	/* A name first, as docker: "abc" is the image abc:latest if there
	 * is one, else an id that starts with abc. */
	/* A whole id is an id (no name can be one: image_tag_parse). */
	if (hex == ref && !(strlen(ref) == 64 &&
			    strspn(ref, "0123456789abcdef") == 64) &&
	    image_tag_parse(ref, tag, sizeof(tag)) == 0)
		for (int i = 0; i < t.n && !found; i++)
			if (strcmp(t.tag[i], tag) == 0) {
				snprintf(id, sizeof(id), "%s", t.id[i]);
				found = by_name = 1;
			}
	if (!found && (found = id_prefix(root, hex, id)) < 0) {
		warnx("'%s' is the beginning of more than one image's id: "
		      "give more of it, or the name",
		      ref);
		return -1;
	}
	if (!found) {
		warnx("no such image: %s (container images lists them; "
		      "container import DIR NAME makes one)",
		      ref);
		return -1;
	}
	if (image_read(root, id, img) < 0)
		return -1;
	/* Its name: the one asked for, else its first tag, else none. */
	if (by_name)
		snprintf(img->name, sizeof(img->name), "%s", tag);
	for (int i = 0; i < t.n && !img->name[0]; i++)
		if (strcmp(t.id[i], id) == 0)
			snprintf(img->name, sizeof(img->name), "%s", t.tag[i]);
	return 0;
}
