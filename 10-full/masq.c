/*
 * 10-full/masq.c - outbound NAT for the bridge, and nothing in from other
 * bridges: one nftables table, made in one atomic batch.
 *
 * Claim: a container on the bridge reaches a network beyond the host,
 *        and the far side sees the host's address, not the container's;
 *        a container on another bridge reaches no container of this one;
 *        the table is gone after the last container.
 *        (tested in tests/10-full-port.bats, tests/10-full-net.bats)
 * Uses:  nft.c (the batch), 06-net/netlink.c (the attributes)
 * Read:  nft(8), linux/netfilter/nf_tables.h, docker's
 *        DOCKER-ISOLATION-STAGE-1/2 chains
 *
 * Typed, the table would be
 *	table ip container-BR {
 *		chain postrouting {
 *			type nat hook postrouting priority srcnat;
 *			ip saddr SUBNET oifname != "BR" masquerade
 *		}
 *		chain forward {
 *			type filter hook forward priority filter;
 *			oifname "BR" iifname != "BR"
 *				ct state established,related accept
 *			oifname "BR" iifname != "BR" drop
 *		}
 *	}
 * (the second chain: nothing is forwarded into the bridge but replies,
 * so that a container on another bridge reaches none of this one's).
 * A rule is a list of expressions run on registers: load 4 bytes of the
 * IP header at offset 12 (the source address), AND them with the mask,
 * compare with the subnet; load the output interface's name, compare with
 * the bridge's; masquerade (the source becomes the address of the
 * interface the packet leaves by, and conntrack reverses it for the
 * replies). Traffic between containers stays on the bridge and keeps its
 * addresses. "Make the table, delete it, make it again" in one batch
 * replaces a table a killed run left, without a moment where it is gone.
 */
#include "nft.h"

#include <arpa/inet.h>
#include <err.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>

static void expr_begin(struct nl_request *r, struct rtattr **elem,
		       struct rtattr **data, const char *name)
{
	*elem = nft_nest(r, NFTA_LIST_ELEM);
	nl_add_string(r, NFTA_EXPR_NAME, name);
	*data = nft_nest(r, NFTA_EXPR_DATA);
}

static void expr_end(struct nl_request *r, struct rtattr *elem,
		     struct rtattr *data)
{
	nl_nest_end(r, data);
	nl_nest_end(r, elem);
}

/* The rule's expressions: ip saddr NET/PREFIX oifname != BRIDGE masq. */
static void add_rule_exprs(struct nl_request *r, const char *bridge,
			   struct in_addr net, int prefix)
{
	uint32_t mask = prefix ? htonl(~0u << (32 - prefix)) : 0, zero = 0;
	char ifname[IFNAMSIZ] = "";
	struct rtattr *list = nft_nest(r, NFTA_RULE_EXPRESSIONS), *e, *d;

