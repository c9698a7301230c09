/*
 * 10-full/bridge.h - `--net bridge`: the host's bridge, its gateway
 * address, and the address each container on it gets.
 *
 *   ROOT/net/                 flock'ed around every change below
 *   ROOT/net/BRIDGE/subnet    "172.29.0.0/16": the network the bridge
 *                             was made with (wins over CONTAINER_SUBNET
 *                             while the bridge lives)
 *   ROOT/net/BRIDGE/A.B.C.D   one per address in use: "ID NAME\n"
 *
 * The bridge: CONTAINER_BRIDGE (default BRIDGE_DEFAULT_NAME), network
 * CONTAINER_SUBNET (default BRIDGE_DEFAULT_SUBNET), read from the
 * environment of `run`. It is made on first use, with the gateway (the
 * network's first address) on it, and removed when the last container
 * on it is gone. One data root per network namespace: the files describe
 * the bridge of the namespace the runtime runs in.
 *
 * bridge.c makes the bridge and hands out addresses; plug.c plugs a
 * container in and gives back what it held; hosts.c and resolv.c write
 * its /etc files.
 *
 * Read: rtnetlink(7), bridge(8), flock(2)
 */
#ifndef BRIDGE_H
#define BRIDGE_H

#include <dirent.h>

#define BRIDGE_DEFAULT_NAME "lesson0"
/* On the bridges this runtime makes (`ip -d link` shows it): only such a
 * bridge is removed again. */
#define BRIDGE_ALIAS "made by container --net bridge"
#define BRIDGE_DEFAULT_SUBNET "172.29.0.0/16"

/* What a container on the bridge got; kept in its record (store.h:
 * bridge, ip, gateway, prefix) until it exits. */
struct netcfg {
	char bridge[16];	/* IFNAMSIZ */
	char ip[16], gateway[16];
	int prefix;		/* /16 ... */
	char subnet[20];	/* "172.29.0.0/16" */
	char host_if[16];	/* the host's end of its veth: "veth" + id */
};

/* The bridge's name and network from the environment (or the defaults)
 * into n, checked: before anything is made. Returns 0, or -1 after one
 * line saying what is wrong. */
int bridge_config(struct netcfg *n);

/* IPv6 off on interface ifname of our network namespace, before it is
 * up: the bridge, the host's end of a veth, a container's eth0. The
 * bridge network is IPv4 only; with IPv6 on, root in any container
 * (CAP_NET_RAW, as docker's) sends one router advertisement and the host
 * and every other container take it as their IPv6 default route
 * (docker's CVE-2020-13401). Returns 0 (also on a kernel without IPv6),
 * or -1 after saying why. (plug.c) */
int bridge_no_ipv6(const char *ifname);

/* Makes the bridge if it is not there (hook: port's nat_up() is called
 * here once, right after the bridge is made) and takes an address for
 * container id (hostname: as run checked it; name: its --name, or NULL:
 * the names other containers' /etc/hosts give it), under the lock. A
 * network that one of the host's routes overlaps is refused, naming the
 * route. Then every container's hosts file on the bridge (hosts.c) is
 * rewritten. Returns 0, or -1 after saying why. */
int bridge_join(const char *root, const char *id, const char *hostname,
		const char *name, struct netcfg *n);

/* (plug.c) Gives the address back and deletes the host's end of the veth
 * if it is still there; removes the bridge when it was the last one
 * (hook: port's nat_down() is called just before). */
void bridge_leave(const char *root, const struct netcfg *n);

/* (plug.c) For the sweep: what container id (its runtime was killed) held on
 * any bridge of ROOT, given back as bridge_leave() does. */
void bridge_sweep(const char *root, const char *id);

/* A DIR for reading allocator dir d from its start (a dup of d shares its
 * offset, which an earlier reading left at the end), or NULL. (plug.c) */
DIR *open_dir(int d);

/* ROOT/net, made if missing, flock'ed: the allocator's lock. Returns the
 * fd to close to unlock, or -1 after saying why. */
int bridge_lock(const char *root);

/* Under the lock: when no address of n's bridge is in use any more, the
 * bridge goes (if this runtime made it and nothing is plugged into it)
 * with its allocator dir. (plug.c) */
void bridge_remove_if_unused(const char *root, const struct netcfg *n);

/* (plug.c) In the parent, once the child exists: the veth pair, its host end
 * (n->host_if) on the bridge and up, its other end "eth0" made straight
 * in the network namespace of child. Returns 0, or -1 after saying why. */
int bridge_plug(const struct netcfg *n, int child);

/* (plug.c) In the child, in its network namespace: eth0's address, eth0 up, the
 * default route via the gateway. Returns 0, or -1 after saying why. */
int bridge_child(const struct netcfg *n);

#endif
