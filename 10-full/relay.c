/*
 * 10-full/relay.c - the container in a session of its own, its stdio
 * through pipes: nothing of the caller's terminal, or of any host file,
 * inside.
 *
 * Claim: the container's PID 1 leads a session and process group of its
 *        own, with no controlling terminal (-t then gives it its pty):
 *        kill(0, ...) and kill(-pgrp, ...) inside reach no host process,
 *        and /dev/tty does not open. Its fds 0-2 are pipes even when ours
 *        are a terminal or a host file; what goes through them arrives
 *        whole, stdout and stderr apart (one pipe, in order, when ours
 *        are one file), end of file passed on both ways.
 *        (tested in tests/10-full-session.bats)
 * Uses:  nothing but libc
 * Read:  credentials(7) (sessions), setsid(2), pipe(7), poll(2),
 *        termios(3) (job control: SIGTTIN)
 *
 * In our process group, the container could signal it all: `kill -TERM
 * 0` inside would end the shell job that started us, us, a sibling
 * container. A PID namespace hides processes from kill(pid), not from
 * kill(0), "my own group". setsid() moves the container out: a session
 * and group with only it in them, and no controlling terminal, so
 * /dev/tty opens nothing (ENXIO). But fds 0-2 would still be our
 * terminal (tcsetattr() works on any terminal fd, controlling or not), or
 * a host file that root inside could chmod through /proc/self/fd/1. So
 * the container gets three pipes, and a thread of ours copies between
 * them and our 0-2, as runc in the foreground and docker do. Always, not
 * only for a terminal: one path, and no host fd inside.
 */
#include "relay.h"
#include "logfile.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

/* One direction: bytes read from `from` wait in buf until `to` takes
 * them. While the thread runs, only the thread touches these. */
struct chan {
	int from, to;
	bool done;
	size_t off, len;
	char *buf;
};

#define CHAN_BUF 16384
/* Zero, so in .bss: no page of them is ours until bytes go through (a
 * buffer inside chans would put 48 KiB in .data, which an idle
 * supervisor then maps: idle.c). */
static char bufs[3][CHAN_BUF];
/* [0] our stdin to the container's, [1] its stdout to ours, [2] its
 * stderr to ours. Our 0-2 are never closed here; the pipe ends are. */
static struct chan chans[3] = {{STDIN_FILENO, -1, .buf = bufs[0]},
			       {-1, STDOUT_FILENO, .buf = bufs[1]},
			       {-1, STDERR_FILENO, .buf = bufs[2]}};
static int child_end[3] = {-1, -1, -1}; /* become the container's 0-2 */
static int ended = -1; /* eventfd: main thread to relay, "it is over" */
/* Detached (run -d, start): the container's stderr goes to the log, and
 * to ours (the caller's) only to say why a start failed. What it writes
 * before the init has told how its exec went is held: 'S' (the command
 * runs) drops it for us (it is the command's, and in the log: `start
 * -a` prints it from there; copied to us too, it came out twice, and
 * `run -d` printed a container's stderr); 'F' lets it out (the init's
 * reason: 126, 127). relay_verdict() sets it; `told` wakes the thread. */
static bool hold;
static volatile char verdict; /* 0 not yet, 'S' or 'F' */
static int told = -1;	      /* eventfd */
static pthread_t thread;
static bool running;

/* Closes *fd if it is open, and marks it closed. */
static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Our end of c's pipe: the container's stdin is written, its stdout and
 * stderr read. (The other end of c is one of our 0-2, never closed.) */
static int *our_end(struct chan *c)
{
	return c == &chans[0] ? &c->to : &c->from;
}

/* Closes the pipes and the eventfd (never our 0-2). */
static void close_all(void)
{
	for (int i = 0; i < 3; i++) {
		close_fd(&child_end[i]);
		close_fd(our_end(&chans[i]));
	}
	close_fd(&ended);
	close_fd(&told);
}

int relay_stdio_open(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		/* open() takes the lowest free number: fd, as the lower
		 * ones are open by now. */
		if (open("/dev/null", O_RDWR) != fd) {
			warn("open /dev/null on the closed fd %d", fd);
			return -1;
		}
	}
	return 0;
}