	net.s_addr &= mask;
	snprintf(ifname, sizeof(ifname), "%s", bridge);
	expr_begin(r, &e, &d, "payload");
	nft_add_u32(r, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nft_add_u32(r, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER);
	nft_add_u32(r, NFTA_PAYLOAD_OFFSET, 12); /* struct iphdr's saddr */
	nft_add_u32(r, NFTA_PAYLOAD_LEN, 4);
	expr_end(r, e, d);
	expr_begin(r, &e, &d, "bitwise");
	nft_add_u32(r, NFTA_BITWISE_SREG, NFT_REG_1);
	nft_add_u32(r, NFTA_BITWISE_DREG, NFT_REG_1);
	nft_add_u32(r, NFTA_BITWISE_LEN, 4);
	nft_add_data(r, NFTA_BITWISE_MASK, &mask, 4);
	nft_add_data(r, NFTA_BITWISE_XOR, &zero, 4);
	expr_end(r, e, d);
	expr_begin(r, &e, &d, "cmp");
	nft_add_u32(r, NFTA_CMP_SREG, NFT_REG_1);
	nft_add_u32(r, NFTA_CMP_OP, NFT_CMP_EQ);
	nft_add_data(r, NFTA_CMP_DATA, &net, 4);
	expr_end(r, e, d);
	expr_begin(r, &e, &d, "meta");
	nft_add_u32(r, NFTA_META_KEY, NFT_META_OIFNAME);
	nft_add_u32(r, NFTA_META_DREG, NFT_REG_1);
	expr_end(r, e, d);
	expr_begin(r, &e, &d, "cmp"); /* all IFNAMSIZ bytes: an exact name */
	nft_add_u32(r, NFTA_CMP_SREG, NFT_REG_1);
	nft_add_u32(r, NFTA_CMP_OP, NFT_CMP_NEQ);
	nft_add_data(r, NFTA_CMP_DATA, ifname, sizeof(ifname));
	expr_end(r, e, d);
	expr_begin(r, &e, &d, "masq");
	expr_end(r, e, d);
	nl_nest_end(r, list);
}

/* meta KEY (iifname, oifname) compared with name by op (all IFNAMSIZ
 * bytes: an exact name). */
static void ifname_cmp(struct nl_request *r, int key, int op,
		       const char *name)
{
	char ifname[IFNAMSIZ] = "";
	struct rtattr *e, *d;

	snprintf(ifname, sizeof(ifname), "%s", name);
	expr_begin(r, &e, &d, "meta");
	nft_add_u32(r, NFTA_META_KEY, key);
	nft_add_u32(r, NFTA_META_DREG, NFT_REG_1);
	expr_end(r, e, d);
	expr_begin(r, &e, &d, "cmp");
	nft_add_u32(r, NFTA_CMP_SREG, NFT_REG_1);
	nft_add_u32(r, NFTA_CMP_OP, op);
	nft_add_data(r, NFTA_CMP_DATA, ifname, sizeof(ifname));
	expr_end(r, e, d);
}

/* One rule of the forward chain: oifname BR iifname != BR [ct state
 * established,related] accept|drop. */
static void forward_rule(struct nft_batch *b, const char *table,
			 const char *bridge, bool replies)
{
	/* The register holds ct state in the host's byte order. */
	uint32_t est_rel = (1u << (IP_CT_ESTABLISHED + 1)) |
			   (1u << (IP_CT_RELATED + 1)),
		 zero = 0;
	struct rtattr *list, *e, *d, *data, *verdict;
	struct nl_request r;

	nft_begin(&r, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND,
		  NFPROTO_IPV4);
	nl_add_string(&r, NFTA_RULE_TABLE, table);
	nl_add_string(&r, NFTA_RULE_CHAIN, "forward");
	list = nft_nest(&r, NFTA_RULE_EXPRESSIONS);
	ifname_cmp(&r, NFT_META_OIFNAME, NFT_CMP_EQ, bridge);
	ifname_cmp(&r, NFT_META_IIFNAME, NFT_CMP_NEQ, bridge);
	if (replies) {
		expr_begin(&r, &e, &d, "ct");
		nft_add_u32(&r, NFTA_CT_KEY, NFT_CT_STATE);
		nft_add_u32(&r, NFTA_CT_DREG, NFT_REG_1);
		expr_end(&r, e, d);
		expr_begin(&r, &e, &d, "bitwise");
		nft_add_u32(&r, NFTA_BITWISE_SREG, NFT_REG_1);
		nft_add_u32(&r, NFTA_BITWISE_DREG, NFT_REG_1);
		nft_add_u32(&r, NFTA_BITWISE_LEN, 4);
		nft_add_data(&r, NFTA_BITWISE_MASK, &est_rel, 4);
		nft_add_data(&r, NFTA_BITWISE_XOR, &zero, 4);
		expr_end(&r, e, d);
		expr_begin(&r, &e, &d, "cmp");
		nft_add_u32(&r, NFTA_CMP_SREG, NFT_REG_1);
		nft_add_u32(&r, NFTA_CMP_OP, NFT_CMP_NEQ);
		nft_add_data(&r, NFTA_CMP_DATA, &zero, 4);
		expr_end(&r, e, d);
	}
	expr_begin(&r, &e, &d, "immediate");
	nft_add_u32(&r, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	data = nft_nest(&r, NFTA_IMMEDIATE_DATA);
	verdict = nft_nest(&r, NFTA_DATA_VERDICT);
	nft_add_u32(&r, NFTA_VERDICT_CODE, replies ? NF_ACCEPT : NF_DROP);
	nl_nest_end(&r, verdict);
	nl_nest_end(&r, data);
	expr_end(&r, e, d);
	nl_nest_end(&r, list);
	nft_push(b, &r);
}

/* A chain of table on a hook, at priority prio (nat's srcnat is 100,
 * filter's 0), of type type ("nat", "filter"). */
static void base_chain(struct nft_batch *b, const char *table,
		       const char *name, int hooknum, int prio,
		       const char *type)
{
	struct nl_request r;
	struct rtattr *hook;

	nft_begin(&r, NFT_MSG_NEWCHAIN, NLM_F_CREATE, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_CHAIN_TABLE, table);
	nl_add_string(&r, NFTA_CHAIN_NAME, name);
	hook = nft_nest(&r, NFTA_CHAIN_HOOK);
	nft_add_u32(&r, NFTA_HOOK_HOOKNUM, hooknum);
	nft_add_u32(&r, NFTA_HOOK_PRIORITY, prio);
	nl_nest_end(&r, hook);
	nl_add_string(&r, NFTA_CHAIN_TYPE, type);
	nft_push(b, &r);
}

int nft_masquerade_add(const char *bridge, const char *subnet,
		       unsigned char note)
{
	char table[64], addr[20], what[96];
	struct nft_batch b;
	struct nl_request r;
	struct in_addr net;
	int prefix = -1;

	snprintf(table, sizeof(table), NFT_TABLE_PREFIX "%s", bridge);
	if (sscanf(subnet, "%19[0-9.]/%d", addr, &prefix) != 2 ||
	    inet_pton(AF_INET, addr, &net) != 1 || prefix < 0 || prefix > 32) {
		warnx("nat: %s is not a subnet (A.B.C.D/P)", subnet);
		return -1;
	}
	nft_batch_start(&b);
	/* Make, delete, make: whatever an earlier run left goes. */
	nft_begin(&r, NFT_MSG_NEWTABLE, NLM_F_CREATE, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_TABLE_NAME, table);
	nft_push(&b, &r);
	nft_begin(&r, NFT_MSG_DELTABLE, 0, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_TABLE_NAME, table);
	nft_push(&b, &r);
	nft_begin(&r, NFT_MSG_NEWTABLE, NLM_F_CREATE, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_TABLE_NAME, table);
	nl_add_attr(&r, NFTA_TABLE_USERDATA, &note, 1);
	nft_push(&b, &r);
	base_chain(&b, table, "postrouting", NF_INET_POST_ROUTING, 100, "nat");
	nft_begin(&r, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_RULE_TABLE, table);
	nl_add_string(&r, NFTA_RULE_CHAIN, "postrouting");
	add_rule_exprs(&r, bridge, net, prefix);
	nft_push(&b, &r);
	/* Into the bridge, from anywhere else, only replies: forwarding is
	 * on for its way out, and without this a container on another
	 * bridge (or anything routed to the host) reached every port of
	 * this bridge's containers (a hostile tester's did, from a bridge
	 * made with CONTAINER_BRIDGE). Docker drops the same with its
	 * DOCKER-ISOLATION chains. The host itself is not forwarded. */
	base_chain(&b, table, "forward", NF_INET_FORWARD, 0, "filter");
	forward_rule(&b, table, bridge, true);
	forward_rule(&b, table, bridge, false);
	snprintf(what, sizeof(what), "nat: make nftables table %s", table);
	return nft_batch_send(&b, what);
}
