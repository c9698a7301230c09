/*
 * tests/10-full-port-tcp.c - a tiny static nc for the port tests (the
 * image's busybox has no nc), run on the host, in the test's namespaces
 * and inside containers.
 *
 *	tcp serve PORT		accept forever; each connection gets its own
 *				process that sends back what it reads, until
 *				the peer half-closes, then closes
 *	tcp listen PORT		accept one connection, print the peer's
 *				address ("peer A.B.C.D") on stderr, copy the
 *				connection to stdout until EOF
 *	tcp send ADDR PORT	connect (ADDR: an IPv4 address, or a name of
 *				/etc/hosts: a container's neighbours on the
 *				bridge are there); a child copies stdin to the
 *				connection, then shutdown(SHUT_WR), while
 *				what comes back is copied to stdout until EOF
 *				(then the child is killed and we exit 0)
 *				(both at once: an echo of 1 MiB would fill
 *				both ways' buffers otherwise)
 *	tcp sendfrom SPORT ADDR PORT  as send, from source port SPORT
 *	tcp sink PORT		accept forever; each connection's bytes are
 *				read and dropped until EOF, then it is closed
 *	tcp blast ADDR PORT MIB	connect, write MIB MiB of zeros, shutdown,
 *				wait for the close; print "MiB/s" (for
 *				10-full/bench-net.sh)
 *	tcp hold N ADDR PORT	open N connections to an echo server, say
 *				"ping" on each: print "held K refused M" (K
 *				echoed, M closed by the other side), then
 *				hold them open until stdin ends
 *	tcp spread N ADDR PORT	as hold, but the k-th connection from its own
 *				address of 127.0.0.0/8 (127.1.k/250.k%250+1):
 *				one local user that looks like N clients
 *	tcp stall PORT		accept forever, and never read: each peer's
 *				bytes pile up wherever they can
 *	tcp pipes PID		for each fd of a pipe PID holds: "pipe:[INO]
 *				size S queued Q", its capacity and what is
 *				in it, in bytes (taken with pidfd_getfd:
 *				root)
 * Exit status 0, or 1 with a message.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int listener(const char *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(atoi(port))};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16))
		err(1, "listen on %s", port);
	return fd;
}

/* ADDR as an IPv4 address, or the first address /etc/hosts gives the
 * name ADDR (static: no NSS here). Returns 0, or -1. */
static int addr_of(const char *addr, struct in_addr *a)
{
	char line[512], *word, *save;
	FILE *f;
	int ret = -1;

	if (inet_pton(AF_INET, addr, a) == 1)
		return 0;
	f = fopen("/etc/hosts", "r");
	while (f && ret < 0 && fgets(line, sizeof(line), f)) {
		char *ip = strtok_r(line, " \t\n", &save);

		if (!ip || *ip == '#' || inet_pton(AF_INET, ip, a) != 1)
			continue;
		while (ret < 0 && (word = strtok_r(NULL, " \t\n", &save)))
			if (strcmp(word, addr) == 0)
				ret = 0;
	}
	if (f)
		fclose(f);
	return ret;
}

/* Copies from to to until EOF; 0 or -1. */
static int copy(int from, int to)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(to, buf + off, n - off)) <= 0)
				return -1;
	return n < 0 ? -1 : 0;
}

/* tcp hold and spread: see above. */
static int hold(int n, const char *addr, const char *port, bool spread)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(atoi(port))};
	int held = 0, refused = 0;
	char buf[16];

	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1)
		errx(1, "%s: no IPv4 address", addr);
	for (int i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct pollfd p = {fd, POLLIN, 0};
		struct sockaddr_in from = {.sin_family = AF_INET,
			.sin_addr.s_addr = htonl(0x7f010000 | (i / 250) << 8 |
						 (i % 250 + 1))};

		if (spread && bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0)
			err(1, "bind to %s", inet_ntoa(from.sin_addr));
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			err(1, "connect to %s:%s", addr, port);
		/* An echo within 10 s: held; end of file or a reset:
		 * refused. (Never both: the reply is waited for.) */
		if (write(fd, "ping\n", 5) != 5 || poll(&p, 1, 10000) != 1 ||
		    read(fd, buf, sizeof(buf)) <= 0)
			refused++;
		else
			held++;
	}
	printf("held %d refused %d\n", held, refused);
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}

