/*
 * 10-full/nft.h - nftables over raw netlink (NETLINK_NETFILTER): build a
 * batch, send it, read the kernel's answer; the one table this runtime
 * owns (masq.c), and reading the kernel's chains back (hostcheck.c).
 *
 * Read: nft(8) (what the rules would look like typed), netlink(7),
 *       linux/netfilter/nf_tables.h (every attribute used here)
 */
#ifndef NFT_H
#define NFT_H

#include "../06-net/netlink.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The table nft_masquerade_add() makes for a bridge (family ip). */
#define NFT_TABLE_PREFIX "container-"

/* Changes go to the kernel as one batch, applied whole or not at all. */
struct nft_batch {
	char buf[2048] __attribute__((aligned(NLMSG_ALIGNTO)));
	size_t len;
	unsigned acks; /* messages the kernel will acknowledge */
	bool overflow;
};

/* Starts nftables message type (NFT_MSG_NEWTABLE ...) in req, for family
 * (NFPROTO_IPV4 ...), flags added to NLM_F_REQUEST | NLM_F_ACK. */
void nft_begin(struct nl_request *req, int type, int flags, int family);
/* Attribute helpers: a big-endian u32 (all nftables numbers are); a nest
 * flagged NLA_F_NESTED; an NFTA_DATA_VALUE inside a nest of type. */
void nft_add_u32(struct nl_request *req, int type, uint32_t host);
struct rtattr *nft_nest(struct nl_request *req, int type);
void nft_add_data(struct nl_request *req, int type, const void *v,
		  size_t len);

/* BATCH_BEGIN into an empty batch; req appended to it; then BATCH_END
 * and send: returns 0, or -1 after "what: error". */
void nft_batch_start(struct nft_batch *b);
void nft_push(struct nft_batch *b, struct nl_request *req);
int nft_batch_send(struct nft_batch *b, const char *what);

/* Makes, in one atomic batch, table container-BRIDGE with a chain of
 * type nat on the postrouting hook (priority 100, as srcnat) holding one
 * rule, in nft's words:
 *	ip saddr SUBNET oifname != BRIDGE masquerade
 * A table of that name left by an earlier run is replaced, not doubled.
 * note (one byte) is kept in the table's user data, for whoever removes
 * it (nat.c keeps there whether it turned ip_forward on). subnet is
 * "A.B.C.D/P". Returns 0, or -1 after a warning.    (masq.c) */
int nft_masquerade_add(const char *bridge, const char *subnet,
		       unsigned char note);

/* Reads table container-BRIDGE back. Returns 1 (and *note) if it is
 * there, 0 if not, -1 after a warning. */
int nft_masquerade_get(const char *bridge, unsigned char *note);

/* Deletes table container-BRIDGE with its chain and rule. A table that
 * is not there is no error. Returns 0, or -1 after a warning. */
int nft_masquerade_del(const char *bridge);

/* Dumps the kernel's chains (NFT_MSG_GETCHAIN, every family) and calls
 * each(h, arg) for every one. Returns 0, or -1 with errno set (no
 * warning: callers that only look may stay quiet). */
int nft_dump_chains(void (*each)(const struct nlmsghdr *h, void *arg),
		    void *arg);

#endif
