/*
 * 10-full/logs.c - `container logs [-f] [-t] [--tail N] NAME`: what a
 * container wrote, from its log (logfile.c).
 *
 * Claim: logs prints each stream to the same stream (stdout to stdout,
 *        stderr to stderr), in order within each; -t puts the time each
 *        line was written before it; --tail N the last N lines; -f keeps
 *        printing what comes until the container exits, then returns.
 *        (tested in tests/10-full-life.bats)
 * Uses:  logfile.h (the format), verb.c
 * Read:  docker-container-logs(1), inotify(7)
 *
 * -f waits for the log to grow with inotify(7) on the directory that
 * holds it and the record: a write to the log, or the record replaced
 * when the container exits, wakes it. The wait also has a timeout, which
 * covers a supervisor killed before it could rewrite the record.
 */
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

static bool stamps;

/* Prints one log line ("TIME STREAM F|P TEXT", len bytes). TEXT is the
 * container's bytes, NULs included: written by its length, so that no
 * byte the container wrote can hide the rest of its line from a reader
 * (docker's logs keep them too). */
static void print_line(char *line, size_t len)
{
	char *end = line + len, *stream = memchr(line, ' ', len), *tag, *text;
	FILE *out;

	if (!stream || !(tag = memchr(stream + 1, ' ', end - stream - 1)) ||
	    end - tag < 3 || tag[2] != ' ')
		return; /* not a line of ours */
	*stream++ = '\0';
	text = tag + 3;
	out = strncmp(stream, "stderr", 6) == 0 ? stderr : stdout;
	if (stamps)
		fprintf(out, "%s ", line);
	fwrite(text, 1, end - text, out);
	if (tag[1] == 'F')
		putc('\n', out);
	fflush(out);
}

/* Prints the whole lines of buf (len bytes), from the first of the last
 * tail ones (tail < 0: all). Returns the bytes used: up to the last
 * newline. */
static size_t print_lines(char *buf, size_t len, long tail)
{
	char *last = len ? memrchr(buf, '\n', len) : NULL, *p, *q;

	if (!last)
		return 0;
	p = tail < 0 ? buf : last + 1;
	/* --tail: back from the end, one line start at a time. */
	for (long n = 0; tail >= 0 && n < tail && p > buf; n++, p = q)
		for (q = p - 1; q > buf && q[-1] != '\n'; q--)
			;
	for (char *nl; p <= last; p = nl + 1) {
		nl = memchr(p, '\n', last + 1 - p);
		*nl = '\0';
		print_line(p, nl - p);
	}
	return last + 1 - buf;
}

/* Reads what fd holds from where it is into *buf (grown as needed).
 * Returns the length, or -1. */
static ssize_t slurp(int fd, char **buf, size_t *size, size_t len)
{
	ssize_t n;

	for (;;) {
		if (len + 65536 > *size) {
			char *b = realloc(*buf, *size = len + 4 * 65536);
			if (!b)
				return -1;
			*buf = b;
		}
		n = read(fd, *buf + len, *size - len);
		if (n <= 0)
			return n < 0 ? -1 : (ssize_t)len;
		len += n;
	}
}

/* Opens ROOT/containers/ID.log and ID.log.1 into fds (-1 when absent). */
static void open_logs(const struct state *st, const char *id, int fd[2])
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/containers/%s.log.1", st->root, id);
	fd[0] = open(path, O_RDONLY | O_CLOEXEC);
	path[strlen(path) - 2] = '\0';
	fd[1] = open(path, O_RDONLY | O_CLOEXEC);
}

