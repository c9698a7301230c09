/*
 * 10-full/proxy.c - docker-proxy's job: a thread of the runtime accepts
 * on each published host port and relays every connection to the
 * container's address, both ways.
 *
 * Claim: a TCP server in the container answers through -p from the
 *        host's 127.0.0.1 and from another namespace that reaches the
 *        host; 1 MiB arrives intact both ways; each side's end of data
 *        reaches the other (half-close); a peer that stops reading
 *        makes it hold at most 64 KiB of a connection; one client, or
 *        one local user from any addresses of 127.0.0.0/8, gets at most
 *        16 connections; nothing of it is left at stop.
 *        (tested in tests/10-full-port.bats)
 * Uses:  ports.c (the listening sockets)
 * Read:  splice(2), poll(2), shutdown(2), connect(2) ("EINPROGRESS"),
 *        sock_diag(7)
 *
 * Why a proxy and not only DNAT: a DNAT rule in PREROUTING sees packets
 * that arrive from outside, never those the host sends to itself (they
 * go through OUTPUT), so `curl 127.0.0.1:8080` on the host would miss it
 * (the mistake of several teaching runtimes). A proxy is an ordinary
 * program: whatever reaches the host port reaches it.
 *
 * Each connection is two directions; each has a pipe. splice(2) moves
 * bytes from the socket into the pipe and from the pipe into the other
 * socket inside the kernel (pages, not copies through our memory). All
 * sockets are non-blocking, and one poll(2) loop serves every connection:
 * a direction waits to read only when its pipe is empty, and to write
 * only when it has something queued, so the loop never spins. A
 * direction holds at most HOLD bytes (64 KiB; docker-proxy, 32): a pipe
 * is counted in slots, not bytes, and a slot spliced from a socket holds
 * a whole piece of a packet, so a peer that stops reading once left
 * 6.7 MB in one pipe of 1 MiB (256 slots), host memory outside the
 * container's -m; 256 connections, 1.7 GB. The pipe is the default one
 * (16 slots): at most 16 of the socket's pages are held, whatever their
 * size. When one
 * side ends (read returns 0) and its queue is drained, the other side
 * gets shutdown(SHUT_WR): it reads an end of file and may still answer,
 * which is what a request/response over one connection needs. The
 * connection is closed, all six fds, when both directions have ended,
 * or at the first error (a reset).
 */
#include "proxy.h"

#include <arpa/inet.h>
#include <err.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* At most MAX_CONNS connections, and PER_CLIENT of one client: one
 * holding connections open (a hostile test held 64, the old limit for
 * everyone) must not shut every other client out. A client is an address,
 * or, for a connection from this host, the user who owns its other end:
 * a local user may connect from any of the 16 million addresses of
 * 127.0.0.0/8, and a hostile tester's took all 256 from 17 of them. */
#define MAX_CONNS 256
#define PER_CLIENT 16
#define FD_NEED (64 + 6 * MAX_CONNS)
/* The most one direction of a connection holds in its pipe, in bytes:
 * what one side sent and the other has not taken yet stays in the
 * kernel's socket buffers (bounded by the kernel), not with us. */
#define HOLD (64 * 1024)

/* One relayed connection. Only the proxy's thread touches these. */
struct conn {
	int fd[2];	/* 0: the client's socket, 1: the container's */
	int pipe[2][2]; /* pipe[d]: bytes read from fd[d] for fd[!d] */
	size_t queued[2];
	bool eof[2];	/* fd[d] said end of file */
	bool shut[2];	/* and fd[!d] was told (shutdown SHUT_WR) */
	int port;	/* its container port */
	struct in_addr peer; /* the client's address */
	long owner;	/* a local client's uid, or -1: a remote one */
	bool connecting;
};

static struct conn conns[MAX_CONNS];
static int n_conns;
static const struct ports *published;
static struct in_addr target;
static int stop_fd = -1; /* eventfd: "stop", from proxy_stop() */
static pthread_t thread;
static bool running;

static int diag = -1; /* NETLINK_SOCK_DIAG, opened with the thread (-1:
			 clients are counted by address alone) */

/* The uid that owns the other end of client, when that end is a socket
 * of this host: the kernel's sock_diag finds it by its addresses (its
 * local ones are the client's, its remote ones ours). -1 when none is
 * found (a remote client) or the kernel does not say. The answer must be
 * that very connection: for a 4-tuple it does not know, the kernel's
 * lookup falls back to a socket listening on the client's port, and a
 * remote client from port 22 was then counted as sshd's owner, root (a
 * reviewer's). */
