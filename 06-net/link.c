/*
 * 06-net/link.c - links and addresses, set with rtnetlink from C.
 *
 * Claim: what `ip link add ... type veth peer ... netns PID`, `ip link
 *        add ... type bridge`, `ip link set ... master BR`, `ip addr add`
 *        and `ip link set up` do is one rtnetlink message each, built here
 *        by hand.   (tested, through net.c and bridge.c, in
 *        tests/06-net.bats)
 * Uses:  netlink.c (build, send, check the ACK)
 * Read:  rtnetlink(7), veth(4), netdevice(7), if_nametoindex(3)
 *
 * rtnetlink names an interface by its index, not its name: names are for
 * people and can change, the index is what the kernel keeps. Each function
 * here works in the network namespace of its caller, except the veth's
 * peer, which IFLA_NET_NS_PID creates in another process's namespace.
 */
#include "net.h"
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

bool net_parse_cidr(const char *cidr, struct in_addr *addr, unsigned *prefix)
{
	char ip[INET_ADDRSTRLEN];
	const char *slash = strchr(cidr, '/'), *p;
	size_t len = slash ? (size_t)(slash - cidr) : 0;

	if (!slash || len >= sizeof(ip) || !slash[1] || strlen(slash) > 3)
		return false;
	memcpy(ip, cidr, len);
	ip[len] = '\0';
	*prefix = 0;
	for (p = slash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		*prefix = *prefix * 10 + (*p - '0');
	}
	return *prefix <= 32 && inet_pton(AF_INET, ip, addr) == 1;
}

/* The index of ifname in our namespace, or 0 after saying it is not
 * there. Interfaces are addressed by index in rtnetlink. */
static unsigned link_index(const char *ifname)
{
	unsigned index = if_nametoindex(ifname);

	if (!index)
		warn("interface %s", ifname);
	return index;
}

