/*
 * 10-full/images.c - `container images [-q]` and `container history
 * IMAGE`: the store's images, and the layers of one, as docker shows
 * them.
 *
 * Claim: images lists every tag with its image's short id, when it was
 *        made and the size of its layers, newest first (an untagged
 *        image as <none>);
 *        history lists an image's layers newest first, each with what
 *        made it, and one more after each commit; what a config says is
 *        printed with its control bytes escaped, as ps prints a command.
 *        (tested in tests/10-full-image.bats)
 * Uses:  image.c, imagestore.c, verb.c (docker's "3 minutes ago"), ps.c
 *        (verb_escape)
 * Read:  docker-images(1), docker-history(1)
 */
#include "image.h"
#include "json.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COLS 5
typedef char row_t[COLS][128];

/* docker's sizes: powers of 1000, three significant digits ("7.79MB"). */
static void human_size(long long n, char *buf, size_t size)
{
	static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
	double v = n;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, size, "%.3g%s", v, units[u]);
}

/* The columns text takes on a terminal: "…" is three bytes, one column. */
static int columns(const char *text)
{
	return strlen(text) - (strstr(text, "…") ? 2 : 0);
}

/* Columns as wide as their widest cell, three spaces apart (docker's
 * tabwriter); the last one unpadded. */
static void print_table(const char *const *head, row_t *rows, int n)
{
	int w[COLS] = {0}, cols = 0;

	while (cols < COLS && head[cols])
		cols++;
	for (int j = 0; j < cols; j++)
		for (int i = -1; i < n; i++) {
			int len = columns(i < 0 ? head[j] : rows[i][j]);
			w[j] = len > w[j] ? len : w[j];
		}
	for (int i = -1; i < n; i++)
		for (int j = 0; j < cols; j++) {
			const char *cell = i < 0 ? head[j] : rows[i][j];

			if (j == cols - 1)
				printf("%s\n", cell);
			else /* printf pads bytes: add what "…" takes more */
				printf("%-*s   ",
				       w[j] + (int)strlen(cell) - columns(cell),
				       cell);
		}
}

/* A row of `images`, with when its image was made, to sort by. */
struct image_entry {
	row_t row;
	char created[40];
	int order; /* as found: the tie-break */
};

/* The row of the image id, tagged tag (or NULL), into e. Returns 1, or
 * -1 (after a line) when the image cannot be read. */
static int image_row(const char *root, const char *tag, const char *id,
		     struct image_entry *e)
{
	char ago[40];
	struct image img;
	long long total = 0;
	const char *colon = tag ? strrchr(tag, ':') : NULL;

	if (image_read(root, id, &img) < 0)
		return -1;
	for (int i = 0; i < img.n_layers; i++) {
		long long s = image_layer_size(root, img.layers[i]);
		total += s > 0 ? s : 0;
	}
	e->created[0] = '\0';
	json_get_string(json_get(img.config, "created"), e->created,
			sizeof(e->created));
	image_free(&img);
	snprintf(e->row[0], 128, "%.*s", colon ? (int)(colon - tag) : 6,
		 tag ? tag : "<none>");
	snprintf(e->row[1], 128, "%s", colon ? colon + 1 : "<none>");
	snprintf(e->row[2], 128, "%.12s", id + 7);
	verb_human(verb_seconds_since(e->created), ago, sizeof(ago));
	snprintf(e->row[3], 128, "%s ago", ago);
	human_size(total, e->row[4], 128);
	return 1;
}

/* Newest first (RFC 3339 times sort as text), as docker lists them. */
static int newest_first(const void *a, const void *b)
{
	const struct image_entry *x = a, *y = b;
	int c = strcmp(y->created, x->created);

	return c ? c : x->order - y->order;
}

