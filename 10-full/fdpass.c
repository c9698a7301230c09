/*
 * 10-full/fdpass.c - one byte over a unix socket, with or without an fd
 * riding along as ancillary data (SCM_RIGHTS).
 *
 * Claim: the fd that arrives is the sender's open file, close-on-exec in
 *        the receiver; a byte sent without one arrives without one.
 *        (tested through its users: tests/10-full.bats, -t; the network
 *        namespace of every run)
 * Uses:  nothing but libc
 * Read:  unix(7) SCM_RIGHTS, cmsg(3)
 *
 * An fd is a number in one process's table; what it names, the open
 * file, can be shared. A unix socket carries the open file itself: the
 * kernel puts a new entry for it in the receiver's table, at a number of
 * the receiver's, as dup() would across processes.
 */
#include "fdpass.h"

#include <string.h>
#include <sys/socket.h>

int fdpass_send(int s, int fd)
{
	char byte = fd >= 0 ? 'f' : '-', buf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cmsg;

	if (fd >= 0) {
		msg.msg_control = buf;
		msg.msg_controllen = sizeof(buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(s, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int fdpass_recv(int s, int *fd)
{
	char byte, buf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = buf, .msg_controllen = sizeof(buf)};
	struct cmsghdr *cmsg;
	ssize_t n;

	*fd = -1;
	n = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return (int)n;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg && cmsg->cmsg_level == SOL_SOCKET &&
	    cmsg->cmsg_type == SCM_RIGHTS &&
	    cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
	return 1;
}