static long local_owner(int client)
{
	struct sockaddr_in me, peer;
	socklen_t l1 = sizeof(me), l2 = sizeof(peer);
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 r;
	} req = {
		.nh = {.nlmsg_len = sizeof(req),
		       .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST},
		.r = {.sdiag_family = AF_INET, .sdiag_protocol = IPPROTO_TCP,
		      .idiag_states = ~0U,
		      .id = {.idiag_cookie = {INET_DIAG_NOCOOKIE,
					      INET_DIAG_NOCOOKIE}}},
	};
	union {
		struct nlmsghdr nh;
		char bytes[1024];
	} ans;
	struct inet_diag_msg *m;
	ssize_t n;

	if (getsockname(client, (struct sockaddr *)&me, &l1) < 0 ||
	    getpeername(client, (struct sockaddr *)&peer, &l2) < 0)
		return -1;
	if (diag < 0)
		return -1;
	req.r.id.idiag_sport = peer.sin_port;
	req.r.id.idiag_dport = me.sin_port;
	req.r.id.idiag_src[0] = peer.sin_addr.s_addr;
	req.r.id.idiag_dst[0] = me.sin_addr.s_addr;
	if (send(diag, &req, sizeof(req), 0) != sizeof(req))
		return -1;
	n = recv(diag, &ans, sizeof(ans), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(*m)) ||
	    ans.nh.nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return -1; /* NLMSG_ERROR: ENOENT, no such socket here */
	m = NLMSG_DATA(&ans.nh);
	if (ans.nh.nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
	    m->idiag_state == TCP_LISTEN ||
	    m->id.idiag_sport != peer.sin_port ||
	    m->id.idiag_dport != me.sin_port ||
	    m->id.idiag_src[0] != peer.sin_addr.s_addr ||
	    m->id.idiag_dst[0] != me.sin_addr.s_addr)
		return -1;
	return (long)m->idiag_uid;
}

static void conn_close(int i)
{
	struct conn *c = &conns[i];

	for (int d = 0; d < 2; d++) {
		close(c->fd[d]);
		close(c->pipe[d][0]);
		close(c->pipe[d][1]);
	}
	conns[i] = conns[--n_conns];
}

/* A client accepted on listening socket lfd, for container port cport:
 * starts the connection to the container (non-blocking). */
static void conn_open(int lfd, int cport)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(cport), .sin_addr = target},
			   peer = {0};
	socklen_t len = sizeof(peer);
	int client = accept4(lfd, (struct sockaddr *)&peer, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC), mine = 0;
	struct conn *c = &conns[n_conns];

	long owner;

	if (client < 0)
		return;
	owner = local_owner(client);
	for (int i = 0; i < n_conns; i++)
		mine += owner >= 0 ? conns[i].owner == owner
				   : conns[i].owner < 0 &&
					     conns[i].peer.s_addr ==
						     peer.sin_addr.s_addr;
	if (n_conns == MAX_CONNS || mine == PER_CLIENT) {
		close(client); /* too many: this one is refused */
		return;
	}
	*c = (struct conn){.fd = {client, -1}, .port = cport,
			   .peer = peer.sin_addr, .owner = owner,
			   .pipe = {{-1, -1}, {-1, -1}}};
	n_conns++;
	c->fd[1] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			  0);
	if (c->fd[1] < 0 || pipe2(c->pipe[0], O_NONBLOCK | O_CLOEXEC) < 0 ||
	    pipe2(c->pipe[1], O_NONBLOCK | O_CLOEXEC) < 0)
		goto bad;
	if (connect(c->fd[1], (struct sockaddr *)&a, sizeof(a)) < 0 &&
	    errno != EINPROGRESS)
		goto bad;
	c->connecting = true;
	return;
bad:
	conn_close(n_conns - 1); /* the client sees its connection closed */
}

/* Moves what can be moved without blocking. Returns 0, or -1 when the
 * connection is over (both directions ended, or an error). */
