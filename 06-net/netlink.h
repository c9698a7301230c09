/*
 * 06-net/netlink.h - rtnetlink plumbing: build one request, send it, read
 * the kernel's answer.
 *
 * Every request this lesson sends has the same shape: a struct nlmsghdr,
 * the family's fixed header (struct ifinfomsg for links, struct ifaddrmsg
 * for addresses), then attributes (struct rtattr: length, type, value),
 * some of them nested. These helpers append to a fixed buffer and keep
 * nlmsg_len up to date, so the code in net.c reads like the message it
 * builds.
 *
 * Read: netlink(7), rtnetlink(7), netlink(3)
 */
#ifndef NETLINK_H
#define NETLINK_H

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stddef.h>

/* Our largest request (a veth pair) is under 200 bytes. */
#define NL_REQUEST_SIZE 512

struct nl_request {
	union {
		struct nlmsghdr hdr;
		char buf[NL_REQUEST_SIZE];
	};
	bool overflow; /* an append did not fit: nl_send() refuses */
};

/* Starts a request of the given type (RTM_NEWLINK, ...), flags added to
 * NLM_F_REQUEST | NLM_F_ACK, followed by a zeroed family header of
 * header_len bytes. Returns a pointer to that header, to fill in. */
void *nl_begin(struct nl_request *req, int type, int flags,
	       size_t header_len);

/* Appends len bytes of data, aligned (a nested header such as the veth
 * peer's struct ifinfomsg). Returns a pointer to the copy, or NULL (and
 * marks the request as overflowed) if it does not fit. */
void *nl_append(struct nl_request *req, const void *data, size_t len);

/* Appends one attribute: type and value. */
void nl_add_attr(struct nl_request *req, int type, const void *data,
		 size_t len);

/* Appends a string attribute, with its terminating NUL. */
void nl_add_string(struct nl_request *req, int type, const char *value);

/* Opens a nested attribute; the attributes appended until nl_nest_end()
 * are its value. Returns the attribute to pass to nl_nest_end(). */
struct rtattr *nl_nest_begin(struct nl_request *req, int type);
void nl_nest_end(struct nl_request *req, struct rtattr *nest);

/* Sends req on a fresh NETLINK_ROUTE socket (so, to the network namespace
 * of the caller) and waits for the kernel's acknowledgement. Returns 0, or
 * -1 with errno set to the kernel's error; then, unless what is NULL, it
 * says "what: error" with the kernel's own explanation when it gives one. */
int nl_send(struct nl_request *req, const char *what);

/* Sends req as a dump request (RTM_GETROUTE, RTM_GETADDR ... with
 * NLM_F_DUMP) and calls each(h, arg) for every message of the kernel's
 * answer, until it says done. Returns 0, or -1 after saying "what: error"
 * (errno set). */
int nl_dump(struct nl_request *req, const char *what,
	    void (*each)(const struct nlmsghdr *h, void *arg), void *arg);

#endif
