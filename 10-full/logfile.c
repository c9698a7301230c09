/*
 * 10-full/logfile.c - the container's output, written line by line with
 * its time and stream, in a file that cannot grow without bound.
 *
 * Claim: every byte the container writes reaches the log with the stream
 *        it came on; lines keep their order within a stream; the log and
 *        its one older part together stay under 2 x LOGFILE_MAX bytes,
 *        whatever the container writes.
 *        (tested in tests/10-full-life.bats)
 * Uses:  store.c (the time)
 * Read:  write(2) (O_APPEND), rename(2)
 *
 * The relay thread calls logfile_add() with what one read() brought: a
 * piece of a line, a line, or many. Each newline ends an "F" line; what is
 * left after the last newline is written at once as a "P" line, rather
 * than kept back: a prompt without a newline shows up in `logs -f` when
 * it is written, and nothing is lost if the supervisor dies.
 */
#include "logfile.h"
#include "store.h"

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fd = -1;
static char path[4096];
static off_t size;

int logfile_open(const char *p)
{
	struct stat sb;

	snprintf(path, sizeof(path), "%s", p);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		warn("%s", path);
		logfile_close();
		return -1;
	}
	size = sb.st_size;
	return 0;
}

bool logfile_on(void)
{
	return fd >= 0;
}

/* Past the limit: the log becomes ID.log.1, and a new one starts. */
static void rotate(void)
{
	char old[sizeof(path) + 2];
	int nfd;

	snprintf(old, sizeof(old), "%s.1", path);
	if (rename(path, old) < 0)
		return; /* keep writing where we are */
	nfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (nfd < 0)
		return;
	close(fd);
	fd = nfd;
	size = 0;
}

/* Writes one log line: the head, then len bytes of text, then "\n". */
static void put(const char *head, size_t hlen, const char *text, size_t len)
{
	char *line = malloc(hlen + len + 1);

	if (!line)
		return;
	memcpy(line, head, hlen);
	memcpy(line + hlen, text, len);
	line[hlen + len] = '\n';
	/* One write: with O_APPEND, a reader sees whole lines. */
	if (write(fd, line, hlen + len + 1) > 0)
		size += hlen + len + 1;
	free(line);
	if (size >= LOGFILE_MAX)
		rotate();
}

void logfile_add(int stream, const char *buf, size_t n)
{
	char now[40], head[64];
	const char *nl;
	size_t len;

	if (fd < 0)
		return;
	store_now(now);
	while (n > 0) {
		nl = memchr(buf, '\n', n);
		len = nl ? (size_t)(nl - buf) : n;
		put(head, snprintf(head, sizeof(head), "%s %s %c ", now,
				   stream == 2 ? "stderr" : "stdout",
				   nl ? 'F' : 'P'),
		    buf, len);
		len += nl ? 1 : 0;
		buf += len;
		n -= len;
	}
}

void logfile_close(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
}
