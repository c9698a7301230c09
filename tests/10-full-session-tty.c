/*
 * tests/10-full-session-tty.c - what a process in a container can do to a
 * terminal it was handed (built static by tests/10-full-session.bats; the
 * image has no stty).
 *
 * For each of fds 0-2: is it a terminal, and does tcsetattr() turn its
 * echo off (it works on any terminal fd, controlling or not); then: does
 * /dev/tty, the controlling terminal, open. Prints one line for each.
 */
#include <fcntl.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	struct termios t;
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (tcgetattr(fd, &t) < 0) {
			printf("fd %d: no terminal\n", fd);
			continue;
		}
		t.c_lflag &= ~ECHO;
		printf("fd %d: a terminal, echo off %s\n", fd,
		       tcsetattr(fd, TCSANOW, &t) == 0 ? "done" : "refused");
	}
	fd = open("/dev/tty", O_RDWR);
	if (fd < 0)
		printf("/dev/tty: %m\n");
	else
		printf("/dev/tty: opened\n");
	return 0;
}
