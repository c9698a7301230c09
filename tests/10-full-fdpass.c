/*
 * tests/10-full-fdpass.c - one container hands one of its stdio fds to
 * another through a unix socket in a shared volume, so that the fd
 * outlives the container it came from: what a hostile tester did to
 * keep a supervisor's relay, terminal or attach input waiting for good.
 *
 *   fdpass recv SOCKET hold       takes one fd, keeps it, and sleeps
 *   fdpass recv SOCKET newlines   takes one fd and writes 64 KiB of
 *                                 newlines into it, again and again
 *   fdpass recv SOCKET full MARK  takes one fd (a pipe's read end), never
 *                                 reads it, and makes the file MARK once
 *                                 64 KiB wait in it (the pipe is full)
 *   fdpass send SOCKET FD         sends FD (0, 1, 2) to the one that
 *                                 waits on SOCKET, then exits
 *
 * Built static by tests/10-full-life.bats, bound into the containers.
 */
#include <err.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct sockaddr_un address(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};

	if (strlen(path) >= sizeof(a.sun_path))
		errx(2, "%s: too long", path);
	strcpy(a.sun_path, path);
	return a;
}

static int recv_fd(const char *path)
{
	struct sockaddr_un a = address(path);
	char byte, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec v = {&byte, 1};
	struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1,
			   .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	struct cmsghdr *c;
	int s = socket(AF_UNIX, SOCK_STREAM, 0), conn, fd;

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s, 1) < 0 || (conn = accept(s, NULL, NULL)) < 0)
		err(1, "recv %s", path);
	if (recvmsg(conn, &m, 0) <= 0 || !(c = CMSG_FIRSTHDR(&m)) ||
	    c->cmsg_type != SCM_RIGHTS)
		errx(1, "recv %s: no fd", path);
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	close(conn);
	close(s);
	return fd;
}

static void send_fd(const char *path, int fd)
{
	struct sockaddr_un a = address(path);
	char byte = 'f', ctl[CMSG_SPACE(sizeof(int))];
	struct iovec v = {&byte, 1};
	struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1,
			   .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    sendmsg(s, &m, 0) != 1)
		err(1, "send %s", path);
	close(s);
}

int main(int argc, char **argv)
{
	static char lines[65536];
	int fd;

	if (argc == 4 && !strcmp(argv[1], "send")) {
		send_fd(argv[2], atoi(argv[3]));
		return 0;
	}
	if (argc < 4 || strcmp(argv[1], "recv"))
		errx(2, "usage: fdpass recv SOCKET hold|newlines|full MARK | "
			"fdpass send SOCKET FD");
	fd = recv_fd(argv[2]);
	if (!strcmp(argv[3], "full") && argc == 5) {
		int waiting = 0;

		while (ioctl(fd, FIONREAD, &waiting) == 0 && waiting < 65536)
			usleep(10000);
		close(open(argv[4], O_WRONLY | O_CREAT, 0644));
	}
	if (!strcmp(argv[3], "newlines")) {
		memset(lines, '\n', sizeof(lines));
		while (write(fd, lines, sizeof(lines)) > 0)
			;
	}
	for (;;)
		pause();
}
