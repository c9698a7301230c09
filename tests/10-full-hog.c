/*
 * tests/10-full-hog.c - takes, inside a container, as much of one kernel
 * budget as it is given, to see where the runtime stops it. Static; it
 * travels into the container through a read-only volume.
 *
 *	hog ptys N	open /dev/ptmx N times: "ptys K ERRNO" (K opened,
 *			ERRNO of the first failure, or "ok")
 *	hog sigq N	queue N real-time signals to itself (blocked):
 *			"sigq K ERRNO"
 *	hog mq N	create N POSIX message queues of 8 x 8 KiB:
 *			"mq K ERRNO"
 *	hog tcp N	make N connections to itself on 127.0.0.1, and
 *			write to each until it takes no more, never read:
 *			"tcp K ERRNO", K the MiB queued in all
 *	hog lease FILE	take a read lease on FILE (as its owner may): an
 *			open for writing by anyone else then waits for the
 *			lease's break, up to fs.lease-break-time (45 s);
 *			"lease 1 ok"
 * (mq_open: -lrt where the C library is older than glibc 2.34.)
 * Then it waits for stdin to end (or is killed), holding what it took.
 * Exit status 0, or 1 if it could not start.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static void hold(const char *what, long k, int e)
{
	char buf[64];

	printf("%s %ld %s\n", what, k, e ? strerrorname_np(e) : "ok");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
}

static void ptys(long n)
{
	struct rlimit r;
	long k = 0;

	/* Each pty is an fd: as many as the hard limit allows (a soft
	 * limit of 1024 stopped it at 1021, EMFILE). */
	if (getrlimit(RLIMIT_NOFILE, &r) == 0) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
	for (; k < n; k++)
		if (open("/dev/ptmx", O_RDWR | O_NOCTTY) < 0)
			return hold("ptys", k, errno);
	hold("ptys", k, 0);
}

static void sigq(long n)
{
	union sigval v = {0};
	sigset_t set;
	long k = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (; k < n; k++)
		if (sigqueue(getpid(), SIGRTMIN, v) < 0)
			return hold("sigq", k, errno);
	hold("sigq", k, 0);
}

static void mq(long n)
{
	struct mq_attr a = {.mq_maxmsg = 8, .mq_msgsize = 8192};
	char name[32];
	long k = 0;

	for (; k < n; k++) {
		snprintf(name, sizeof(name), "/hog-%ld", k);
		if (mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a) < 0)
			return hold("mq", k, errno);
		/* Nameless now, and gone with us; its bytes count while we
		 * hold it open. */
		mq_unlink(name);
	}
	hold("mq", k, 0);
}

static void tcp(long n)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	static char buf[65536];
	socklen_t len = sizeof(a);
	long queued = 0, k = 0;
	int l = socket(AF_INET, SOCK_STREAM, 0), e = 0;

	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(l, 64) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0) {
		perror("hog tcp");
		exit(1);
	}
	for (; k < n && !e; k++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		ssize_t w;

		if (c < 0 || (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 &&
			      errno != EINPROGRESS) ||
		    accept(l, NULL, NULL) < 0) {
			e = errno;
			break;
		}
		/* Until this connection takes no more: both ends' buffers
		 * are full, or the kernel will not grow them (EAGAIN). */
		while ((w = write(c, buf, sizeof(buf))) > 0)
			queued += w;
		if (w < 0 && errno != EAGAIN)
			e = errno;
	}
	hold("tcp", queued >> 20, e);
}

static void lease(const char *file)
{
	int fd;

	/* A break (SIGIO) would end us: ignored, the lease is kept until
	 * the kernel takes it away. */
	signal(SIGIO, SIG_IGN);
	fd = open(file, O_RDONLY);
	if (fd < 0 || fcntl(fd, F_SETLEASE, F_RDLCK) < 0)
		return hold("lease", 0, errno);
	hold("lease", 1, 0);
}

int main(int argc, char **argv)
{
	long n = argc == 3 ? atol(argv[2]) : -1;

	if (argc == 3 && !strcmp(argv[1], "lease")) {
		lease(argv[2]);
		return 0;
	}
	if (n >= 0 && !strcmp(argv[1], "ptys"))
		ptys(n);
	else if (n >= 0 && !strcmp(argv[1], "sigq"))
		sigq(n);
	else if (n >= 0 && !strcmp(argv[1], "mq"))
		mq(n);
	else if (n >= 0 && !strcmp(argv[1], "tcp"))
		tcp(n);
	else {
		fprintf(stderr, "usage: hog ptys|sigq|mq|tcp N\n");
		return 1;
	}
	return 0;
}
