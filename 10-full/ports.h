/*
 * 10-full/ports.h - `-p [HOSTIP:]HOSTPORT:CPORT[/tcp]`: which host ports
 * lead into the container, and the sockets that listen on them.
 *
 * Read: docker-run(1) ("--publish"), bind(2), socket(7) (SO_REUSEADDR)
 */
#ifndef PORTS_H
#define PORTS_H

#define MAX_PORTS 16

/* One -p. The listening socket is opened by ports_bind(), in `run`
 * before anything else exists, and from then on belongs to whichever
 * of our processes waits for the container (the foreground run, or the
 * supervisor with -d), whose proxy (proxy.c) accepts on it. */
struct port_map {
	char host_ip[16]; /* "0.0.0.0" (every address) without HOSTIP */
	int host_port, container_port;
	int fd; /* listening, or -1 */
};

struct ports {
	struct port_map map[MAX_PORTS];
	int n;
};

/* Parses one -p value and appends it to p. Refuses /udp (only TCP is
 * published: say so), ports out of 1-65535, a HOSTIP that is not an IPv4
 * address. Returns 0, or -1 after one line saying what is wrong. */
int ports_parse(const char *arg, struct ports *p);

/* The mapping as `-p` would take it back: "0.0.0.0:8080:80/tcp". */
const char *ports_text(const struct port_map *m, char *buf, int size);

/* Binds and listens on every host port of p (close-on-exec: the
 * container's command never sees them). A port already taken: one line
 * naming it. Returns 0, or -1 with none of them left open. */
int ports_bind(struct ports *p);

/* Closes the listening sockets that are open. */
void ports_close(struct ports *p);

#endif
