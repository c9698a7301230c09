/*
 * 10-full/attachd.c - the supervisor's side of `container attach`: it
 * holds a detached container's stdin, and copies into it what an attached
 * client types.
 *
 * Claim: see attach.c, the client's side.
 * Uses:  supervise.c (this runs in the supervisor), relay.c and tty.c
 *        (they hand over the pipe's write end, or the pty's master)
 * Read:  unix(7), accept(2), shutdown(2); podman's conmon, which keeps
 *        an "attach" socket per container for the same job
 *
 * Who holds a detached container's stdin: its supervisor (the write end
 * of the pipe, or the pty's master with -t). So `attach` talks to the
 * supervisor, through a unix socket beside the record, and the supervisor
 * copies what comes in into the container. Output needs no socket: every
 * byte is in the log already, and `attach` follows it from its end, as
 * `logs -f` does. Docker splits the job the same way between containerd's
 * shim (holds stdin) and the daemon (keeps and serves the log).
 * The socket is a file in the data root: only its owner (root, or the
 * rootless user) may connect, as only they may run `exec`. A write into
 * the container's stdin that waits for room gives up when attach_stop()
 * says so: its reader may be held by a process outside that never reads.
 */
#include "attachd.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int listen_fd = -1, dir_fd = -1, input = -1, client = -1;
static int stop_fd = -1; /* eventfd: attach_stop to put(), "give up" */
static char sock_name[32]; /* ID.sock, in dir_fd */
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool serving, stopping;

/* The socket's address: through /proc/self/fd, since sun_path holds only
 * 108 bytes and the data root may be longer. */
static void sock_addr(struct sockaddr_un *a, int dir, const char *name)
{
	*a = (struct sockaddr_un){.sun_family = AF_UNIX};
	snprintf(a->sun_path, sizeof(a->sun_path), "/proc/self/fd/%d/%s", dir,
		 name);
}

int attach_listen(const char *root, const char *id)
{
	char path[PATH_MAX];
	struct sockaddr_un a;
	mode_t mask;
	int ret;

	snprintf(path, sizeof(path), "%s/containers", root);
	snprintf(sock_name, sizeof(sock_name), "%s.sock", id);
	dir_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (dir_fd < 0 || listen_fd < 0) {
		warn("attach: %s", path);
		attach_stop();
		return -1;
	}
	/* One left by a supervisor killed with -9, at the last run. */
	unlinkat(dir_fd, sock_name, 0);
	sock_addr(&a, dir_fd, sock_name);
	/* Who may connect is the socket file's mode, which bind() takes
	 * from the umask: ours alone, whatever the caller's umask was
	 * (under 000 anyone could type into a root shell). No thread of
	 * ours runs yet to see the umask change. */
	mask = umask(0177);
	ret = bind(listen_fd, (struct sockaddr *)&a, sizeof(a));
	umask(mask);
	if (ret < 0 || listen(listen_fd, 4) < 0) {
		warn("attach: %s/%s", path, sock_name);
		attach_stop();
		return -1;
	}
	return 0;
}

/* Writes all of buf to fd (which may be non-blocking). Returns 0, or -1
 * when the container's side is gone, or attach_stop() says to give up:
 * a reader of the container's stdin that a process outside holds (passed
 * out through a socket) and never reads would keep the write, and the
 * end of the run, waiting for good (a hostile tester's did). */
static int put(int fd, const char *buf, ssize_t n)
{
	struct pollfd p[2] = {{fd, POLLOUT, 0}, {stop_fd, POLLIN, 0}};

	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (poll(p, 2, -1) > 0 && p[1].revents)
				return -1;
			continue;
		}
		if (w <= 0)
			return -1;
		buf += w;
		n -= w;
	}
	return 0;
}

/* One client at a time types in; others wait in the listen queue. A
 * client that leaves (Ctrl-P Ctrl-Q, or its stdin ended) does not end
 * the container's stdin: the next `attach` types on, as with docker. */
static void *serve(void *arg)
{
	char buf[4096];
	bool gone = false;
	ssize_t n;
	int c;

	(void)arg;
	while (!gone && (c = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		pthread_mutex_lock(&lock);
		client = stopping ? -1 : c;
		pthread_mutex_unlock(&lock);
		while (client >= 0 && ((n = read(c, buf, sizeof(buf))) > 0 ||
				       (n < 0 && errno == EINTR)))
			if (n > 0 && put(input, buf, n) < 0)
				gone = true;
		pthread_mutex_lock(&lock);
		client = -1;
		close(c);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int attach_start(int fd)
{
	sigset_t all, old;
	int err;

	if (listen_fd < 0) {
		close(fd);
		return 0;
	}
	input = fd;
	stop_fd = eventfd(0, EFD_CLOEXEC);
	if (stop_fd < 0) {
		warn("attach: eventfd");
		return -1;
	}
	/* Signals stay with the main thread; SIGPIPE, blocked here, turns
	 * into EPIPE when the container's stdin is gone. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thread, NULL, serve, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		warn("attach: pthread_create");
		return -1;
	}
	serving = true;
	return 0;
}

void attach_stop(void)
{
	uint64_t one = 1;

	/* A listening socket shut down fails accept() (EINVAL), a client's
	 * socket shut down ends its read(), the eventfd a write that waits
	 * (put): the thread returns. */
	pthread_mutex_lock(&lock);
	stopping = true;
	if (client >= 0)
		shutdown(client, SHUT_RDWR);
	pthread_mutex_unlock(&lock);
	if (stop_fd >= 0 && write(stop_fd, &one, sizeof(one)) != sizeof(one))
		warn("attach: eventfd");
	if (listen_fd >= 0)
		shutdown(listen_fd, SHUT_RDWR);
	if (serving)
		pthread_join(thread, NULL);
	serving = false;
	if (dir_fd >= 0 && listen_fd >= 0)
		unlinkat(dir_fd, sock_name, 0);
	if (listen_fd >= 0)
		close(listen_fd);
	if (dir_fd >= 0)
		close(dir_fd);
	if (input >= 0)
		close(input);
	if (stop_fd >= 0)
		close(stop_fd);
	listen_fd = dir_fd = input = stop_fd = -1;
}