/* -f: prints what is written to the log until c has exited. */
static void follow(const struct state *st, struct container *c, int fd,
		   char **buf, size_t *size, size_t left)
{
	char path[PATH_MAX], ev[4096];
	struct pollfd p = {-1, POLLIN, 0};
	struct stat now, was;
	bool done = false;
	ssize_t len;

	snprintf(path, sizeof(path), "%s/containers", st->root);
	p.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (p.fd >= 0)
		inotify_add_watch(p.fd, path, IN_MODIFY | IN_MOVED_TO |
						      IN_CREATE | IN_DELETE);
	snprintf(path, sizeof(path), "%s/containers/%s.log", st->root, c->id);
	while (!done) {
		/* Whether it has exited first, then the log's end: what it
		 * wrote is in the log once its supervisor is gone. Not once
		 * its init is gone (verb_find says "exited" then): the
		 * supervisor still copies the pipes' last bytes into the log
		 * (relay_finish) before it rewrites the record and exits.
		 * Judged by the init, `logs -f` and `start -a` lost them
		 * (seen under load: part of a line missing). */
		done = verb_find(st, c->id, c) < 0 ||
		       c->status != STATUS_RUNNING;
		if (done)
			verb_wait_supervisor(c, -1);
		len = fd < 0 ? (ssize_t)left : slurp(fd, buf, size, left);
		if (len < 0)
			break;
		left = len - print_lines(*buf, len, -1);
		memmove(*buf, *buf + len - left, left);
		/* Rotated (logfile.c): the old file is read out, go on
		 * with the new one. */
		if (stat(path, &now) == 0 &&
		    (fd < 0 || (fstat(fd, &was) == 0 && was.st_ino != now.st_ino))) {
			if (fd >= 0)
				close(fd);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			continue;
		}
		if (!done && poll(&p, 1, 1000) > 0)
			while (read(p.fd, ev, sizeof(ev)) > 0)
				;
	}
	if (fd >= 0)
		close(fd);
	if (p.fd >= 0)
		close(p.fd);
}

int logs_attach(const struct state *st, struct container *c, long from)
{
	char path[PATH_MAX], *buf = NULL;
	size_t size = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/containers/%s.log", st->root, c->id);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && lseek(fd, from, SEEK_SET) < 0) {
		close(fd);
		fd = -1;
	}
	follow(st, c, fd, &buf, &size, 0);
	free(buf);
	/* Its init has exited; its supervisor writes the exit code into
	 * the record as it cleans up: read it once the supervisor is gone
	 * (before, the record would read "exited" with no code yet). */
	verb_wait_supervisor(c, -1);
	/* Its record now says how it ended (an --rm one has none). */
	if (verb_find(st, c->id, c) < 0)
		return 0;
	return c->status == STATUS_EXITED ? c->exit_code : 0;
}

int cmd_logs(int argc, char **argv)
{
	static const struct option opts[] = {
		{"follow", no_argument, NULL, 'f'},
		{"timestamps", no_argument, NULL, 't'},
		{"tail", required_argument, NULL, 'n'},
		{0},
	};
	static struct container c;
	struct state st = {0};
	bool follow_it = false;
	long tail = -1;
	char *buf = NULL, *end;
	size_t size = 0;
	ssize_t len = 0;
	int opt, fd[2];

	while ((opt = verb_getopt(argc, argv, "ftn:", opts)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		if (opt == 'f')
			follow_it = true;
		else if (opt == 't')
			stamps = true;
		else if (opt == 'n' && strcmp(optarg, "all") == 0)
			tail = -1;
		else if ((tail = strtol(optarg, &end, 10)) < 0 || *end ||
			 !*optarg) {
			warnx("logs --tail %s: give a number of lines, or all",
			      optarg);
			return EXIT_FAILED;
		}
	}
	if (optind != argc - 1) {
		warnx("usage: container logs [-f] [-t] [--tail N] NAME");
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || verb_find(&st, argv[optind], &c) < 0)
		return EXIT_FAILED;
	open_logs(&st, c.id, fd);
	for (int i = 0; i < 2 && len >= 0; i++)
		if (fd[i] >= 0)
			len = slurp(fd[i], &buf, &size, len);
	if (fd[0] >= 0)
		close(fd[0]);
	if (len > 0) {
		size_t used = print_lines(buf, len, tail);
		memmove(buf, buf + used, len - used);
		len -= used;
	}
	if (follow_it && len >= 0)
		follow(&st, &c, fd[1], &buf, &size, len);
	else if (fd[1] >= 0)
		close(fd[1]);
	free(buf);
	return 0;
}
