/*
 * 10-full/tty.c - `-t`: the container gets a terminal of its own.
 *
 * Claim: with -t and a terminal on stdin, the command's stdin is a pty of
 *        the container's own devpts (/dev/pts/0 inside), it leads its own
 *        session, and what is typed reaches it through our terminal in
 *        raw mode, which gets its settings back afterwards.
 *        (tested in tests/10-full.bats, through script(1))
 * Uses:  nothing but libc; devfs.c mounts the devpts this opens.
 * Read:  pty(7), termios(3), unix(7) SCM_RIGHTS, ioctl_tty(2)
 *
 * Why not hand the host's terminal to the container: it would share our
 * session, so it could inject input into our shell (TIOCSTI), read what
 * we type after it ends, and its own processes would not find their
 * terminal in its /dev. So, as docker and crun do, the pty comes from the
 * container's devpts: the child opens it, makes the slave the controlling
 * terminal of the session it already leads (relay.c), and passes the
 * master to us over a unix socket (a file descriptor can travel in a
 * message: SCM_RIGHTS).
 * We relay bytes between our terminal and the master. Our terminal goes
 * raw, so that Ctrl-C, Ctrl-Z and every key reach the container's line
 * discipline, which turns them into signals for its own foreground job.
 * The relay ends at EIO (the last slave end closed), or when tty_finish()
 * says the container is gone: a slave end the container passed out (to
 * another container, through a socket) would keep EIO from ever coming.
 */
#include "tty.h"
#include "fdpass.h"
#include "attachd.h"
#include "logfile.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static int sock[2] = {-1, -1}; /* [0] the parent's end, [1] the child's */
static pthread_t relay_thread;
static bool relaying, raw, detached;
static int ended = -1; /* eventfd: tty_finish to the relay, "it is over" */
static struct termios saved; /* our terminal, as it was */

int tty_prepare(bool detach)
{
	detached = detach;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0) {
		warn("socketpair");
		return -1;
	}
	return 0;
}

int tty_child(const char *ptmx)
{
	struct winsize ws;
	int master, slave = -1, unlock = 0;

	close(sock[0]);
	master = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0) {
		warn("-t: open %s", ptmx);
		return -1;
	}
	/* TIOCGPTPEER opens the slave from the master itself, so no path
	 * lookup can be fooled into another devpts. */
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0) {
		warn("-t: open the pty's slave");
		goto bad;
	}
	/* Detached, there is no terminal to take the size of: a classic
	 * one (a size of 0x0 would confuse full-screen programs). */
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0)
		ws = (struct winsize){.ws_row = 24, .ws_col = 80};
	ioctl(slave, TIOCSWINSZ, &ws);
	/* We lead a session of our own already (relay.c), with no
	 * controlling terminal: the slave becomes it. */
	if (ioctl(slave, TIOCSCTTY, 0) < 0) {
		warn("-t: make the pty the controlling terminal");
		goto bad;
	}
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0) {
			warn("-t: dup2");
			goto bad;
		}
	close(slave);
	if (fdpass_send(sock[1], master) < 0) {
		warn("-t: send the pty to the parent");
		close(master);
		return -1;
	}
	close(master);
	close(sock[1]);
	return 0;
bad:
	if (slave >= 0)
		close(slave);
	close(master);
	return -1;
}

/* Writes all of buf to fd. Returns 0, or -1 (the other side is gone). */
static int write_all(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= w;
	}
	return 0;
}

/* The container has ended: what its terminal still holds is copied out,
 * without blocking, and no more than 1 MiB. Returns when done. */
static void drain(int master)
{
	char buf[4096];
	ssize_t n;

	if (fcntl(master, F_SETFL, O_NONBLOCK) < 0)
		return;
	for (long left = 1 << 20; left > 0; left -= n) {
		n = read(master, buf, sizeof(buf));
		if (n <= 0)
			return;
		if (logfile_on())
			logfile_add(1, buf, n);
		if (!detached && write_all(STDOUT_FILENO, buf, n) < 0)
			return;
	}
}

static void *relay(void *arg)
{
	int master, winch = (int)(long)arg;
	struct pollfd p[4] = {{STDIN_FILENO, POLLIN, 0},
			      {-1, POLLIN, 0},
			      {winch, POLLIN, 0},
			      {ended, POLLIN, 0}};
	struct signalfd_siginfo si;
	struct winsize ws;
	struct termios t = saved;
	char buf[4096];
	ssize_t n;

	/* The pty's master, from the child; none if it failed before. */
	fdpass_recv(sock[0], &master);
	if (master < 0)
		goto out; /* the child stopped before; it said why */
	p[1].fd = master;
	if (detached) {
		/* Typed in by `attach`, through the supervisor (a copy of
		 * the master: the container's input ends when we close
		 * ours); written out to the log only. */
		p[0].fd = -1;
		if (attach_start(fcntl(master, F_DUPFD_CLOEXEC, 3)) < 0)
			goto done;
	} else {
		cfmakeraw(&t);
		raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
	}
	for (;;) {
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* Over: a slave end that a process outside holds (passed out
		 * through a socket) would keep EIO from ever coming, and the
		 * end of the run waiting (a hostile tester's supervisor hung
		 * so for good, its veth and address kept). */
		if (p[3].revents & POLLIN) {
			drain(master);
			break;
		}
		if (p[2].revents & POLLIN &&
		    read(winch, &si, sizeof(si)) == sizeof(si) &&
		    ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
			ioctl(master, TIOCSWINSZ, &ws);
		if (p[0].revents & (POLLIN | POLLHUP)) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0 || write_all(master, buf, n) < 0)
				p[0].fd = -1; /* stop reading our stdin */
		}
		/* Output until the last slave is closed: then EIO. */
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(master, buf, sizeof(buf));
			if (n > 0 && logfile_on())
				logfile_add(1, buf, n);
			if (n <= 0 || (!detached &&
				       write_all(STDOUT_FILENO, buf, n) < 0))
				break;
		}
	}
done:
	close(master);
out:
	close(winch);
	return NULL;
}

int tty_start(void)
{
	sigset_t all, old, winch;
	int fd, err;

	close(sock[1]); /* the child's end: EOF for us if it fails */
	sock[1] = -1;
	if (!detached && tcgetattr(STDIN_FILENO, &saved) < 0) {
		warn("-t: tcgetattr");
		return -1;
	}
	/* Window size changes come to the relay as a file descriptor; the
	 * signal must then be blocked in every thread. */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	fd = signalfd(-1, &winch, SFD_CLOEXEC);
	if (fd < 0) {
		warn("-t: signalfd");
		return -1;
	}
	ended = eventfd(0, EFD_CLOEXEC);
	if (ended < 0) {
		warn("-t: eventfd");
		close(fd);
		return -1;
	}
	/* Other signals stay with the main thread, which forwards them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&relay_thread, NULL, relay, (void *)(long)fd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		warn("-t: pthread_create");
		close(fd);
		return -1;
	}
	relaying = true;
	return 0;
}

void tty_finish(void)
{
	uint64_t one = 1;

	if (relaying) {
		if (write(ended, &one, sizeof(one)) != sizeof(one))
			warn("-t: eventfd");
		pthread_join(relay_thread, NULL);
		relaying = false;
	}
	if (ended >= 0)
		close(ended);
	ended = -1;
	if (raw) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
		raw = false;
	}
	for (int i = 0; i < 2; i++)
		if (sock[i] >= 0) {
			close(sock[i]);
			sock[i] = -1;
		}
}
