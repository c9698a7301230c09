/*
 * 10-full/ports.c - the -p option: parsed, checked, and bound before the
 * container exists.
 *
 * Claim: a host port that is already in use is refused (exit 125, naming
 *        the port) before anything of the container is made; `-p` alone
 *        listens on every address of the host (the LAN can reach it),
 *        `-p 127.0.0.1:...` only on the loopback.
 *        (tested in tests/10-full-port.bats)
 * Uses:  nothing but libc
 * Read:  docker-run(1) ("--publish"), bind(2), ip(7), socket(7)
 *
 * Binding first is what makes the refusal cheap: bind(2) is the kernel's
 * own check that nobody else has the port, and it is atomic (checking
 * with ss and binding later would race another program). The socket
 * then stays open; the proxy accepts on it once the container runs. The
 * kernel queues connections that arrive before (up to the backlog), so
 * a client that comes early waits instead of being refused.
 *
 * SO_REUSEADDR lets us bind a port that still has connections in
 * TIME_WAIT from a previous run (a restart would fail for a minute
 * otherwise); it does not let two listeners share a port.
 */
#include "ports.h"

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A port number 1-65535, all of s. Returns it, or -1. */
static int port_number(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < 1 || v > 65535 ? -1 : (int)v;
}

int ports_parse(const char *arg, struct ports *p)
{
	char text[64], *proto, *fields[3];
	struct port_map *m = &p->map[p->n];
	struct in_addr a;
	int n = 0;

	if (p->n == MAX_PORTS) {
		warnx("-p %s: at most %d ports", arg, MAX_PORTS);
		return -1;
	}
	if (snprintf(text, sizeof(text), "%s", arg) >= (int)sizeof(text))
		goto bad;
	proto = strchr(text, '/');
	if (proto) {
		*proto++ = '\0';
		if (strcmp(proto, "udp") == 0) {
			warnx("-p %s: only TCP ports are published (the proxy "
			      "relays connections; UDP has none): drop /udp",
			      arg);
			return -1;
		}
		if (strcmp(proto, "tcp") != 0)
			goto bad;
	}
	for (char *s = text, *colon;; s = colon + 1) {
		fields[n++] = s;
		colon = strchr(s, ':');
		if (!colon || n == 3)
			break;
		*colon = '\0';
	}
	if (n < 2 || strchr(fields[n - 1], ':'))
		goto bad; /* CPORT alone (a random host port) is not done */
	*m = (struct port_map){.fd = -1};
	snprintf(m->host_ip, sizeof(m->host_ip), "%s",
		 n == 3 ? fields[0] : "0.0.0.0");
	m->host_port = port_number(fields[n - 2]);
	m->container_port = port_number(fields[n - 1]);
	if (inet_pton(AF_INET, m->host_ip, &a) != 1 || m->host_port < 0 ||
	    m->container_port < 0)
		goto bad;
	p->n++;
	return 0;
bad:
	warnx("-p %s: use [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp], e.g. "
	      "-p 8080:80 or -p 127.0.0.1:8080:80 (IPv4, ports 1-65535)",
	      arg);
	return -1;
}

const char *ports_text(const struct port_map *m, char *buf, int size)
{
	snprintf(buf, size, "%s:%d:%d/tcp", m->host_ip, m->host_port,
		 m->container_port);
	return buf;
}

int ports_bind(struct ports *p)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int one = 1;

	for (int i = 0; i < p->n; i++) {
		struct port_map *m = &p->map[i];

		a.sin_port = htons(m->host_port);
		inet_pton(AF_INET, m->host_ip, &a.sin_addr);
		m->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (m->fd < 0 ||
		    setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) < 0 ||
		    bind(m->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    listen(m->fd, SOMAXCONN) < 0) {
			if (errno == EADDRINUSE)
				warnx("-p: port %d on %s is already in use on "
				      "the host: choose another host port",
				      m->host_port, m->host_ip);
			else
				warn("-p: listen on %s:%d", m->host_ip,
				     m->host_port);
			ports_close(p);
			return -1;
		}
	}
	return 0;
}

void ports_close(struct ports *p)
{
	for (int i = 0; i < p->n; i++) {
		if (p->map[i].fd >= 0)
			close(p->map[i].fd);
		p->map[i].fd = -1;
	}
}
