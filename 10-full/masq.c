/*
 * 10-full/masq.c - outbound NAT for the bridge: one nftables table with a
 * masquerade rule, made in one atomic batch.
 *
 * Claim: a container on the bridge reaches a network beyond the host,
 *        and the far side sees the host's address, not the container's;
 *        the table is gone after the last container.
 *        (tested in tests/10-full-port.bats)
 * Uses:  nft.c (the batch), 06-net/netlink.c (the attributes)
 * Read:  nft(8), linux/netfilter/nf_tables.h
 *
 * Typed, the table would be
 *	table ip container-BR {
 *		chain postrouting {
 *			type nat hook postrouting priority srcnat;
 *			ip saddr SUBNET oifname != "BR" masquerade
 *		}
 *	}
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
#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
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

int nft_masquerade_add(const char *bridge, const char *subnet,
		       unsigned char note)
{
	char table[64], addr[20], what[96];
	struct nft_batch b;
	struct nl_request r;
	struct rtattr *hook;
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
	nft_begin(&r, NFT_MSG_NEWCHAIN, NLM_F_CREATE, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_CHAIN_TABLE, table);
	nl_add_string(&r, NFTA_CHAIN_NAME, "postrouting");
	hook = nft_nest(&r, NFTA_CHAIN_HOOK);
	nft_add_u32(&r, NFTA_HOOK_HOOKNUM, NF_INET_POST_ROUTING);
	nft_add_u32(&r, NFTA_HOOK_PRIORITY, 100); /* srcnat */
	nl_nest_end(&r, hook);
	nl_add_string(&r, NFTA_CHAIN_TYPE, "nat");
	nft_push(&b, &r);
	nft_begin(&r, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_RULE_TABLE, table);
	nl_add_string(&r, NFTA_RULE_CHAIN, "postrouting");
	add_rule_exprs(&r, bridge, net, prefix);
	nft_push(&b, &r);
	snprintf(what, sizeof(what), "nat: make nftables table %s", table);
	return nft_batch_send(&b, what);
}