/* tcp pipes: see above. */
static int pipes(const char *pid)
{
	char dir[64], path[320], link[64];
	struct dirent *e;
	DIR *d;
	int pfd, fd, size, queued;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	pfd = syscall(SYS_pidfd_open, atoi(pid), 0);
	if (pfd < 0 || !(d = opendir(dir)))
		err(1, "%s", dir);
	while ((e = readdir(d))) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "pipe:", 5) != 0)
			continue;
		fd = syscall(SYS_pidfd_getfd, pfd, atoi(e->d_name), 0);
		if (fd < 0)
			continue; /* closed meanwhile */
		size = fcntl(fd, F_GETPIPE_SZ);
		if (size < 0 || ioctl(fd, FIONREAD, &queued) < 0)
			err(1, "%s", path);
		printf("%s size %d queued %d\n", link, size, queued);
		close(fd);
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd, c;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && !strcmp(argv[1], "serve")) {
		signal(SIGCHLD, SIG_IGN); /* no zombies */
		fd = listener(argv[2]);
		for (;;) {
			if ((c = accept(fd, NULL, NULL)) < 0)
				continue;
			if (fork() == 0) {
				copy(c, c);
				_exit(0);
			}
			close(c);
		}
	}
	if (argc == 3 && !strcmp(argv[1], "sink")) {
		static char buf[1 << 16];

		signal(SIGCHLD, SIG_IGN);
		fd = listener(argv[2]);
		for (;;) {
			if ((c = accept(fd, NULL, NULL)) < 0)
				continue;
			if (fork() == 0) {
				while (read(c, buf, sizeof(buf)) > 0)
					;
				_exit(0);
			}
			close(c);
		}
	}
	if (argc == 5 && !strcmp(argv[1], "blast")) {
		static char buf[1 << 20];
		long long mib = atoll(argv[4]);
		struct timespec t0, t1;

		a.sin_port = htons(atoi(argv[3]));
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1 ||
		    connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			err(1, "connect to %s:%s", argv[2], argv[3]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long long i = 0; i < mib; i++)
			for (ssize_t off = 0, w; off < (ssize_t)sizeof(buf); off += w)
				if ((w = write(fd, buf + off, sizeof(buf) - off)) <= 0)
					err(1, "send");
		/* Until the far end has read it all and closed. */
		shutdown(fd, SHUT_WR);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("%.0f\n", mib / (t1.tv_sec - t0.tv_sec +
					(t1.tv_nsec - t0.tv_nsec) / 1e9));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "listen")) {
		fd = listener(argv[2]);
		if ((c = accept(fd, (struct sockaddr *)&a, &len)) < 0)
			err(1, "accept");
		fprintf(stderr, "peer %s\n", inet_ntoa(a.sin_addr));
		return copy(c, 1) < 0;
	}
	if (argc == 5 && !strcmp(argv[1], "sendfrom")) {
		struct sockaddr_in from = {.sin_family = AF_INET,
					   .sin_port = htons(atoi(argv[2]))};
		int one = 1;

		fd = socket(AF_INET, SOCK_STREAM, 0);
		/* The port a listener of the host holds: ours too. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0)
			err(1, "bind to port %s", argv[2]);
		argv++;
		argc--;
		goto send;
	}
	if (argc == 4 && !strcmp(argv[1], "send")) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
send:
		a.sin_port = htons(atoi(argv[3]));
		if (addr_of(argv[2], &a.sin_addr) < 0 ||
		    connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			err(1, "connect to %s:%s", argv[2], argv[3]);
		if ((c = fork()) == 0) {
			if (copy(0, fd) < 0 || shutdown(fd, SHUT_WR) < 0)
				err(1, "send");
			_exit(0);
		}
		if (copy(fd, 1) < 0)
			return 1;
		/* The other side closed: whatever stdin still had to say
		 * has nowhere to go (the child may still wait on it). */
		kill(c, SIGKILL);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "hold"))
		return hold(atoi(argv[2]), argv[3], argv[4], false);
	if (argc == 5 && !strcmp(argv[1], "spread"))
		return hold(atoi(argv[2]), argv[3], argv[4], true);
	if (argc == 3 && !strcmp(argv[1], "stall")) {
		fd = listener(argv[2]);
		for (;;)
			accept(fd, NULL, NULL); /* kept, never read */
	}
	if (argc == 3 && !strcmp(argv[1], "pipes"))
		return pipes(argv[2]);
	fprintf(stderr, "usage: tcp serve PORT | listen PORT | send ADDR PORT "
			"| sink PORT | blast ADDR PORT MIB | hold N ADDR PORT "
			"| spread N ADDR PORT | stall PORT | pipes PID "
			"| sendfrom SPORT ADDR PORT\n");
	return 1;
}
