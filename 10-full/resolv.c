/*
 * 10-full/resolv.c - `--net bridge`: the container's /etc/hostname and
 * /etc/resolv.conf, with name servers it can reach.
 *
 * Claim: resolv.conf lists the host's name servers but those on the
 *        host's loopback (systemd-resolved's 127.0.0.53 is in the host's
 *        network namespace only); without any left, the servers
 *        systemd-resolved asks, else docker's fallback; search and
 *        options lines are kept.   (tested in tests/10-full-net.bats)
 * Uses:  hosts.c (put: written in place)
 * Read:  resolv.conf(5), systemd-resolved.service(8) ("stub resolver")
 */
#include "hosts.h"

#include <stdio.h>
#include <string.h>

/* The name servers of file that a container can reach (not the host's
 * loopback: 127.0.0.53 is systemd-resolved's stub, in the host's network
 * namespace only), with its search and options lines, appended to out.
 * Returns how many name servers it took. */
static int servers_of(const char *file, char *out, size_t size)
{
	char line[512], addr[64];
	int n = 0;
	FILE *f = fopen(file, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "nameserver %63s", addr) == 1) {
			if (strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0)
				continue;
			n++;
		} else if (strncmp(line, "search ", 7) != 0 &&
			   strncmp(line, "options ", 8) != 0) {
			continue;
		}
		if (strlen(out) + strlen(line) + 2 < size)
			strcat(out, line);
	}
	fclose(f);
	return n;
}

int hosts_write(const char *root, const char *id, const char *hostname)
{
	static const char head[] = "# --net bridge: the host's name servers "
				   "that a container can reach\n";
	char text[4096], resolved[4096], name[300];

	snprintf(name, sizeof(name), "%s\n", hostname);
	/* The host's name servers, unless they are its own loopback; then
	 * what systemd-resolved itself asks (what docker does too); then,
	 * as docker, Google's public ones (with the host's search and
	 * options): the container's queries go out through the bridge and
	 * NAT like any of its packets. */
	snprintf(text, sizeof(text), "%s", head);
	snprintf(resolved, sizeof(resolved), "%s", head);
	if (servers_of("/etc/resolv.conf", text, sizeof(text)) == 0) {
		if (servers_of("/run/systemd/resolve/resolv.conf", resolved,
			       sizeof(resolved)) > 0)
			memcpy(text, resolved, sizeof(text));
		else
			strcat(text, "# (the host's are on its loopback only: "
				     "docker's fallback)\n"
				     "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	}
	return hosts_put(root, id, "hostname", name, true) < 0 ||
			       hosts_put(root, id, "resolv.conf", text, true) < 0
		       ? -1
		       : 0;
}

