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

/* The container's end of the veth pair, as the container sees it. */
#define NET_CONTAINER_IF "eth0"
/* --veth-net when not given: the host's end is .1, the container's .2. */
#define NET_DEFAULT_VETH_NET "10.200.0.0/30"

/* CLONE_NEWNET; --lo brings lo up, --veth [--veth-net CIDR] adds a pair. */
extern const struct lesson net_lesson;

#endif
