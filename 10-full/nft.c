/*
 * 10-full/nft.c - nftables over raw netlink: the batch, and the table
 * operations that are one message each (delete, read back, list chains).
 *
 * Claim: (plumbing for masq.c's claim and hostcheck.c's; tested there)
 * Uses:  06-net/netlink.c (each message is built with nl_begin/nl_add_*)
 * Read:  netlink(7), linux/netfilter/nfnetlink.h and nf_tables.h
 *
 * nftables speaks netlink too, on its own protocol (NETLINK_NETFILTER),
 * with a struct nfgenmsg (family, version, resource id) after the netlink
 * header and message types that carry the subsystem in their high byte.
 * Changes go in a *batch*: BATCH_BEGIN, the messages, BATCH_END, sent as
 * one datagram. The kernel applies the whole batch or none of it, and
 * acknowledges each message that asked for it (NLM_F_ACK) or says the
 * first error. Reads (GETTABLE, GETCHAIN) are plain requests outside any
 * batch. The socket belongs to the caller's network namespace, as
 * rtnetlink's does: the same code serves the host and a test's namespace.
 */
#include "nft.h"

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void nft_begin(struct nl_request *req, int type, int flags, int family)
{
	struct nfgenmsg *g = nl_begin(req, (NFNL_SUBSYS_NFTABLES << 8) | type,
				      flags, sizeof(*g));

	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
}

void nft_add_u32(struct nl_request *req, int type, uint32_t host)
{
	uint32_t be = htonl(host);

	nl_add_attr(req, type, &be, sizeof(be));
}

/* A nest flagged NLA_F_NESTED, as nft(8) sends them (a strict parser
 * wants the flag). */
struct rtattr *nft_nest(struct nl_request *req, int type)
{
	return nl_nest_begin(req, type | NLA_F_NESTED);
}

/* NFTA_..._DATA: a nest holding one NFTA_DATA_VALUE. */
void nft_add_data(struct nl_request *req, int type, const void *v,
		     size_t len)
{
	struct rtattr *d = nft_nest(req, type);

	nl_add_attr(req, NFTA_DATA_VALUE, v, len);
	nl_nest_end(req, d);
}

void nft_push(struct nft_batch *b, struct nl_request *req)
{
	size_t len = req->hdr.nlmsg_len;

	if (req->overflow || b->len + len > sizeof(b->buf)) {
		b->overflow = true;
		return;
	}
	req->hdr.nlmsg_seq = b->len + 1; /* distinct in the batch */
	if (req->hdr.nlmsg_flags & NLM_F_ACK)
		b->acks++;
	memcpy(b->buf + b->len, req->buf, len);
	b->len += NLMSG_ALIGN(len);
}

/* BATCH_BEGIN and BATCH_END: addressed to the nftables subsystem, and not
 * acknowledged (only the messages between them are). */
static void push_marker(struct nft_batch *b, int type)
{
	struct nl_request req;
	struct nfgenmsg *g = nl_begin(&req, type, 0, sizeof(*g));

	g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	req.hdr.nlmsg_flags = NLM_F_REQUEST;
	nft_push(b, &req);
}

/* Sends len bytes and reads until acks acknowledgements, or NLMSG_DONE
 * if acks is 0 (a dump), or the first error. Messages that are neither
 * go to each(). Returns 0, or -1 with errno set. */
static int talk(const void *buf, size_t len, unsigned acks,
		void (*each)(const struct nlmsghdr *h, void *arg), void *arg)
{
	char in[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int fd, rc = -1, saved;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return -1;
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		goto out;
	for (;;) {
		n = recv(fd, in, sizeof(in), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		for (struct nlmsghdr *h = (void *)in; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE && !acks) {
				rc = 0;
				goto out;
			}
			if (h->nlmsg_type != NLMSG_ERROR) {
				if (each)
					each(h, arg);
				continue;
			}
			if (e->error) {
				errno = -e->error;
				goto out;
			}
			if (acks && --acks == 0) {
				rc = 0;
				goto out;
			}
		}
	}
out:
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

void nft_batch_start(struct nft_batch *b)
{
	*b = (struct nft_batch){0};
	push_marker(b, NFNL_MSG_BATCH_BEGIN);
}

int nft_batch_send(struct nft_batch *b, const char *what)
{
	push_marker(b, NFNL_MSG_BATCH_END);
	if (b->overflow) {
		errno = EMSGSIZE;
		if (what)
			warnx("%s: nftables batch too large", what);
		return -1;
	}
	if (talk(b->buf, b->len, b->acks, NULL, NULL) < 0) {
		if (what)
			warn("%s", what);
		return -1;
	}
	return 0;
}


int nft_masquerade_del(const char *bridge)
{
	char table[64], what[96];
	struct nft_batch b;
	struct nl_request r;

	snprintf(table, sizeof(table), NFT_TABLE_PREFIX "%s", bridge);
	snprintf(what, sizeof(what), "nat: delete nftables table %s", table);
	nft_batch_start(&b);
	nft_begin(&r, NFT_MSG_DELTABLE, 0, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_TABLE_NAME, table);
	nft_push(&b, &r);
	if (nft_batch_send(&b, NULL) == 0 || errno == ENOENT)
		return 0;
	warn("%s", what);
	return -1;
}

/* The user data of the table in a NEWTABLE answer. */
static void table_note(const struct nlmsghdr *h, void *arg)
{
	const struct rtattr *a = (const void *)((const char *)NLMSG_DATA(h) +
						NLMSG_ALIGN(sizeof(struct nfgenmsg)));
	int len = h->nlmsg_len - ((const char *)a - (const char *)h);
	int *note = arg;

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if ((a->rta_type & NLA_TYPE_MASK) == NFTA_TABLE_USERDATA &&
		    RTA_PAYLOAD(a) >= 1)
			*note = *(const unsigned char *)RTA_DATA(a);
}

int nft_masquerade_get(const char *bridge, unsigned char *note)
{
	char table[64];
	struct nl_request r;
	int got = -1;

	snprintf(table, sizeof(table), NFT_TABLE_PREFIX "%s", bridge);
	nft_begin(&r, NFT_MSG_GETTABLE, 0, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_TABLE_NAME, table);
	/* The answer is the table (a NEWTABLE message), then the ACK. */
	if (talk(r.buf, r.hdr.nlmsg_len, 1, table_note, &got) < 0) {
		if (errno == ENOENT)
			return 0;
		warn("nat: read nftables table %s", table);
		return -1;
	}
	*note = got < 0 ? 0 : got;
	return 1;
}

int nft_dump_chains(void (*each)(const struct nlmsghdr *h, void *arg),
		    void *arg)
{
	struct nl_request r;

	nft_begin(&r, NFT_MSG_GETCHAIN, NLM_F_DUMP, NFPROTO_UNSPEC);
	r.hdr.nlmsg_flags &= ~NLM_F_ACK; /* a dump ends with NLMSG_DONE */
	return talk(r.buf, r.hdr.nlmsg_len, 0, each, arg);
}