static int pump(struct conn *c)
{
	for (int d = 0; d < 2; d++) {
		for (int round = 0; round < 16; round++) {
			ssize_t in = 0, out = 0;

			if (!c->eof[d] && c->queued[d] < HOLD) {
				in = splice(c->fd[d], NULL, c->pipe[d][1], NULL,
					    HOLD - c->queued[d],
					    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
				if (in == 0)
					c->eof[d] = true;
				else if (in > 0)
					c->queued[d] += in;
				else if (errno != EAGAIN)
					return -1;
			}
			if (c->queued[d]) {
				out = splice(c->pipe[d][0], NULL, c->fd[!d], NULL,
					     c->queued[d],
					     SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
				if (out > 0)
					c->queued[d] -= out;
				else if (out < 0 && errno != EAGAIN)
					return -1;
			}
			if (in <= 0 && out <= 0)
				break;
		}
		if (c->eof[d] && !c->queued[d] && !c->shut[d]) {
			shutdown(c->fd[!d], SHUT_WR);
			c->shut[d] = true;
		}
	}
	return c->shut[0] && c->shut[1] ? -1 : 0;
}

/* What to wait for on fd[which] of c (0: nothing, and the fd is left out
 * of poll, so that a hang-up on it cannot wake us in a loop). */
static short wanted(const struct conn *c, int which)
{
	short ev = 0;

	if (c->connecting)
		return which == 1 ? POLLOUT : 0;
	if (!c->eof[which] && !c->queued[which])
		ev |= POLLIN; /* read when its pipe is empty */
	if (c->queued[!which])
		ev |= POLLOUT; /* write what the other side queued */
	return ev;
}

static void *proxy(void *arg)
{
	struct pollfd pfd[1 + MAX_PORTS + 2 * MAX_CONNS];
	int np = published->n;

	(void)arg;
	for (;;) {
		pfd[0] = (struct pollfd){.fd = stop_fd, .events = POLLIN};
		for (int i = 0; i < np; i++)
			pfd[1 + i] = (struct pollfd){published->map[i].fd, POLLIN};
		for (int i = 0; i < n_conns; i++)
			for (int w = 0; w < 2; w++) {
				struct pollfd *p = &pfd[1 + np + 2 * i + w];

				p->events = wanted(&conns[i], w);
				p->fd = p->events ? conns[i].fd[w] : -1;
				p->revents = 0;
			}
		if (poll(pfd, 1 + np + 2 * n_conns, -1) < 0) {
			if (errno == EINTR)
				continue;
			warn("proxy: poll");
			break;
		}
		if (pfd[0].revents)
			break;
		/* Connections first: accepting moves the array. */
		for (int i = n_conns - 1; i >= 0; i--) {
			struct conn *c = &conns[i];
			int e = 0;
			socklen_t len = sizeof(e);

			if (!pfd[1 + np + 2 * i].revents &&
			    !pfd[2 + np + 2 * i].revents)
				continue;
			if (c->connecting) {
				/* Refused or unreachable: the client's
				 * connection is closed. */
				if (getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR,
					       &e, &len) < 0 || e) {
					conn_close(i);
					continue;
				}
				c->connecting = false;
			}
			if (pump(c) < 0)
				conn_close(i);
		}
		for (int i = 0; i < np; i++)
			if (pfd[1 + i].revents & POLLIN)
				conn_open(published->map[i].fd,
					  published->map[i].container_port);
	}
	while (n_conns)
		conn_close(n_conns - 1);
	return NULL;
}

int proxy_start(const struct ports *p, const char *ip)
{
	struct rlimit rl;
	sigset_t all, old;
	int err;

	if (!p->n)
		return 0;
	published = p;
	if (inet_pton(AF_INET, ip, &target) != 1) {
		warnx("proxy: %s is not an IPv4 address", ip);
		return -1;
	}
	stop_fd = eventfd(0, EFD_CLOEXEC);
	if (stop_fd < 0) {
		warn("proxy: eventfd");
		return -1;
	}
	diag = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	/* Six fds a connection (two sockets, two pipes): more than the
	 * usual soft limit of 1024 at MAX_CONNS. Raised for us alone, up to
	 * the hard limit: the container, cloned before, keeps its own. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < FD_NEED) {
		rl.rlim_cur = rl.rlim_max < FD_NEED ? rl.rlim_max : FD_NEED;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* Signals stay with the main thread (it forwards them); SIGPIPE
	 * is then an EPIPE from splice for the one connection. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thread, NULL, proxy, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		warn("proxy: pthread_create");
		if (diag >= 0)
			close(diag);
		diag = -1;
		close(stop_fd);
		stop_fd = -1;
		return -1;
	}
	running = true;
	return 0;
}

void proxy_stop(void)
{
	uint64_t one = 1;

	if (running) {
		if (write(stop_fd, &one, sizeof(one)) != sizeof(one))
			warn("proxy: eventfd");
		pthread_join(thread, NULL);
		running = false;
	}
	if (stop_fd >= 0)
		close(stop_fd);
	stop_fd = -1;
	if (diag >= 0) /* the thread's, and the thread is gone */
		close(diag);
	diag = -1;
}
