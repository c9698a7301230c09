/*
 * 10-full/bridge.c - `--net bridge`: one bridge per data root, made on
 * first use and removed with its last container; an address for each
 * container, handed out under a lock.
 *
 * Claim: 50 containers started at once get 50 different addresses; an
 *        address is given back when its container exits (or, when its
 *        runtime was killed, by the next run's sweep); the bridge goes
 *        with the last container on it; a network that a route of the
 *        host overlaps is refused (125), naming the route.
 *        (tested in tests/10-full-net.bats)
 * Uses:  06-net (rtnetlink: bridge, veth, master, address, route; the
 *        host's networks), hosts.c (the /etc files)
 * Read:  flock(2), rtnetlink(7), bridge(8)
 *
 * The allocator is a directory, ROOT/net/BRIDGE, with one file per
 * address in use, named after it, holding its container's id: `ls`
 * shows who has what. Reading which names exist and creating a new one
 * is read-then-write, so it runs under an exclusive flock(2) on ROOT/net,
 * which the kernel drops if its holder dies: a kill -9 cannot leave the
 * allocator locked. A file left by a killed run is its note's business
 * (sweep.c calls bridge_sweep()), as its dir and cgroups are.
 *
 * Docker keeps the same map in its daemon's memory (libnetwork's IPAM)
 * and saves it in a database; with no daemon, the file system is the
 * database, and the lock is its transaction.
 */
#include "bridge.h"
#include "nat.h"
#include "hosts.h"

#include "../06-net/net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The network text into n: subnet, prefix, gateway (the first
 * address). Returns 0, or -1 when it is not one. */
static int set_network(struct netcfg *n, const char *subnet)
{
	struct in_addr a;
	unsigned prefix;

	if (!net_parse_cidr(subnet, &a, &prefix) || prefix < 8 || prefix > 29 ||
	    ntohl(a.s_addr) & ~(~0u << (32 - prefix)))
		return -1;
	snprintf(n->subnet, sizeof(n->subnet), "%s", subnet);
	n->prefix = prefix;
	a.s_addr = htonl(ntohl(a.s_addr) + 1);
	snprintf(n->gateway, sizeof(n->gateway), "%s", inet_ntoa(a));
	return 0;
}

int bridge_config(struct netcfg *n)
{
	const char *name = getenv("CONTAINER_BRIDGE");
	const char *subnet = getenv("CONTAINER_SUBNET");
	struct in_addr a;
	unsigned prefix;
	struct net_subnet s;
	const char *special;

	memset(n, 0, sizeof(*n));
	name = name && name[0] ? name : BRIDGE_DEFAULT_NAME;
	subnet = subnet && subnet[0] ? subnet : BRIDGE_DEFAULT_SUBNET;
	if (strlen(name) >= sizeof(n->bridge) || strpbrk(name, "/: \t\n") ||
	    name[0] == '.') {
		warnx("CONTAINER_BRIDGE='%s': an interface name is 1 to 15 "
		      "characters, without '/', ':' or spaces",
		      name);
		return -1;
	}
	if (set_network(n, subnet) < 0) {
		warnx("CONTAINER_SUBNET='%s': give an IPv4 network, /8 to /29, "
		      "with no host bits set, e.g. %s",
		      subnet, BRIDGE_DEFAULT_SUBNET);
		return -1;
	}
	net_parse_cidr(subnet, &a, &prefix);
	s = (struct net_subnet){ntohl(a.s_addr), prefix};
	if ((special = net_subnet_special(s))) {
		warnx("CONTAINER_SUBNET='%s': overlaps %s; give a private "
		      "range, e.g. %s",
		      subnet, special, BRIDGE_DEFAULT_SUBNET);
		return -1;
	}
	snprintf(n->bridge, sizeof(n->bridge), "%s", name);
	return 0;
}