int cmd_images(int argc, char **argv)
{
	static const char *const head[] = {"REPOSITORY", "TAG", "IMAGE ID",
					   "CREATED", "SIZE", NULL};
	static struct image_tags t;
	static struct image_entry e[IMAGE_MAX_TAGS * 2];
	static row_t rows[IMAGE_MAX_TAGS * 2];
	char path[PATH_MAX + 16], id[72];
	struct state st = {0};
	bool quiet = argc == 2 && strcmp(argv[1], "-q") == 0;
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "-q"))
		return verb_bad_option(argv, argv[1], false);
	if (argc > 2 || (argc == 2 && !quiet)) {
		fputs("Usage: container images [-q]\nList the images "
		      "(-q: their ids only).\n", stderr);
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || image_tags_read(st.root, &t) < 0)
		return EXIT_FAILED;
	for (int i = t.n - 1; i >= 0; i--)
		n += image_row(st.root, t.tag[i], t.id[i], &e[n]) > 0;
	/* And the images no tag names (docker's dangling <none>). */
	snprintf(path, sizeof(path), "%s/images/configs", st.root);
	if ((dir = opendir(path))) {
		while ((d = readdir(dir)) && n < IMAGE_MAX_TAGS * 2) {
			bool tagged = false;

			if (strlen(d->d_name) != 64)
				continue;
			snprintf(id, sizeof(id), "sha256:%s", d->d_name);
			for (int i = 0; i < t.n && !tagged; i++)
				tagged = strcmp(t.id[i], id) == 0;
			if (!tagged)
				n += image_row(st.root, NULL, id, &e[n]) > 0;
		}
		closedir(dir);
	}
	for (int i = 0; i < n; i++)
		e[i].order = i;
	qsort(e, n, sizeof(e[0]), newest_first);
	for (int i = 0; i < n; i++) {
		if (quiet)
			printf("%s\n", e[i].row[2]);
		memcpy(rows[i], e[i].row, sizeof(rows[i]));
	}
	if (!quiet)
		print_table(head, rows, n);
	return 0;
}

/* docker's CREATED BY: on one line (a script's newlines and tabs as
 * spaces), cut to 45 columns with "…"; and, as ps shows a command, its
 * other control bytes escaped (the config is whoever made the image's:
 * an ESC sequence would drive our terminal), never cut inside an escape.
 * buf: 48 bytes at least. */
static void cut(char *text, char *buf)
{
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	if (text[verb_escape(buf, 46, text)]) { /* more than 45 */
		verb_escape(buf, 45, text);
		strcat(buf, "…");
	}
}

int cmd_history(int argc, char **argv)
{
	static const char *const head[] = {"IMAGE", "CREATED", "CREATED BY",
					   "SIZE", "COMMENT"};
	static row_t rows[IMAGE_MAX_LAYERS * 2];
	char created[40], by[4096], note[4096], ago[40];
	const char *hist, *e;
	struct state st = {0};
	struct image img;
	int n = 0, layer = 0;

	if (argc > 1 && argv[1][0] == '-')
		return verb_bad_option(argv, argv[1], false);
	if (argc != 2) {
		fputs("Usage: container history IMAGE\nShow the layers of "
		      "IMAGE, newest first.\n", stderr);
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || image_find(st.root, argv[1], &img) < 0)
		return EXIT_FAILED;
	hist = json_get(img.config, "history");
	/* Oldest first in the config; each entry that is no empty_layer
	 * made the next layer. */
	for (int i = 0; (e = json_index(hist, i)) && n < IMAGE_MAX_LAYERS * 2;
	     i++, n++) {
		bool empty = json_get_bool(json_get(e, "empty_layer"), 0);
		long long size = 0;

		created[0] = by[0] = note[0] = '\0';
		json_get_string(json_get(e, "created"), created, 40);
		json_get_string(json_get(e, "created_by"), by, sizeof(by));
		json_get_string(json_get(e, "comment"), note, sizeof(note));
		verb_escape(rows[n][4], 128, note);
		if (!empty && layer < img.n_layers)
			size = image_layer_size(st.root, img.layers[layer++]);
		snprintf(rows[n][0], 128, "<missing>");
		verb_human(verb_seconds_since(created), ago, sizeof(ago));
		snprintf(rows[n][1], 128, "%s ago", ago);
		cut(by, rows[n][2]);
		human_size(size > 0 ? size : 0, rows[n][3], 128);
	}
	/* Layers that no history entry tells of (an image made elsewhere). */
	for (; layer < img.n_layers && n < IMAGE_MAX_LAYERS * 2; n++) {
		memset(rows[n], 0, sizeof(rows[n]));
		snprintf(rows[n][0], 128, "<missing>");
		human_size(image_layer_size(st.root, img.layers[layer++]),
			   rows[n][3], 128);
	}
	if (n)
		snprintf(rows[n - 1][0], 128, "%.12s", img.id + 7);
	image_free(&img);
	/* Newest first. */
	for (int i = 0; i < n / 2; i++) {
		row_t tmp;
		memcpy(tmp, rows[i], sizeof(tmp));
		memcpy(rows[i], rows[n - 1 - i], sizeof(tmp));
		memcpy(rows[n - 1 - i], tmp, sizeof(tmp));
	}
	print_table(head, rows, n);
	return 0;
}
