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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
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

/* What one logfile_add() made, written at its end: one write() for many
 * lines. A write per line let a container make its supervisor, which no
 * cgroup of its own limits, do the work: a hostile tester's `--cpus 0.05`
 * container wrote 64 KiB of newlines at a time and kept the supervisor
 * at 91% of a CPU (65536 writes a read). */
static char batch[65536];
static size_t used;
/* The relay's thread and -t's may both log (each a stream of its own). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void flush(void)
{
	if (used && write(fd, batch, used) > 0)
		size += used;
	used = 0;
	if (size >= LOGFILE_MAX)
		rotate();
}

/* Adds one log line to the batch: the head, then len bytes of text,
 * then "\n". */
static void put(const char *head, size_t hlen, const char *text, size_t len)
{
	struct iovec v[3] = {{(void *)head, hlen}, {(void *)text, len},
			     {"\n", 1}};

	if (hlen + len + 1 > sizeof(batch) - used)
		flush();
	if (hlen + len + 1 > sizeof(batch)) {
		/* Longer than the batch: one write of its own. With
		 * O_APPEND, a reader sees whole lines either way. */
		if (writev(fd, v, 3) > 0)
			size += hlen + len + 1;
	} else {
		memcpy(batch + used, head, hlen);
		memcpy(batch + used + hlen, text, len);
		batch[used + hlen + len] = '\n';
		used += hlen + len + 1;
	}
	/* Rotated after the line that reaches the limit, as one by one. */
	if (size + used >= LOGFILE_MAX)
		flush();
}

void logfile_add(int stream, const char *buf, size_t n)
{
	char now[40], head[64];
	const char *nl;
	size_t len;

	if (fd < 0)
		return;
	store_now(now);
	pthread_mutex_lock(&lock);
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
	flush();
	pthread_mutex_unlock(&lock);
}

void logfile_close(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
}
