/*
 * 06-net/route.c - a default route, and what a bridge holds, over
 * rtnetlink.
 *
 * Claim: `ip route add default via GW` is one RTM_NEWROUTE message; the
 *        ports of a bridge are the links whose IFLA_MASTER is its index,
 *        as one RTM_GETLINK dump lists them.
 *        (tested, through bridge.c, in tests/06-net.bats)
 * Uses:  netlink.c (nl_send, nl_dump)
 * Read:  rtnetlink(7) (RTM_NEWROUTE, RTM_GETLINK), ip-route(8), bridge(8)
 *
 * A route is a struct rtmsg (family, prefix length of the destination,
 * table, protocol, scope, type) and attributes: no RTA_DST with a prefix
 * length of 0 is the default route, "everything"; RTA_GATEWAY says where
 * to send it. The gateway must be reachable on a link already (on eth0's
 * network), or the kernel answers "Nexthop has invalid gateway".
 */
#include "net.h"
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

int net_route_add_default(const char *gateway)
{
	struct nl_request req;
	struct rtmsg *rt;
	struct in_addr gw;
	char what[64];

	if (inet_pton(AF_INET, gateway, &gw) != 1) {
		warnx("default route via '%s': not an IPv4 address", gateway);
		return -1;
	}
	rt = nl_begin(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
		      sizeof(*rt));
	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = 0; /* 0.0.0.0/0: the default */
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT; /* set by an admin tool, as ip's */
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	nl_add_attr(&req, RTA_GATEWAY, &gw, sizeof(gw));
	snprintf(what, sizeof(what), "add the default route via %s", gateway);
	return nl_send(&req, what);
}

/* What each_link() looks for, and finds. */
struct ports {
	unsigned bridge;	/* the bridge's index */
	int ports;
	char *alias;
	size_t size;
};

static void each_link(const struct nlmsghdr *h, void *arg)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct rtattr *a = IFLA_RTA(ifi);
	int len = IFLA_PAYLOAD(h);
	struct ports *p = arg;

	if (h->nlmsg_type != RTM_NEWLINK)
		return;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_MASTER &&
		    *(const unsigned *)RTA_DATA(a) == p->bridge)
			p->ports++;
		if (a->rta_type == IFLA_IFALIAS &&
		    (unsigned)ifi->ifi_index == p->bridge)
			snprintf(p->alias, p->size, "%.*s",
				 (int)RTA_PAYLOAD(a), (const char *)RTA_DATA(a));
	}
}

int net_bridge_ports(const char *name, int *ports, char *alias, size_t size)
{
	struct nl_request req;
	struct ifinfomsg *ifi;
	struct ports p = {if_nametoindex(name), 0, alias, size};

	alias[0] = '\0';
	if (!p.bridge) {
		errno = ENODEV;
		return -1;
	}
	/* One dump of every link: the kernel has no "ports of" query
	 * (bridge(8) link show filters the same dump). */
	ifi = nl_begin(&req, RTM_GETLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (nl_dump(&req, "list the links", each_link, &p) < 0)
		return -1;
	*ports = p.ports;
	return 0;
}
