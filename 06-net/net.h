/*
 * 06-net/net.h - a new network namespace, and rtnetlink from C to give it
 * a veth pair to the host.
 *
 * Read: network_namespaces(7), veth(4), rtnetlink(7), netlink(7)
 */
#ifndef NET_H
#define NET_H

#include "../05-user/user.h"

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

/* CLONE_NEWNET; --lo brings lo up, --veth [--veth-net CIDR] adds a pair. */
extern const struct lesson net_lesson;

#endif
