/*
 * 10-full/hostcheck.h - what on this host would stop the bridge's
 * traffic: a Docker host's FORWARD policy of DROP, br_netfilter.
 *
 * Read: nft(8) ("base chain", "policy"), Docker's "Packet filtering and
 *       firewalls" page, Documentation/networking/ip-sysctl.rst
 */
#ifndef HOSTCHECK_H
#define HOSTCHECK_H

#include <stdbool.h>

struct hostcheck {
	/* /proc/sys/net/bridge/bridge-nf-call-iptables: 1 (bridged
	 * frames go through iptables' FORWARD too), 0, or -1 when there
	 * is no such file (br_netfilter not loaded). */
	int bridge_nf;
	/* The first base chain on the forward hook whose policy is drop,
	 * as "ip filter FORWARD", or "" when none. */
	char drop_chain[160];
	/* 0, or the errno that kept us from reading the chains (EPERM:
	 * only root may list them). */
	int nft_errno;
	/* A legacy (x_tables) filter table exists, which nftables' netlink
	 * does not show: its FORWARD policy is not read. */
	bool legacy_filter;
};

/* Reads the above for the caller's network namespace. Changes nothing. */
void hostcheck_read(struct hostcheck *h);

/* At `run --net bridge`: one warning per problem found, saying what it
 * breaks and what to do. Returns how many. */
int hostcheck_warn(const char *bridge);

#endif