int bridge_lock(const char *root)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/net", root);
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		warn("mkdir %s", path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		warn("lock %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Under the lock: the bridge, made if missing, with the gateway on it,
 * up. The network must be one the host does not use yet. */
static int make_bridge(const struct netcfg *n)
{
	struct net_subnets used;
	const struct net_subnet *taken;
	struct net_subnet want;
	struct in_addr a;
	unsigned prefix;
	char cidr[24], text[24];

	if (if_nametoindex(n->bridge))
		return 0;
	net_parse_cidr(n->subnet, &a, &prefix);
	want = (struct net_subnet){ntohl(a.s_addr), prefix};
	if (net_subnets_in_use(&used) < 0)
		return -1;
	taken = net_subnet_conflict(&used, want);
	if (taken)
		net_subnet_text(*taken, text, sizeof(text));
	net_subnets_free(&used);
	if (taken) {
		warnx("--net bridge: the network %s of bridge %s overlaps %s, "
		      "which the host uses (`ip route`); set CONTAINER_SUBNET "
		      "to a network the host does not use",
		      n->subnet, n->bridge, text);
		return -1;
	}
	snprintf(cidr, sizeof(cidr), "%s/%d", n->gateway, n->prefix);
	if (net_bridge_create(n->bridge, BRIDGE_ALIAS) < 0) {
		/* Made meanwhile by a runtime with another data root (ours
		 * holds our lock only): it is there, use it. */
		if (errno == EEXIST)
			return 0;
		warn("create bridge %s", n->bridge);
		return -1;
	}
	if (bridge_no_ipv6(n->bridge) < 0 || net_addr_add(n->bridge, cidr) < 0 ||
	    net_link_up(n->bridge) < 0)
		return -1;
	/* Its way out (nat.c): masquerading, forwarding. Without it the
	 * containers still reach each other and the host: say so, go on. */
	if (nat_up(n) < 0)
		warnx("warning: no NAT for bridge %s: its containers will not "
		      "reach beyond the host", n->bridge);
	return 0;
}

/* Under the lock, in the allocator dir d: the lowest free address of
 * the network (.0 is the network's, .1 the gateway's, the last one the
 * broadcast's), taken for id with a file of its own. */
static int take_address(int d, struct netcfg *n, const char *id,
			const char *hostname, const char *name)
{
	uint32_t net, size = 1u << (32 - n->prefix), off;
	unsigned char *used = calloc(size / 8 + 1, 1);
	struct in_addr a;
	unsigned prefix;
	struct dirent *e;
	DIR *dp = open_dir(d);
	char line[192];
	int fd = -1, len;

	if (!used || !dp) {
		warn("read the addresses in use");
		goto out;
	}
	net_parse_cidr(n->subnet, &a, &prefix);
	net = ntohl(a.s_addr);
	while ((e = readdir(dp)))
		if (inet_pton(AF_INET, e->d_name, &a) == 1 &&
		    (off = ntohl(a.s_addr) - net) < size)
			used[off / 8] |= 1 << (off % 8);
	for (off = 2; off < size - 1 && used[off / 8] & (1 << (off % 8)); off++)
		;
	if (off >= size - 1) {
		warnx("--net bridge: every address of %s is in use; set "
		      "CONTAINER_SUBNET to a larger network",
		      n->subnet);
		goto out;
	}
	a.s_addr = htonl(net + off);
	snprintf(n->ip, sizeof(n->ip), "%s", inet_ntoa(a));
	fd = openat(d, n->ip, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	len = snprintf(line, sizeof(line), "%s %s %s\n", id, hostname,
		       name ? name : "");
	if (fd < 0 || write(fd, line, len) != len) {
		warn("take %s", n->ip);
		if (fd >= 0)
			unlinkat(d, n->ip, 0);
		n->ip[0] = '\0';
	}
out:
	if (fd >= 0)
		close(fd);
	if (dp)
		closedir(dp);
	free(used);
	return n->ip[0] ? 0 : -1;
}

/* Under the lock: the network the bridge was made with, in the file
 * "subnet" of its allocator dir d, overrides CONTAINER_SUBNET while the
 * bridge lives (its containers' addresses are of that network); the
 * first one writes it. */
static int bridge_network(int d, struct netcfg *n)
{
	char text[24] = "";
	int fd = openat(d, "subnet", O_RDONLY | O_CLOEXEC);
	ssize_t len = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	if (len > 0) {
		text[strcspn(text, "\n")] = '\0';
		if (set_network(n, text) == 0)
			return 0;
	}
	fd = openat(d, "subnet", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	len = snprintf(text, sizeof(text), "%s\n", n->subnet);
	if (fd < 0 || write(fd, text, len) != len) {
		warn("write the network of %s", n->bridge);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int bridge_join(const char *root, const char *id, const char *hostname,
		const char *name, struct netcfg *n)
{
	char path[PATH_MAX];
	int lock, d = -1, ret = -1;

	snprintf(n->host_if, sizeof(n->host_if), "veth%.11s", id);
	if ((lock = bridge_lock(root)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/net/%s", root, n->bridge);
	if ((mkdir(path, 0700) < 0 && errno != EEXIST) ||
	    (d = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warn("%s", path);
		goto out;
	}
	if (bridge_network(d, n) < 0 || make_bridge(n) < 0 ||
	    take_address(d, n, id, hostname, name) < 0)
		goto out;
	/* Everyone's /etc/hosts, ours made: the newcomer by name. */
	if (hosts_update(root, d, n, id) < 0) {
		unlinkat(d, n->ip, 0);
		n->ip[0] = '\0';
		goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		bridge_remove_if_unused(root, n);
	if (d >= 0)
		close(d);
	close(lock);
	return ret;
}
