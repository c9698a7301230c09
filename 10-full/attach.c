/*
 * 10-full/attach.c - `container attach [--no-stdin] NAME`: the terminal
 * of a detached container, for a while.
 *
 * Claim: what is typed into `attach` reaches the stdin of a container
 *        started with -i -d (its shell runs it), what the container
 *        writes meanwhile is shown, Ctrl-P Ctrl-Q leaves with "read
 *        escape sequence" (exit 1, as docker's) while the container runs
 *        on, and when the container exits, attach exits with its code.
 *        With -t the container has a pty of its own and our terminal is
 *        raw; without, Ctrl-C is passed on to it as SIGINT.
 *        (tested in tests/10-full-life.bats)
 * Uses:  attachd.c (the supervisor's side), logs.c (the output: the log,
 *        followed from its end), verb.c
 * Read:  docker-container-attach(1), termios(3), unix(7)
 *
 * The detach keys are read here, in the client, byte by byte: Ctrl-P
 * alone is held back until the next byte shows whether it was the first
 * half of Ctrl-P Ctrl-Q (then neither is sent: the container never sees
 * them) or just a Ctrl-P (then both go). In a terminal in raw mode each
 * key comes as it is typed; Ctrl-Q would otherwise be eaten by the
 * terminal's flow control (IXON).
 */
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define KEY_CTRL(c) ((c) & 0x1f)

static struct termios saved;
static bool raw;
static int sock = -1, pidfd = -1;

static void terminal_back(void)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	raw = false;
}

/* Sends n bytes of buf to the supervisor. Returns 0, or -1 when it is
 * gone (the container has ended: the output side will see that). */
static int send_all(const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = send(sock, buf, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= w;
	}
	return 0;
}

/* Our stdin to the container's, until it ends or the detach keys come. */
static void *type_in(void *arg)
{
	char in[4096], out[4097];
	bool held = false; /* a Ctrl-P, not yet sent */
	ssize_t n;

	(void)arg;
	while ((n = read(STDIN_FILENO, in, sizeof(in))) > 0 ||
	       (n < 0 && errno == EINTR)) {
		size_t len = 0;

		for (ssize_t i = 0; i < n; i++) {
			if (held && in[i] == KEY_CTRL('q')) {
				terminal_back();
				fputs("read escape sequence\n", stderr);
				_exit(1); /* the container runs on */
			}
			if (held)
				out[len++] = KEY_CTRL('p');
			held = in[i] == KEY_CTRL('p');
			if (!held)
				out[len++] = in[i];
		}
		if (send_all(out, len) < 0)
			return NULL;
	}
	if (held)
		send_all((char[]){KEY_CTRL('p')}, 1);
	/* Our stdin ended: theirs does not (another attach may type on);
	 * we show its output until it exits. */
	shutdown(sock, SHUT_WR);
	return NULL;
}

/* --sig-proxy, docker's default: a signal sent to us is the container's.
 * (Async-signal-safe: one raw system call.) */
static void proxy(int sig)
{
	syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Connects to the supervisor's socket of c. Returns 0, or -1 after
 * saying why. */
static int connect_to(const struct state *st, const struct container *c)
{
	char dir[PATH_MAX];
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int d;

	snprintf(dir, sizeof(dir), "%s/containers", st->root);
	d = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* sun_path holds 108 bytes; the data root may be longer. */
	snprintf(a.sun_path, sizeof(a.sun_path), "/proc/self/fd/%d/%s.sock", d,
		 c->id);
	if (d < 0 || sock < 0 ||
	    connect(sock, (struct sockaddr *)&a, sizeof(a)) < 0) {
		warn("attach: %s/%s.sock", dir, c->id);
		if (d >= 0)
			close(d);
		return -1;
	}
	close(d);
	return 0;
}

int attach_session(const struct state *st, struct container *c, long from,
		   bool with_stdin)
{
	pthread_t thread;
	int code;

	if ((pidfd = store_pidfd(c)) < 0) {
		warnx("container %s is not running", c->name[0] ? c->name : c->id);
		return EXIT_FAILED;
	}
	if (c->open_stdin && with_stdin) {
		if (connect_to(st, c) < 0)
			return EXIT_FAILED;
		if (c->tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
			struct termios t = saved;

			cfmakeraw(&t);
			raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
		}
		if (pthread_create(&thread, NULL, type_in, NULL) != 0) {
			terminal_back();
			warnx("attach: pthread_create");
			return EXIT_FAILED;
		}
		pthread_detach(thread);
	}
	if (!raw) {
		signal(SIGINT, proxy);
		signal(SIGTERM, proxy);
		signal(SIGHUP, proxy);
	}
	code = logs_attach(st, c, from);
	terminal_back();
	return code;
}

int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{"no-stdin", no_argument, NULL, 'n'}, {0}};
	static struct container c;
	struct state st = {0};
	struct stat log;
	char path[PATH_MAX];
	bool no_stdin = false;
	int opt;

	while ((opt = verb_getopt(argc, argv, "", opts)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		no_stdin = true;
	}
	if (optind != argc - 1) {
		warnx("usage: container attach [--no-stdin] NAME");
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || verb_find(&st, argv[optind], &c) < 0)
		return EXIT_FAILED;
	if (!store_running(&c)) {
		warnx("you cannot attach to a stopped container, start it "
		      "first (container start -ai %s)", argv[optind]);
		return EXIT_FAILED;
	}
	/* What it writes from now on: the log's present end. */
	snprintf(path, sizeof(path), "%s/containers/%s.log", st.root, c.id);
	if (stat(path, &log) < 0)
		log.st_size = 0;
	return attach_session(&st, &c, log.st_size, !no_stdin);
}