/* Whether our stdout and stderr are one file (2>&1, a terminal): then
 * the container's are one pipe too, which keeps their order. */
static bool one_output(void)
{
	struct stat out, err;

	return fstat(STDOUT_FILENO, &out) == 0 &&
	       fstat(STDERR_FILENO, &err) == 0 && out.st_dev == err.st_dev &&
	       out.st_ino == err.st_ino;
}

int relay_prepare(bool detached, bool keep_stdin)
{
	int p[2];

	for (int i = 0; i < 3; i++) {
		/* Detached, the outputs go to the log, each stream apart
		 * (logfile.c); stderr also to ours, which is the caller's
		 * until the command runs (supervise.c): why a start failed
		 * is said where `run -d` was typed. A log keeps the two
		 * streams apart in the foreground too. */
		if (detached && i == 1)
			chans[i].to = -1;
		else if (i == 2 && !logfile_on() && one_output()) {
			chans[2].done = true;
			child_end[2] = fcntl(child_end[1], F_DUPFD_CLOEXEC, 3);
			if (child_end[2] < 0) {
				warn("relay: dup");
				goto bad;
			}
			break;
		}
		if (pipe2(p, O_CLOEXEC) < 0) {
			warn("pipe");
			goto bad;
		}
		/* The container reads its stdin, writes its stdout, stderr. */
		child_end[i] = p[i > 0];
		*our_end(&chans[i]) = p[i == 0];
	}
	/* A container that does not read its stdin must not block the
	 * thread, which also copies its output: our end never blocks. */
	/* -itd: the container's stdin stays open, and nothing comes (a
	 * shell then waits for its next line instead of ending). */
	chans[0].done = keep_stdin;
	hold = detached && chans[2].to >= 0;
	verdict = 0;
	if (fcntl(chans[0].to, F_SETFL, O_NONBLOCK) < 0 ||
	    (ended = eventfd(0, EFD_CLOEXEC)) < 0 ||
	    (hold && (told = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)) {
		warn("relay: fcntl, eventfd");
		goto bad;
	}
	return 0;
bad:
	relay_finish();
	return -1;
}

int relay_child(void)
{
	if (setsid() < 0) {
		warn("setsid");
		return -1;
	}
	if (child_end[0] < 0)
		return 0; /* -t: tty_child() gives it a pty instead */
	for (int i = 0; i < 3; i++)
		if (dup2(child_end[i], i) < 0) {
			warn("dup2");
			return -1;
		}
	/* Our ends too: while the container held the write end of its own
	 * stdin, it would never see its end of file. */
	close_all();
	return 0;
}

/* Ends direction c. Its stdin: the container reads end of file. Its
 * stdout or stderr: our reader went away (EPIPE), so its next write fails
 * with EPIPE too, as it would have without us. */
static void chan_end(struct chan *c)
{
	close_fd(our_end(c));
	c->done = true;
	c->len = 0;
}

/* One step of c, which poll() found ready: read into the empty buffer,
 * or write out what it holds. */
static void chan_step(struct chan *c)
{
	ssize_t n;

	if (c->len == 0) {
		n = read(c->from, c->buf, CHAN_BUF);
		if (n > 0) {
			c->off = 0;
			c->len = c->to < 0 ? 0 : n; /* detached: the log only */
			if (c != &chans[0])
				logfile_add(c == &chans[1] ? 1 : 2, c->buf, n);
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			chan_end(c); /* end of file, or EIO: see relay_start */
		}
		return;
	}
	n = write(c->to, c->buf + c->off, c->len);
	if (n > 0) {
		c->off += n;
		c->len -= n;
	} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
		chan_end(c);
	}
}

/* Once the container has ended, every one of its processes is gone, and
 * so their write ends: what the pipe holds is all there will be. Read it
 * without blocking, and no more than the pipe holds, so that a writer
 * outside (a pipe end passed to another container or a host process
 * through a socket) cannot keep us, and the cleanup, waiting: a hostile
 * tester's other container wrote newlines into it faster than we logged
 * them, and the pipe was never empty. */
