/*
 * 10-full/hostcheck.c - the firewall of a Docker host, seen before it
 * silently eats the bridge's packets; and `container info`.
 *
 * Claim: a base chain on the forward hook with policy drop (what Docker
 *        installs) is found and named, at `run --net bridge`, by
 *        `container info` and by `make doctor`; so is br_netfilter's
 *        bridge-nf-call-iptables = 1.   (tested in tests/10-full-port.bats
 *        and tests/00-doctor.bats)
 * Uses:  nft.c (the chains, listed over netlink)
 * Read:  nft(8), Docker's "Packet filtering and firewalls"
 *
 * Docker sets the FORWARD policy of iptables' filter table to DROP, and
 * accepts only its own bridges' traffic. Packets from our bridge to the
 * world are forwarded, so they meet that policy and vanish: no error,
 * just silence. br_netfilter (loaded by Docker) with
 * bridge-nf-call-iptables = 1 sends even frames *between* two ports of
 * one bridge through the same FORWARD chain: two containers on our bridge
 * cannot ping each other. We never change either (they are the host's
 * firewall): we say so, and what rule would let our bridge through.
 *
 * iptables-nft (Debian, Ubuntu, Fedora's default) keeps its tables in
 * nftables, so its FORWARD chain is in the netlink dump. The legacy
 * iptables backend is another kernel interface (x_tables, read with
 * getsockopt and a binary format); we only notice that its filter table
 * exists (/proc/net/ip_tables_names) and say to check it.
 */
#include "hostcheck.h"
#include "nft.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <errno.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <string.h>

static int read_int_file(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* One chain of the dump: a base chain on the forward hook, policy drop? */
static void each_chain(const struct nlmsghdr *h, void *arg)
{
	static const char *const families[] = {
		[NFPROTO_INET] = "inet", [NFPROTO_IPV4] = "ip",
		[NFPROTO_BRIDGE] = "bridge", [NFPROTO_IPV6] = "ip6"};
	const struct nfgenmsg *g = NLMSG_DATA(h);
	const struct rtattr *a = (const void *)((const char *)g +
						NLMSG_ALIGN(sizeof(*g)));
	int len = h->nlmsg_len - ((const char *)a - (const char *)h);
	const char *table = "?", *name = "?";
	int hook = -1, policy = -1;
	struct hostcheck *hc = arg;

	if (hc->drop_chain[0] || g->nfgen_family == NFPROTO_IPV6 ||
	    g->nfgen_family >= sizeof(families) / sizeof(families[0]) ||
	    !families[g->nfgen_family])
		return; /* found already; or not a family IPv4 goes through */
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		int type = a->rta_type & NLA_TYPE_MASK;

		if (type == NFTA_CHAIN_TABLE)
			table = RTA_DATA(a);
		else if (type == NFTA_CHAIN_NAME)
			name = RTA_DATA(a);
		else if (type == NFTA_CHAIN_POLICY)
			policy = ntohl(*(const uint32_t *)RTA_DATA(a));
		else if (type == NFTA_CHAIN_HOOK) {
			const struct rtattr *k = RTA_DATA(a);
			int klen = RTA_PAYLOAD(a);

			for (; RTA_OK(k, klen); k = RTA_NEXT(k, klen))
				if ((k->rta_type & NLA_TYPE_MASK) ==
				    NFTA_HOOK_HOOKNUM)
					hook = ntohl(*(const uint32_t *)RTA_DATA(k));
		}
	}
	/* NF_INET_FORWARD and NF_BR_FORWARD are both 2. */
	if (hook == NF_INET_FORWARD && policy == NF_DROP)
		snprintf(hc->drop_chain, sizeof(hc->drop_chain), "%s %s %s",
			 families[g->nfgen_family], table, name);
}

void hostcheck_read(struct hostcheck *h)
{
	FILE *f;
	char line[64];

	*h = (struct hostcheck){0};
	h->bridge_nf = read_int_file("/proc/sys/net/bridge/bridge-nf-call-iptables");
	if (nft_dump_chains(each_chain, h) < 0)
		h->nft_errno = errno;
	f = fopen("/proc/net/ip_tables_names", "re");
	while (f && fgets(line, sizeof(line), f))
		if (strcmp(line, "filter\n") == 0)
			h->legacy_filter = true;
	if (f)
		fclose(f);
}

int hostcheck_warn(const char *bridge)
{
	struct hostcheck h;
	int n = 0;

	hostcheck_read(&h);
	if (h.drop_chain[0] && ++n)
		warnx("warning: %s drops forwarded packets by default (a Docker "
		      "host?): containers on %s will not reach beyond the host "
		      "unless it accepts them, e.g. iptables -I DOCKER-USER -i "
		      "%s -j ACCEPT; iptables -I DOCKER-USER -o %s -j ACCEPT",
		      h.drop_chain, bridge, bridge, bridge);
	if (h.bridge_nf == 1 && (h.drop_chain[0] || h.legacy_filter) && ++n)
		warnx("warning: br_netfilter sends traffic between containers "
		      "on %s through that FORWARD chain too "
		      "(net.bridge.bridge-nf-call-iptables = 1)", bridge);
	if (h.legacy_filter && !h.drop_chain[0] && ++n)
		warnx("warning: a legacy iptables filter table is loaded; its "
		      "FORWARD policy is not read here: if iptables-legacy -L "
		      "FORWARD says DROP, containers on %s will not reach "
		      "beyond the host", bridge);
	return n;
}

int cmd_info(int argc, char **argv)
{
	struct hostcheck h;

	if (argc > 1 && argv[1][0] == '-')
		return verb_bad_option(argv, argv[1], false);
	if (argc > 1) {
		warnx("usage: container info");
		return EXIT_FAILED;
	}
	hostcheck_read(&h);
	/* "none", a chain, or why the chains could not be read. */
	printf("Forwarding dropped by: %s\n",
	       h.nft_errno ? strerror(h.nft_errno)
	       : h.drop_chain[0] ? h.drop_chain
				 : "none");
	printf("Legacy iptables filter table: %s\n",
	       h.legacy_filter ? "yes (not read)" : "no");
	printf("bridge-nf-call-iptables: %s\n",
	       h.bridge_nf < 0 ? "no (br_netfilter not loaded)"
	       : h.bridge_nf   ? "1"
			       : "0");
	return 0;
}
