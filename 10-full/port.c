/*
 * 10-full/port.c - `container port NAME [PORT[/tcp]]`: which host ports
 * lead into a running container, in docker's words; and the same as
 * inspect's NetworkSettings.Ports.
 *
 * Claim: `container port NAME` prints "80/tcp -> 0.0.0.0:8080" for
 *        -p 8080:80, and `container port NAME 80` prints "0.0.0.0:8080",
 *        as docker's do; nothing once it has stopped (no proxy listens).
 *        (tested in tests/10-full-port.bats)
 * Uses:  store.c (the record keeps -p as ports.c writes it), ports.c
 * Read:  docker-port(1), docker-inspect(1)
 */
#include "verbs.h"
#include "json.h"
#include "ports.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The mappings of c's record, into p (without sockets). -1 if one does
 * not parse (a record written by hand). */
static int mappings(const struct container *c, struct ports *p)
{
	*p = (struct ports){0};
	for (int i = 0; i < c->n_ports; i++)
		if (ports_parse(c->ports[i], p) < 0)
			return -1;
	return 0;
}

void port_json(FILE *f, const struct container *c)
{
	struct ports p;
	int shown = 0;

	fprintf(f, "\"Ports\": {");
	if (store_running(c) && mappings(c, &p) == 0)
		for (int i = 0; i < p.n; i++) {
			char host[8];

			snprintf(host, sizeof(host), "%d", p.map[i].host_port);
			fprintf(f, "%s\"%d/tcp\": [{\"HostIp\": ", shown++ ? ", " : "",
				p.map[i].container_port);
			json_string(f, p.map[i].host_ip);
			fprintf(f, ", \"HostPort\": ");
			json_string(f, host);
			fprintf(f, "}]");
		}
	fprintf(f, "}");
}

int cmd_port(int argc, char **argv)
{
	static struct container c;
	struct state st = {0};
	struct ports p;
	int want = 0, found = 0;
	char *end;

	if (argc > 1 && argv[1][0] == '-')
		return verb_bad_option(argv, argv[1], false);
	if (argc < 2 || argc > 3) {
		warnx("usage: container port NAME [PORT[/tcp]]");
		return EXIT_FAILED;
	}
	if (argc == 3) {
		want = strtol(argv[2], &end, 10);
		if (want < 1 || want > 65535 || (*end && strcmp(end, "/tcp"))) {
			warnx("port %s: give a container port, as 80 or 80/tcp",
			      argv[2]);
			return EXIT_FAILED;
		}
	}
	if (verb_open(&st) < 0 || verb_find(&st, argv[1], &c) < 0)
		return EXIT_FAILED;
	if (mappings(&c, &p) < 0)
		return EXIT_FAILED;
	/* Only while it runs: a stopped container has no proxy, so the
	 * host port leads nowhere (docker's answer is empty then too). */
	for (int i = 0; store_running(&c) && i < p.n; i++) {
		struct port_map *m = &p.map[i];

		if (!want)
			printf("%d/tcp -> %s:%d\n", m->container_port,
			       m->host_ip, m->host_port);
		else if (m->container_port == want && ++found)
			printf("%s:%d\n", m->host_ip, m->host_port);
	}
	if (want && !found) {
		warnx("no public port '%d/tcp' published for %s", want, argv[1]);
		return EXIT_FAILED;
	}
	return 0;
}
