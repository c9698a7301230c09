/*
 * 06-net/netlink.c - talk to the kernel's network stack the way ip(8) does.
 *
 * Claim: a veth pair, an address and a link going up are each one netlink
 *        message, and the kernel acknowledges every one (or says why not).
 *        (tested, through net.c, in tests/06-net.bats)
 * Uses:  nothing but libc and the kernel's uapi headers
 * Read:  netlink(7), rtnetlink(7), netlink(3)
 *
 * Netlink is a socket family whose other end is the kernel. A request is
 * a byte stream of TLVs; lengths count the header, and every piece starts
 * on a 4-byte boundary (NLMSG_ALIGN, RTA_ALIGN), which is why the helpers
 * below pad. The socket belongs to the network namespace of the process
 * that created it: the same code configures the host when the parent runs
 * it and the container when the child does.
 */
#include "netlink.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void *nl_begin(struct nl_request *req, int type, int flags,
	       size_t header_len)
{
	memset(req, 0, sizeof(*req));
	req->hdr.nlmsg_len = NLMSG_LENGTH(0);
	req->hdr.nlmsg_type = type;
	req->hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return nl_append(req, NULL, header_len);
}

void *nl_append(struct nl_request *req, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(req->hdr.nlmsg_len);
	char *p = req->buf + at;

	if (at + NLMSG_ALIGN(len) > sizeof(req->buf)) {
		req->overflow = true;
		return NULL;
	}
	if (data)
		memcpy(p, data, len);
	else
		memset(p, 0, len);
	req->hdr.nlmsg_len = at + NLMSG_ALIGN(len);
	return p;
}

void nl_add_attr(struct nl_request *req, int type, const void *data,
		 size_t len)
{
	struct rtattr *rta = nl_append(req, NULL, RTA_LENGTH(len));

	if (!rta)
		return;
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
}

void nl_add_string(struct nl_request *req, int type, const char *value)
{
	nl_add_attr(req, type, value, strlen(value) + 1);
}

struct rtattr *nl_nest_begin(struct nl_request *req, int type)
{
	struct rtattr *nest = nl_append(req, NULL, RTA_LENGTH(0));

	if (nest)
		nest->rta_type = type;
	return nest;
}

void nl_nest_end(struct nl_request *req, struct rtattr *nest)
{
	/* A nest's length covers everything appended since it began. */
	if (nest)
		nest->rta_len = req->buf + req->hdr.nlmsg_len - (char *)nest;
}

/* The kernel's explanation (extended ACK, NLMSGERR_ATTR_MSG) of an error
 * message, or NULL. With NETLINK_CAP_ACK the echoed request is cut to its
 * header (NLM_F_CAPPED) and the attributes follow struct nlmsgerr. */
static const char *ext_ack_message(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const char *end = (const char *)h + h->nlmsg_len;
	const struct rtattr *a;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	a = (const void *)((const char *)(e + 1) +
			   (h->nlmsg_flags & NLM_F_CAPPED
				    ? 0
				    : NLMSG_ALIGN(e->msg.nlmsg_len -
						  NLMSG_HDRLEN)));
	for (int len = end - (const char *)a; RTA_OK(a, len);
	     a = RTA_NEXT(a, len))
		if (a->rta_type == NLMSGERR_ATTR_MSG)
			return RTA_DATA(a);
	return NULL;
}

/* Reads until the acknowledgement of message seq. Returns 0, or -1 with
 * errno set (the kernel's error, or the socket's) and the kernel's
 * explanation, if any, copied to why. */
static int read_ack(int fd, unsigned seq, char *why, size_t why_size)
{
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (unsigned len = n; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			/* An ACK is an "error" message with error 0. */
			if (e->error == 0)
				return 0;
			if (ext_ack_message(h))
				snprintf(why, why_size, "%s",
					 ext_ack_message(h));
			errno = -e->error;
			return -1;
		}
	}
}

int nl_send(struct nl_request *req, const char *what)
{
	static unsigned seq;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK}; /* pid 0 */
	char why[256] = "";
	int fd, one = 1, rc = -1, saved;

	if (req->overflow) {
		errno = EMSGSIZE;
		if (what)
			warnx("%s: netlink request larger than %d bytes", what,
			      NL_REQUEST_SIZE);
		return -1;
	}
	req->hdr.nlmsg_seq = ++seq;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		goto out;
	/* Ask for the kernel's reason in words, and for a short ACK. Both
	 * are optional: older kernels simply ignore them. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	if (sendto(fd, req->buf, req->hdr.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		goto close_fd;
	rc = read_ack(fd, req->hdr.nlmsg_seq, why, sizeof(why));
close_fd:
	saved = errno;
	close(fd);
	errno = saved;
out:
	if (rc < 0 && what) {
		if (why[0])
			warnx("%s: %s (kernel says: %s)", what, strerror(errno),
			      why);
		else
			warn("%s", what);
	}
	return rc;
}

/* Reads the parts of dump seq, each message to each(), until NLMSG_DONE.
 * Returns 0, or -1 with errno set. */
static int read_dump(int fd, unsigned seq,
		     void (*each)(const struct nlmsghdr *h, void *arg),
		     void *arg)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		for (unsigned len = n; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				errno = e->error ? -e->error : EPROTO;
				return -1;
			}
			each(h, arg);
		}
	}
}

int nl_dump(struct nl_request *req, const char *what,
	    void (*each)(const struct nlmsghdr *h, void *arg), void *arg)
{
	static unsigned seq = 1u << 31; /* apart from nl_send()'s */
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int fd, rc = -1, saved;

	/* A dump ends with NLMSG_DONE; no ACK is wanted on top. */
	req->hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req->hdr.nlmsg_seq = ++seq;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		goto out;
	if (sendto(fd, req->buf, req->hdr.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) >= 0)
		rc = read_dump(fd, req->hdr.nlmsg_seq, each, arg);
	saved = errno;
	close(fd);
	errno = saved;
out:
	if (rc < 0)
		warn("%s", what);
	return rc;
}