int net_link_up(const char *ifname)
{
	struct nl_request req;
	struct ifinfomsg *ifi;
	char what[64];

	ifi = nl_begin(&req, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (!(ifi->ifi_index = link_index(ifname)))
		return -1;
	/* Change only the flags in ifi_change: set IFF_UP, leave the rest. */
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	snprintf(what, sizeof(what), "bring %s up", ifname);
	return nl_send(&req, what);
}

/*
 * RTM_NEWLINK  flags CREATE|EXCL            ifinfomsg (a new link: index 0)
 *   IFLA_IFNAME      host_if
 *   IFLA_LINKINFO
 *     IFLA_INFO_KIND   "veth"
 *     IFLA_INFO_DATA
 *       VETH_INFO_PEER   ifinfomsg (the peer's), then its attributes:
 *         IFLA_IFNAME      peer_if
 *         IFLA_NET_NS_PID  peer_pid    (create it in that process's netns)
 */
int net_veth_create(const char *host_if, const char *peer_if, pid_t peer_pid)
{
	struct nl_request req;
	struct ifinfomsg *ifi, peer = {.ifi_family = AF_UNSPEC};
	struct rtattr *linkinfo, *data, *peer_info;
	unsigned pid = peer_pid;
	char what[96];

	if (strlen(host_if) >= IFNAMSIZ || strlen(peer_if) >= IFNAMSIZ) {
		warnx("veth %s/%s: names are at most %d characters", host_if,
		      peer_if, IFNAMSIZ - 1);
		return -1;
	}
	ifi = nl_begin(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
		       sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nl_add_string(&req, IFLA_IFNAME, host_if);
	linkinfo = nl_nest_begin(&req, IFLA_LINKINFO);
	nl_add_string(&req, IFLA_INFO_KIND, "veth");
	data = nl_nest_begin(&req, IFLA_INFO_DATA);
	peer_info = nl_nest_begin(&req, VETH_INFO_PEER);
	nl_append(&req, &peer, sizeof(peer));
	nl_add_string(&req, IFLA_IFNAME, peer_if);
	nl_add_attr(&req, IFLA_NET_NS_PID, &pid, sizeof(pid));
	nl_nest_end(&req, peer_info);
	nl_nest_end(&req, data);
	nl_nest_end(&req, linkinfo);

	snprintf(what, sizeof(what),
		 "create veth %s <-> %s (in PID %d's netns)", host_if, peer_if,
		 (int)peer_pid);
	return nl_send(&req, what);
}

int net_addr_add(const char *ifname, const char *cidr)
{
	struct nl_request req;
	struct ifaddrmsg *ifa;
	struct in_addr addr;
	unsigned prefix;
	char what[96];

	if (!net_parse_cidr(cidr, &addr, &prefix)) {
		warnx("address '%s' for %s: give it as A.B.C.D/N", cidr,
		      ifname);
		return -1;
	}
	ifa = nl_begin(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
		       sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (!(ifa->ifa_index = link_index(ifname)))
		return -1;
	/* On a broadcast link the two are the same: our own address. (They
	 * differ only on point-to-point links, where IFA_ADDRESS is the
	 * far end.) The kernel derives the /N route from the prefix. */
	nl_add_attr(&req, IFA_LOCAL, &addr, sizeof(addr));
	nl_add_attr(&req, IFA_ADDRESS, &addr, sizeof(addr));
	snprintf(what, sizeof(what), "add address %s to %s", cidr, ifname);
	return nl_send(&req, what);
}

/*
 * RTM_NEWLINK  flags CREATE|EXCL            ifinfomsg (a new link: index 0)
 *   IFLA_IFNAME      name
 *   IFLA_LINKINFO
 *     IFLA_INFO_KIND   "bridge"
 * then, on the link made:
 * RTM_NEWLINK                               ifinfomsg (its index)
 *   IFLA_IFALIAS     alias           (a free-text label: who made it)
 */
int net_bridge_create(const char *name, const char *alias)
{
	struct nl_request req;
	struct ifinfomsg *ifi;
	struct rtattr *linkinfo;

	if (strlen(name) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return -1;
	}
	ifi = nl_begin(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
		       sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nl_add_string(&req, IFLA_IFNAME, name);
	linkinfo = nl_nest_begin(&req, IFLA_LINKINFO);
	nl_add_string(&req, IFLA_INFO_KIND, "bridge");
	nl_nest_end(&req, linkinfo);
	/* Quietly: EEXIST is news for the caller (someone made it first),
	 * not an error to print. */
	if (nl_send(&req, NULL) < 0)
		return -1;
	if (!alias)
		return 0;
	/* The kernel takes an alias only on a link that exists: a creating
	 * RTM_NEWLINK ignores IFLA_IFALIAS without a word. */
	ifi = nl_begin(&req, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (!(ifi->ifi_index = if_nametoindex(name)))
		return -1;
	nl_add_string(&req, IFLA_IFALIAS, alias);
	return nl_send(&req, NULL);
}

/* RTM_NEWLINK on an existing link (ifi_index set), IFLA_MASTER = the
 * bridge's index: the link becomes one of the bridge's ports. */
int net_link_set_master(const char *ifname, const char *master)
{
	struct nl_request req;
	struct ifinfomsg *ifi;
	unsigned index;
	char what[64];

	ifi = nl_begin(&req, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (!(ifi->ifi_index = link_index(ifname)) ||
	    !(index = link_index(master)))
		return -1;
	nl_add_attr(&req, IFLA_MASTER, &index, sizeof(index));
	snprintf(what, sizeof(what), "put %s on bridge %s", ifname, master);
	return nl_send(&req, what);
}

/* Deletes ifname; with gone_ok, one that is already gone is no error. */
static int link_delete(const char *ifname, bool gone_ok)
{
	struct nl_request req;
	struct ifinfomsg *ifi;

	ifi = nl_begin(&req, RTM_DELLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = if_nametoindex(ifname);
	if (!ifi->ifi_index)
		goto fail;
	if (nl_send(&req, NULL) == 0)
		return 0;
fail:
	if (gone_ok && errno == ENODEV)
		return 0;
	warn("delete interface %s", ifname);
	return -1;
}

int net_link_delete(const char *ifname)
{
	return link_delete(ifname, false);
}

int net_link_delete_if_any(const char *ifname)
{
	return link_delete(ifname, true);
}
