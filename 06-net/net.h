/*
 * 06-net/net.h - a new network namespace, and rtnetlink from C to give it
 * a veth pair to the host.
 *
 * Read: network_namespaces(7), veth(4), rtnetlink(7), netlink(7)
 */
#ifndef NET_H
#define NET_H

#include "../05-user/user.h"

#include <netinet/in.h>

/* All of these speak rtnetlink in the caller's network namespace and
 * return 0, or -1 after saying what failed. */

/* Sets IFF_UP on ifname ("lo" inside a fresh namespace). */
int net_link_up(const char *ifname);

/* Creates veth pair host_if <-> peer_if, with peer_if created directly in
 * the network namespace of process peer_pid. */
int net_veth_create(const char *host_if, const char *peer_if, pid_t peer_pid);

/* Adds an IPv4 address in CIDR form ("10.200.0.1/30") to ifname. */
int net_addr_add(const char *ifname, const char *cidr);

/* Creates bridge name (down, no address), labelled alias (IFLA_IFALIAS,
 * `ip -d link` shows it) unless NULL. Returns 0, or -1 with errno set,
 * quietly: EEXIST means someone made it first, and the caller says. */
int net_bridge_create(const char *name, const char *alias);

/* Enslaves ifname to bridge master (IFLA_MASTER): the bridge forwards
 * between its ports as a switch does. */
int net_link_set_master(const char *ifname, const char *master);

/* Adds the default route via gateway (dotted quad) in the caller's
 * namespace: RTM_NEWROUTE 0.0.0.0/0, RTA_GATEWAY. (route.c) */
int net_route_add_default(const char *gateway);

/* What a bridge has: how many links have it as IFLA_MASTER (its ports),
 * and its IFLA_IFALIAS, into alias (size bytes, "" if none). Returns 0,
 * -1 with errno ENODEV quietly when there is no such link, or -1 after
 * saying why. (route.c) */
int net_bridge_ports(const char *name, int *ports, char *alias, size_t size);

/* Deletes ifname (for a veth, both ends go). */
int net_link_delete(const char *ifname);

/* Like net_link_delete(), but one that is already gone (its namespace
 * died and took it along) counts as deleted: for cleanup. */
int net_link_delete_if_any(const char *ifname);

/* Reads "A.B.C.D/N" strictly into addr and prefix (0-32). Returns true if
 * cidr is one; says nothing otherwise: the caller knows the context. */
bool net_parse_cidr(const char *cidr, struct in_addr *addr, unsigned *prefix);

/* Mounts a fresh sysfs at target, read-only: /sys/class/net then lists
 * the caller's network namespace. Returns 0 or -1. */
int net_mount_sysfs(const char *target);

/* An IPv4 network; net in host byte order, host bits clear. */
struct net_subnet {
	uint32_t net;
	unsigned prefix;
};

/* The IPv4 networks the caller's network namespace uses (subnet.c). */
struct net_subnets {
	struct net_subnet *list;
	size_t n;
	bool failed; /* out of memory while reading */
};

/* Fills used with every IPv4 route of every table but the default route,
 * and the network of every IPv4 address. Returns 0, or -1 after saying
 * why. Free it with net_subnets_free(). */
int net_subnets_in_use(struct net_subnets *used);
void net_subnets_free(struct net_subnets *used);

/* The widest entry of used that overlaps want, or NULL. */
const struct net_subnet *net_subnet_conflict(const struct net_subnets *used,
					     struct net_subnet want);

/* What special range want overlaps ("127.0.0.0/8, loopback"): 0/8,
 * loopback, link-local, multicast, reserved/broadcast; NULL if none. */
const char *net_subnet_special(struct net_subnet want);

/* The first network of size prefix inside pool that overlaps nothing in
 * used, in *out. Returns 0, or -1 when none is free. */
int net_subnet_pick(const struct net_subnets *used, struct net_subnet pool,
		    unsigned prefix, struct net_subnet *out);

/* "A.B.C.D/N" into buf (INET_ADDRSTRLEN + 3 bytes). Returns buf. */
const char *net_subnet_text(struct net_subnet s, char *buf, size_t size);

/* Takes the machine-wide lock (fcntl on NET_SUBNET_LOCK; waits for it)
 * that makes reading the routes, picking a network and putting its
 * address on an interface one step. Returns the fd to give to
 * net_subnet_unlock(), or -1 after saying why. Dying drops it too. */
int net_subnet_lock(void);
void net_subnet_unlock(int fd);
#define NET_SUBNET_LOCK "/run/lessons-veth.lock"

/* The container's end of the veth pair, as the container sees it. */
#define NET_CONTAINER_IF "eth0"
/* --veth without --veth-net: the first /30 of this pool that the host
 * does not use; the host's end is .1, the container's .2. */
#define NET_VETH_POOL "10.200.0.0/16"

/* The alias (IFLA_IFALIAS) on a bridge that --bridge made: only such a
 * bridge is deleted again, by the run that leaves it with no port. */
#define NET_BRIDGE_ALIAS "made by 06-net --bridge"

/* --bridge NAME --ip CIDR (bridge.c): the options' setters, and what
 * net.c's hooks call when --bridge is given. Each returns 0, or -1
 * after saying why. */
int net_bridge_set_name(const char *name);
int net_bridge_set_ip(const char *cidr);
bool net_bridge_wanted(void);
int net_bridge_check(void);	       /* root; lock; free network */
int net_bridge_plug(const char *host_if); /* parent: onto the bridge, up */
int net_bridge_child(void);	       /* child: eth0 address, up, route */
void net_bridge_cleanup(void);	       /* the bridge, if ours and empty */

/* CLONE_NEWNET; --lo brings lo up, --veth [--veth-net CIDR] adds a pair,
 * --bridge NAME --ip CIDR puts its host end on a bridge. */
extern const struct lesson net_lesson;

#endif
