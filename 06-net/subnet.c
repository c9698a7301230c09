/*
 * 06-net/subnet.c - a network for a veth pair that nothing on the host
 * uses: read the host's routes and addresses, pick a free one, under a
 * lock.
 *
 * Claim: concurrent --veth runs each get a /30 of their own that
 *        overlaps no route or address of the host; --veth-net refuses a
 *        network the host uses, and the special ranges (0/8, loopback,
 *        link-local, multicast, reserved and broadcast), before anything
 *        is made.   (tested in tests/06-net.bats)
 * Uses:  netlink.c (nl_dump)
 * Read:  rtnetlink(7) (RTM_GETROUTE, RTM_GETADDR), fcntl(2) ("Advisory
 *        record locking"), RFC 6890
 *
 * Linux lets two interfaces hold the same address, and routes by the
 * longest prefix, the first one found on a tie: two runs on one /30 both
 * configure fine, and the replies of one go down the other's cable. So
 * picking a network is read-then-write, and two runs must not interleave
 * it: each holds a lock (one the kernel drops if its holder dies) from
 * reading the routes until its address is on the interface, where the
 * next reader sees it.
 */
#include "net.h"
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint32_t mask_of(unsigned prefix)
{
	return prefix ? ~0u << (32 - prefix) : 0;
}

/* Two networks overlap when the shorter prefix sees them as one. */
static bool overlap(struct net_subnet a, struct net_subnet b)
{
	uint32_t m = mask_of(a.prefix < b.prefix ? a.prefix : b.prefix);

	return (a.net & m) == (b.net & m);
}

const char *net_subnet_text(struct net_subnet s, char *buf, size_t size)
{
	struct in_addr a = {.s_addr = htonl(s.net)};

	snprintf(buf, size, "%s/%u", inet_ntoa(a), s.prefix);
	return buf;
}

const char *net_subnet_special(struct net_subnet want)
{
	/* RFC 6890's ranges that no interface of ours should hold. */
	static const struct {
		uint32_t net;
		unsigned prefix;
		const char *what;
	} special[] = {
		{0x00000000, 8, "0.0.0.0/8, \"this network\""},
		{0x7f000000, 8, "127.0.0.0/8, loopback"},
		{0xa9fe0000, 16, "169.254.0.0/16, link-local (and cloud "
				 "metadata services)"},
		{0xe0000000, 4, "224.0.0.0/4, multicast"},
		{0xf0000000, 4, "240.0.0.0/4, reserved and broadcast"},
	};

	for (size_t i = 0; i < sizeof(special) / sizeof(*special); i++)
		if (overlap(want, (struct net_subnet){special[i].net,
						       special[i].prefix}))
			return special[i].what;
	return NULL;
}

static void add(struct net_subnets *used, uint32_t net_be, unsigned prefix)
{
	struct net_subnet *grown;

	if (used->failed)
		return;
	if (used->n % 64 == 0) {
		grown = realloc(used->list, (used->n + 64) * sizeof(*grown));
		if (!grown) {
			used->failed = true;
			return;
		}
		used->list = grown;
	}
	used->list[used->n++] = (struct net_subnet){
		ntohl(net_be) & mask_of(prefix), prefix};
}

static void each_route(const struct nlmsghdr *h, void *arg)
{
	const struct rtmsg *rt = NLMSG_DATA(h);
	const struct rtattr *a = RTM_RTA(rt);
	int len = RTM_PAYLOAD(h);

	/* The default route (and any /0) would overlap everything: it is
	 * where traffic goes when nothing more precise matches. */
	if (h->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != AF_INET ||
	    rt->rtm_dst_len == 0)
		return;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == RTA_DST)
			add(arg, *(const uint32_t *)RTA_DATA(a),
			    rt->rtm_dst_len);
}

static void each_address(const struct nlmsghdr *h, void *arg)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const struct rtattr *a = IFA_RTA(ifa);
	int len = IFA_PAYLOAD(h);

	if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET)
		return;
	/* IFA_LOCAL is ours; IFA_ADDRESS the far end on a point-to-point
	 * link. An address made without its route (noprefixroute) is in
	 * no route: count its network here. */
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFA_LOCAL || a->rta_type == IFA_ADDRESS)
			add(arg, *(const uint32_t *)RTA_DATA(a),
			    ifa->ifa_prefixlen);
}

int net_subnets_in_use(struct net_subnets *used)
{
	struct nl_request req;
	struct rtmsg *rt;
	struct ifaddrmsg *ifa;

	*used = (struct net_subnets){0};
	/* Every table (main, local, policy routing's): the kernel dumps
	 * them all when none is asked for. */
	rt = nl_begin(&req, RTM_GETROUTE, 0, sizeof(*rt));
	rt->rtm_family = AF_INET;
	if (nl_dump(&req, "read the host's routes", each_route, used) < 0)
		goto bad;
	ifa = nl_begin(&req, RTM_GETADDR, 0, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	if (nl_dump(&req, "read the host's addresses", each_address, used) <
	    0)
		goto bad;
	if (!used->failed)
		return 0;
	warnx("read the host's routes: out of memory");
bad:
	net_subnets_free(used);
	return -1;
}

void net_subnets_free(struct net_subnets *used)
{
	free(used->list);
	*used = (struct net_subnets){0};
}

const struct net_subnet *net_subnet_conflict(const struct net_subnets *used,
					     struct net_subnet want)
{
	const struct net_subnet *widest = NULL;

	/* The widest one says most (192.168.1.0/24, not the local table's
	 * 192.168.1.5/32 inside it). */
	for (size_t i = 0; i < used->n; i++)
		if (overlap(used->list[i], want) &&
		    (!widest || used->list[i].prefix < widest->prefix))
			widest = &used->list[i];
	return widest;
}

int net_subnet_pick(const struct net_subnets *used, struct net_subnet pool,
		    unsigned prefix, struct net_subnet *out)
{
	uint64_t step = 1ull << (32 - prefix), end;

	if (prefix < pool.prefix)
		return -1;
	end = (uint64_t)pool.net + (1ull << (32 - pool.prefix));
	for (uint64_t net = pool.net; net < end; net += step) {
		struct net_subnet s = {(uint32_t)net, prefix};

		if (!net_subnet_conflict(used, s)) {
			*out = s;
			return 0;
		}
	}
	return -1;
}

int net_subnet_lock(void)
{
	/* A POSIX record lock (fcntl), not flock(): it belongs to this
	 * process, so the child that clone() makes while we hold it does
	 * not hold it too (an flock would follow the fd into the child, and
	 * a child orphaned before "go" would keep it forever). Both kinds
	 * die with their owner. */
	struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	/* A lock file, not state: empty, and it stays, as iptables'
	 * /run/xtables.lock does. */
	int fd = open(NET_SUBNET_LOCK, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		      0600);

	if (fd < 0) {
		warn("open %s", NET_SUBNET_LOCK);
		return -1;
	}
	while (fcntl(fd, F_SETLKW, &whole) < 0)
		if (errno != EINTR) {
			warn("lock %s", NET_SUBNET_LOCK);
			close(fd);
			return -1;
		}
	return fd;
}

void net_subnet_unlock(int fd)
{
	/* Closing any fd of the file drops a process's record locks. */
	if (fd >= 0)
		close(fd);
}