static void drain(struct chan *c)
{
	struct pollfd p = {c->to, POLLOUT, 0};
	long left = fcntl(c->from, F_GETPIPE_SZ);
	ssize_t n;

	if (c->done || fcntl(c->from, F_SETFL, O_NONBLOCK) < 0)
		return;
	if (left <= 0) /* not a pipe (a terminal): a bound all the same */
		left = 1 << 20;
	while (!c->done) {
		if (c->len == 0) {
			if (left <= 0) {
				chan_end(c);
				break;
			}
			n = read(c->from, c->buf,
				 left < CHAN_BUF ? left : CHAN_BUF);
			if (n > 0)
				left -= n;
			if (n <= 0) {
				chan_end(c);
				break;
			}
			c->off = 0;
			c->len = c->to < 0 ? 0 : n;
			logfile_add(c == &chans[1] ? 1 : 2, c->buf, n);
			continue;
		}
		poll(&p, 1, -1); /* our stdout may be non-blocking */
		chan_step(c);
	}
}

/* The init's word came (or never will: the end): held stderr is let
 * out ('F'), or dropped and from now on only logged ('S'). */
static void decide(void)
{
	uint64_t n;

	if (!hold)
		return;
	if (told >= 0 && read(told, &n, sizeof(n)) < 0) {
		/* nothing to read: asked at the end */
	}
	hold = false;
	if (verdict == 'S') {
		chans[2].len = 0;
		chans[2].to = -1;
	}
}

void relay_verdict(char v)
{
	uint64_t one = 1;

	if (told < 0)
		return;
	verdict = v;
	if (write(told, &one, sizeof(one)) != sizeof(one))
		warn("relay: eventfd");
}

static void *relay(void *arg)
{
	struct pollfd p[5];
	bool over = false;

	(void)arg;
	/* Until both outputs are closed and our stdin has ended, or the
	 * container has (then no one reads what we would copy in). */
	while (!over && !(chans[0].done && chans[1].done && chans[2].done)) {
		for (int i = 0; i < 3; i++) {
			struct chan *c = &chans[i];

			p[i].fd = c->done ? -1 : c->len ? c->to : c->from;
			p[i].events = c->len ? POLLOUT : POLLIN;
		}
		if (hold && chans[2].len)
			p[2].fd = -1; /* held until the init's word */
		p[3] = (struct pollfd){ended, POLLIN, 0};
		p[4] = (struct pollfd){hold ? told : -1, POLLIN, 0};
		if (poll(p, 5, -1) < 0) {
			if (errno == EINTR)
				continue;
			warn("relay: poll");
			break;
		}
		for (int i = 0; i < 3; i++)
			if (p[i].revents)
				chan_step(&chans[i]);
		over = p[3].revents != 0;
		if (p[4].revents)
			decide();
	}
	if (!chans[0].done)
		chan_end(&chans[0]);
	/* No word by the end: the command never ran. */
	if (hold && !verdict)
		verdict = 'F';
	decide();
	drain(&chans[1]);
	drain(&chans[2]);
	return NULL;
}

int relay_start(void)
{
	sigset_t all, old;
	int err;

	/* The child has its ends (or never will): without ours, the
	 * container's last close is an end of file for us. */
	for (int i = 0; i < 3; i++)
		close_fd(&child_end[i]);
	/* Signals stay with the main thread, which forwards them (03).
	 * Blocked in the relay, SIGPIPE and SIGTTIN cannot stop us either:
	 * a reader that goes away (`container run ... | head -1`) makes our
	 * write() fail with EPIPE, and only that copy ends; our stdin a
	 * terminal and we a background job, read() fails with EIO instead
	 * of stopping the whole runtime, output copying included, and the
	 * container's stdin ends. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thread, NULL, relay, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		warn("relay: pthread_create");
		return -1;
	}
	running = true;
	return 0;
}

int relay_stdin(void)
{
	int fd = fcntl(chans[0].to, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		warn("relay: dup");
	return fd;
}

void relay_finish(void)
{
	uint64_t one = 1;

	if (running) {
		if (write(ended, &one, sizeof(one)) != sizeof(one))
			warn("relay: eventfd");
		pthread_join(thread, NULL);
		running = false;
	}
	close_all();
}
