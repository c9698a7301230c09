/*
 * 10-full/imageconfig.c - an image's config, docker's JSON: written
 * whole for a new image, extended by one layer for a commit, read for a
 * run.
 *
 * Claim: a commit's config keeps the parent's config (Cmd, Env,
 *        WorkingDir, whatever else docker put there) byte for byte and
 *        adds one diff_id and one history entry; run takes Entrypoint +
 *        Cmd, Env, WorkingDir and StopSignal from it.
 *        (tested in tests/10-full-image.bats)
 * Uses:  json.c, store.c (store_now: docker's time format)
 * Read:  the OCI image spec (config.md), docker-commit(1)
 *
 * The config's bytes are the image's id (their sha256), so nothing here
 * rewrites what it does not own: the parent's values are copied as the
 * raw text they are (json_skip() gives their extent).
 */
#include "imageconfig.h"
#include "json.h"
#include "store.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

const char *imageconfig_arch(void)
{
	static const char *const names[][2] = {
		{"x86_64", "amd64"}, {"aarch64", "arm64"}, {"i686", "386"},
		{"armv7l", "arm"},   {"riscv64", "riscv64"}, {"s390x", "s390x"},
		{"ppc64le", "ppc64le"},
	};
	static struct utsname u;

	if (uname(&u) < 0)
		return "amd64";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(u.machine, names[i][0]) == 0)
			return names[i][1];
	return u.machine;
}

/* The raw text of the value at v (NULL: "null") to f. */
static void raw(FILE *f, const char *v)
{
	const char *end = v ? json_skip(v) : NULL;

	if (end)
		fwrite(v, 1, end - v, f);
	else
		fputs("null", f);
}

/* A history entry. */
static void history(FILE *f, const char *created, const char *by,
		    const char *comment)
{
	fputs("{\"created\":", f);
	json_string(f, created);
	fputs(",\"created_by\":", f);
	json_string(f, by);
	if (comment[0]) {
		fputs(",\"comment\":", f);
		json_string(f, comment);
	}
	fputc('}', f);
}

/* Ends f (an open_memstream): the text, or NULL after one line. */
static char *finish(FILE *f, char **text)
{
	if (fclose(f) != 0 || !*text) {
		warnx("the image config: out of memory");
		free(*text);
		return NULL;
	}
	return *text;
}

char *imageconfig_new(const char *diff_id, const char *created_by,
		      size_t *len)
{
	char now[40], *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f) {
		warn("open_memstream");
		return NULL;
	}
	store_now(now);
	fprintf(f, "{\"architecture\":\"%s\",\"os\":\"linux\",\"config\":"
		   "{\"Env\":[\"%s\"],\"Cmd\":null,\"Entrypoint\":null,"
		   "\"WorkingDir\":\"\"},\"created\":\"%s\",\"history\":[",
		imageconfig_arch(), DEFAULT_PATH, now);
	history(f, now, created_by, "");
	fprintf(f, "],\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
		diff_id);
	return finish(f, &text);
}

char *imageconfig_child(const char *parent, const char *diff_id,
			const char *created_by, const char *comment,
			size_t *len)
{
	const char *hist = json_get(parent, "history"), *e;
	const char *ids = json_get(json_get(parent, "rootfs"), "diff_ids");
	const char *os = json_get(parent, "os");
	char now[40], *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f) {
		warn("open_memstream");
		return NULL;
	}
	store_now(now);
	fputs("{\"architecture\":", f);
	raw(f, json_get(parent, "architecture"));
	fputs(",\"os\":", f);
	if (os)
		raw(f, os);
	else
		fputs("\"linux\"", f);
	fputs(",\"config\":", f);
	raw(f, json_get(parent, "config"));
	fprintf(f, ",\"created\":\"%s\"", now);
	if (comment[0]) {
		fputs(",\"comment\":", f);
		json_string(f, comment);
	}
	fputs(",\"history\":[", f);
	for (int i = 0; (e = json_index(hist, i)); i++) {
		raw(f, e);
		fputc(',', f);
	}
	history(f, now, created_by, comment);
	fputs("],\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[", f);
	for (int i = 0; (e = json_index(ids, i)); i++) {
		raw(f, e);
		fputc(',', f);
	}
	fprintf(f, "\"%s\"]}}", diff_id);
	return finish(f, &text);
}

/* The strings of the array at v into list (n of them), decoded into
 * r->pool at *used. Returns the count (0 for null or none), or -1. */
static int strings(const char *v, char **list, struct imageconfig_run *r,
		   size_t *used)
{
	const char *e;
	int n = 0;

	for (; v && (e = json_index(v, n)); n++) {
		if (n == IMAGECONFIG_MAX ||
		    json_get_string(e, r->pool + *used,
				    sizeof(r->pool) - *used) < 0)
			return -1;
		list[n] = r->pool + *used;
		*used += strlen(list[n]) + 1;
	}
	list[n] = NULL;
	return n;
}

/* The string key of the object c into out: "" when it is not there or
 * null. Returns 0, or -1 after saying why (too long, not a string, a
 * NUL inside: refused, not cut short). */
static int field(const char *c, const char *key, char *out, size_t size)
{
	const char *v = json_get(c, key);

	out[0] = '\0';
	if (!v || !strncmp(v, "null", 4) || json_get_string(v, out, size) == 0)
		return 0;
	warnx("the image's %s is not a string we can use (too long, or a NUL "
	      "inside)", key);
	return -1;
}

int imageconfig_read(const char *config, struct imageconfig_run *r)
{
	const char *c = json_get(config, "config");
	size_t used = 0;

	memset(r, 0, sizeof(*r));
	r->n_entry = strings(json_get(c, "Entrypoint"), r->entry, r, &used);
	r->n_cmd = strings(json_get(c, "Cmd"), r->cmd, r, &used);
	r->n_env = strings(json_get(c, "Env"), r->env, r, &used);
	if (r->n_entry < 0 || r->n_cmd < 0 || r->n_env < 0) {
		warnx("the image's Entrypoint, Cmd or Env is too long, or "
		      "holds a NUL");
		return -1;
	}
	if (field(c, "WorkingDir", r->workdir, sizeof(r->workdir)) < 0 ||
	    field(c, "StopSignal", r->stop_signal, sizeof(r->stop_signal)) < 0 ||
	    field(c, "User", r->user, sizeof(r->user)) < 0)
		return -1;
	return 0;
}
