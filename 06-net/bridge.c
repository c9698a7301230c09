/*
 * 06-net/bridge.c - two network namespaces on one bridge: the notes'
 * "build a bridge on the host, and containers talk to each other".
 *
 * Claim: with --bridge NAME --ip CIDR the host's end of the veth pair is
 *        a port of bridge NAME (made on first use, with the network's
 *        first address as the gateway), the container's eth0 holds CIDR
 *        and a default route via the gateway; two runs on one bridge
 *        ping each other; the run that leaves the bridge it made with
 *        no port deletes it. A network that the host uses is refused
 *        before anything is made.   (tested in tests/06-net.bats)
 * Uses:  link.c (bridge, master), route.c (route, ports), subnet.c (the
 *        host's networks, the lock)
 * Read:  bridge(8), ip-link(8) ("type bridge", "master"), rtnetlink(7)
 *
 * A bridge is a switch in the kernel: a link with ports, that learns
 * which MAC address is behind which port and forwards frames between
 * them. A veth end enslaved to it (IFLA_MASTER) is a cable plugged into
 * the switch: the containers at the far ends are on one Ethernet, and
 * ARP finds them, with no route on the host at all. The bridge's own
 * address (.1) is the host's foot on that Ethernet: the gateway.
 *
 * Who deletes the bridge? Not "whoever made it": that run may end first.
 * The last one out: under the same lock as the check, a run that finds
 * the bridge with no port left, and with the alias this file gives the
 * bridges it makes, deletes it. A bridge of the user's own (no alias)
 * is never deleted.
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char bridge[IFNAMSIZ];
static struct net_subnet network; /* the network of --ip */
static char ip_cidr[INET_ADDRSTRLEN + 3], gateway[INET_ADDRSTRLEN];
static bool ip_given;
static int lock = -1; /* from check() until the host's end is plugged */

bool net_bridge_wanted(void)
{
	return bridge[0];
}

int net_bridge_set_name(const char *name)
{
	if (!name[0] || strlen(name) >= IFNAMSIZ || strpbrk(name, "/: \t\n") ||
	    !strcmp(name, ".") || !strcmp(name, "..")) {
		warnx("--bridge '%s': an interface name is 1 to %d characters, "
		      "without '/', ':' or spaces, e.g. br0",
		      name, IFNAMSIZ - 1);
		return -1;
	}
	snprintf(bridge, sizeof(bridge), "%s", name);
	return 0;
}

int net_bridge_set_ip(const char *cidr)
{
	struct in_addr a;
	unsigned prefix;
	uint32_t host, mask;
	const char *special;

	if (!net_parse_cidr(cidr, &a, &prefix) || prefix < 8 || prefix > 30) {
		warnx("--ip '%s': give the container's IPv4 address and the "
		      "bridge's network, A.B.C.D/N with N from 8 to 30, e.g. "
		      "10.201.0.2/24",
		      cidr);
		return -1;
	}
	host = ntohl(a.s_addr);
	mask = ~0u << (32 - prefix);
	network = (struct net_subnet){host & mask, prefix};
	if ((special = net_subnet_special(network))) {
		warnx("--ip '%s': overlaps %s; give a private range, e.g. "
		      "10.201.0.2/24",
		      cidr, special);
		return -1;
	}
	/* .0 names the network, the last one is its broadcast, .1 is the
	 * bridge's own. */
	if ((host & ~mask) <= 1 || (host & ~mask) == ~mask) {
		warnx("--ip '%s': the network's first two and its last address "
		      "are not a container's (.1 is the bridge's); take another, "
		      "e.g. .2",
		      cidr);
		return -1;
	}
	snprintf(ip_cidr, sizeof(ip_cidr), "%s", cidr);
	a.s_addr = htonl(network.net + 1);
	snprintf(gateway, sizeof(gateway), "%s", inet_ntoa(a));
	ip_given = true;
	return 0;
}

int net_bridge_check(void)
{
	struct net_subnets used;
	const struct net_subnet *taken;
	char a[INET_ADDRSTRLEN + 3], b[sizeof(a)];
	int rc = -1;

	if (!bridge[0] && !ip_given)
		return 0;
	if (!bridge[0] || !ip_given) {
		warnx(bridge[0] ? "--bridge needs --ip CIDR: the container's "
				  "address on it, e.g. --ip 10.201.0.2/24"
				: "--ip needs --bridge NAME: the bridge it is "
				  "an address on");
		return -1;
	}
	if (geteuid() != 0) {
		warnx("--bridge needs root: the bridge and the host's end of "
		      "the pair are made in the host's network namespace (run "
		      "it with sudo)");
		return -1;
	}
	if ((lock = net_subnet_lock()) < 0)
		return -1;
	/* There already: its network is the one it has. To be made: the
	 * host must not use the network yet (a route would send the
	 * containers' replies elsewhere, as subnet.c explains). */
	if (if_nametoindex(bridge))
		return 0;
	if (net_subnets_in_use(&used) < 0)
		return -1;
	taken = net_subnet_conflict(&used, network);
	if (taken)
		warnx("--ip '%s': its network %s overlaps %s, which the host "
		      "uses (`ip route`); give a network the host does not use",
		      ip_cidr, net_subnet_text(network, a, sizeof(a)),
		      net_subnet_text(*taken, b, sizeof(b)));
	else
		rc = 0;
	net_subnets_free(&used);
	return rc;
}

/* The bridge, made if missing: labelled ours, the gateway on it, up. */
static int bridge_up(void)
{
	char cidr[INET_ADDRSTRLEN + 3];

	if (if_nametoindex(bridge))
		return 0;
	if (net_bridge_create(bridge, NET_BRIDGE_ALIAS) < 0) {
		warn("create bridge %s", bridge);
		return -1;
	}
	snprintf(cidr, sizeof(cidr), "%s/%u", gateway, network.prefix);
	return net_addr_add(bridge, cidr) < 0 || net_link_up(bridge) < 0 ? -1
									 : 0;
}

int net_bridge_plug(const char *host_if)
{
	if (bridge_up() < 0 || net_link_set_master(host_if, bridge) < 0 ||
	    net_link_up(host_if) < 0)
		return -1;
	/* A port is on the bridge: no other run deletes it now. */
	net_subnet_unlock(lock);
	lock = -1;
	return 0;
}

int net_bridge_child(void)
{
	if (net_addr_add(NET_CONTAINER_IF, ip_cidr) < 0 ||
	    net_link_up(NET_CONTAINER_IF) < 0 ||
	    net_route_add_default(gateway) < 0)
		return -1;
	return 0;
}

void net_bridge_cleanup(void)
{
	char alias[64];
	int ports;

	if (!bridge[0] || geteuid() != 0)
		return;
	/* Our port is gone (net.c deleted it); under the lock, nobody
	 * plugs one in meanwhile. */
	if (lock < 0 && (lock = net_subnet_lock()) < 0)
		return;
	if (net_bridge_ports(bridge, &ports, alias, sizeof(alias)) == 0 &&
	    ports == 0 && strcmp(alias, NET_BRIDGE_ALIAS) == 0)
		net_link_delete_if_any(bridge);
	net_subnet_unlock(lock);
	lock = -1;
}
