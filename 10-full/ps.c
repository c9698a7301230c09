/*
 * 10-full/ps.c - `container ps [-a] [-q] [-l] [-f status=S|name=N]`: the
 * containers of this data root, as docker ps shows them.
 *
 * Claim: ps lists the running containers, ps -a the exited ones too,
 *        with their exit code ("Exited (137) 5 seconds ago"), newest
 *        first; -q prints only the ids; a container whose supervisor was
 *        killed shows as exited, never as running.
 *        (tested in tests/10-full-life.bats)
 * Uses:  verb.c, store.c
 * Read:  docker-container-ls(1)
 */
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char ps_usage[] =
	"Usage: container ps [-a] [-q] [-l] [-f status=STATUS|name=NAME]\n"
	"List containers (-a: also those that exited; -q: ids only; -l: the\n"
	"latest one; -f: only those with that status or name).\n";

/* Appends the character at *p (one byte, or a C1 control's two) to out
 * (o bytes used, room for 6 more) as Go's strconv.Quote, which docker's
 * ps uses, shows it: a control character as \n, \t, \r, \xNN or \u00NN
 * (C1: U+0080-U+009F, which a terminal may obey too), a backslash after a
 * backslash; moves *p past it. Returns the new o. */
static size_t escape_char(char *out, size_t o, const unsigned char **p)
{
	unsigned char b = *(*p)++;
	const char *named = b == '\n' ? "\\n" : b == '\t' ? "\\t"
			  : b == '\r' ? "\\r" : b == '\\' ? "\\\\" : NULL;

	if (b == 0xc2 && **p >= 0x80 && **p <= 0x9f)
		return o + sprintf(out + o, "\\u%04x", *(*p)++);
	if (named)
		return o + sprintf(out + o, "%s", named);
	if (b < 0x20 || b == 0x7f)
		return o + sprintf(out + o, "\\x%02x", b);
	out[o] = b;
	return o + 1;
}

size_t verb_escape(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char one[8];
	size_t o = 0;

	while (*p && size > 0) {
		const unsigned char *next = p;
		size_t n = escape_char(one, 0, &next);

		if (o + n >= size)
			break;
		memcpy(buf + o, one, n);
		o += n;
		p = next;
	}
	if (size > 0)
		buf[o] = '\0';
	return (const char *)p - s;
}

/* COMMAND as docker shows it: quoted (a quote after a backslash too), cut
 * to 20 characters with "…" (characters, not bytes: a cut never splits
 * one). The image chose these bytes: printed raw, ESC sequences would set
 * the title of the terminal that runs ps, clear it or move its cursor,
 * and a newline would split the row. */
static void command_text(const struct container *c, char *buf, size_t size)
{
	char cmd[256] = "";
	size_t used = 0, chars = 0, limit = 0, o = 0;
	const unsigned char *p = (const unsigned char *)cmd;

	for (int i = 0; i < c->n_cmd && used < sizeof(cmd); i++)
		used += snprintf(cmd + used, sizeof(cmd) - used, "%s%s",
				 i ? " " : "", c->cmd[i]);
	for (const char *q = cmd; *q; q++)
		limit += (*q & 0xc0) != 0x80; /* not a UTF-8 continuation */
	limit = limit > 20 ? 19 : limit;
	buf[o++] = '"';
	/* Room for the widest escape, "…" and the closing quote. */
	while (*p && o + 10 < size) {
		if ((*p & 0xc0) != 0x80 && chars++ == limit)
			break;
		if (*p == '"') {
			o += sprintf(buf + o, "\\\"");
			p++;
		} else
			o = escape_char(buf, o, &p);
	}
	/* Stopped before the end: cut. */
	snprintf(buf + o, size - o, "%s\"", *p ? "…" : "");
}

/* IMAGE: the image's name ("base:latest"), or the rootfs directory, its
 * end when it is long ("…/build/rootfs"). */
static void image_text(const struct container *c, char *buf, size_t size)
{
	size_t len = strlen(c->image);

	if (len > 30)
		snprintf(buf, size, "…%s", c->image + len - 29);
	else
		snprintf(buf, size, "%s", c->image);
}

static bool wanted(const struct container *c, const char *filter, bool all)
{
	static const char *const names[] = {"created", "running", "exited"};

	if (filter && strncmp(filter, "status=", 7) == 0)
		return strcmp(filter + 7, names[c->status]) == 0;
	if (filter && strncmp(filter, "name=", 5) == 0)
		return strstr(c->name, filter + 5) != NULL;
	return all || c->status == STATUS_RUNNING;
}

/* The columns text takes on a terminal: "…" is three bytes, one column. */
static int columns(const char *text)
{
	return strlen(text) - (strstr(text, "…") ? 2 : 0);
}

/* The table, its columns as wide as their widest cell, three spaces
 * apart, as docker's tabwriter does. */
static void print_table(char (*rows)[5][64], const char (*names)[72], int n)
{
	static const char *const head[5] = {"CONTAINER ID", "IMAGE", "COMMAND",
					    "CREATED", "STATUS"};
	int w[5];

	for (int j = 0; j < 5; j++) {
		w[j] = strlen(head[j]);
		for (int i = 0; i < n; i++)
			if (columns(rows[i][j]) > w[j])
				w[j] = columns(rows[i][j]);
	}
	for (int i = -1; i < n; i++) {
		for (int j = 0; j < 5; j++) {
			const char *cell = i < 0 ? head[j] : rows[i][j];
			/* printf pads bytes: add what "…" takes more */
			printf("%-*s   ", w[j] + (int)strlen(cell) - columns(cell),
			       cell);
		}
		printf("%s\n", i < 0 ? "NAMES" : names[i]);
	}
}

int cmd_ps(int argc, char **argv)
{
	bool all = false, quiet = false, latest = false;
	static char ids[4096][13], rows[4096][5][64], names[4096][72];
	struct container *c = malloc(sizeof(*c));
	const char *filter = NULL;
	struct state st = {0};
	int opt, n, shown = 0;

	while ((opt = verb_getopt(argc, argv, "aqlf:", NULL)) != -1)
		switch (opt) {
		case 'a': all = true; break;
		case 'q': quiet = true; break;
		case 'l': latest = all = true; break;
		case 'f':
			if (strncmp(optarg, "status=", 7) && strncmp(optarg, "name=", 5)) {
				warnx("-f %s: use status=created|running|exited or "
				      "name=NAME", optarg);
				return EXIT_FAILED;
			}
			filter = optarg;
			break;
		default:
			return EXIT_FAILED; /* verb_getopt said which */
		}
	if (optind < argc || !c) {
		fputs(ps_usage, stderr);
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || (n = store_list(st.root, ids, 4096)) < 0)
		return EXIT_FAILED;
	/* Newest first, as docker. */
	for (int i = n - 1; i >= 0 && !(latest && shown); i--) {
		char (*row)[64] = rows[shown];

		if (verb_find(&st, ids[i], c) < 0 || !wanted(c, filter, all))
			continue;
		if (quiet) {
			printf("%s\n", c->id);
			shown++;
			continue;
		}
		snprintf(row[0], 64, "%s", c->id);
		image_text(c, row[1], 64);
		command_text(c, row[2], 64);
		verb_human(verb_seconds_since(c->created), row[3], 60);
		strcat(row[3], " ago");
		verb_status_text(c, row[4], 64);
		memcpy(names[shown++], c->name, 72);
	}
	if (!quiet)
		print_table(rows, (const char (*)[72])names, shown);
	free(c);
	return 0;
}
