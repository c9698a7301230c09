/*
 * 10-full/stop.c - `container stop [-t SECONDS] NAME...` and `container
 * kill [-s SIGNAL] NAME...`: signals for a container's init, and only
 * for it.
 *
 * Claim: stop sends SIGTERM, and SIGKILL once SECONDS (default 10) have
 *        passed: a command that exits on SIGTERM is recorded as 143 at
 *        once, one that ignores it as 137 after the timeout; stop returns
 *        once the exit code is recorded, and it ends every process of
 *        the container (exec'd ones too: the PID namespace goes with its
 *        init). kill delivers the signal named.
 *        (tested in tests/10-full-life.bats)
 * Uses:  verb.c (the pidfd), 03-pid (the init forwards the signal)
 * Read:  docker-container-stop(1), pidfd_open(2), poll(2), signal(7)
 *
 * The signal goes to the init, PID 1 inside: 03-pid's init forwards
 * SIGTERM to the command and waits. SIGKILL it cannot catch: it dies, and
 * with it, by the kernel's rule for PID namespaces, every process in it.
 */
#include "freeze.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT},
	{"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2},
	{"TERM", SIGTERM}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
	{"WINCH", SIGWINCH}, {"ALRM", SIGALRM}, {"PIPE", SIGPIPE},
};

int verb_signal_number(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}

/* Waits until c's init has exited, at most ms (-1: no limit). Returns 0
 * when it has, -1 when it still runs. */
static int wait_init(const struct container *c, int ms)
{
	struct pollfd p = {store_pidfd(c), POLLIN, 0};
	int ret;

	if (p.fd < 0)
		return 0;
	ret = poll(&p, 1, ms);
	close(p.fd);
	return ret == 1 ? 0 : -1;
}

/* stop for one container. Returns 0, or -1 after saying why. */
static int stop_one(const struct state *st, const char *ref, int seconds)
{
	struct container *c = malloc(sizeof(*c));
	int ret = -1, sig;

	if (!c || verb_find(st, ref, c) < 0)
		goto out;
	if (c->status == STATUS_RUNNING)
		freeze_forget(st->root, c->pid, c->id);
	/* The image's StopSignal, as docker stop sends it; else SIGTERM. */
	sig = c->stop_signal[0] ? verb_signal_number(c->stop_signal) : SIGTERM;
	if (c->status == STATUS_RUNNING) {
		if (verb_signal(c, sig > 0 ? sig : SIGTERM, false) == 0) {
			if (wait_init(c, seconds * 1000) < 0)
				verb_signal(c, SIGKILL, false);
		} else if (errno == EPERM) {
			goto out; /* said why: not ours */
		}
	}
	/* The supervisor writes the exit code, then exits. */
	verb_wait_supervisor(c, -1);
	printf("%s\n", ref);
	ret = 0;
out:
	free(c);
	return ret;
}

int cmd_stop(int argc, char **argv)
{
	int opt, seconds = 10, ret = 0;
	struct state st = {0};
	char *end;

	while ((opt = verb_getopt(argc, argv, "t:", NULL)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		if ((seconds = strtol(optarg, &end, 10)) < 0 ||
		    *end || !*optarg || seconds > 86400) {
			warnx("stop -t %s: give whole seconds, 0 to 86400",
			      optarg);
			return EXIT_FAILED;
		}
	}
	if (optind == argc) {
		warnx("stop: name a container (container ps lists them)");
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0)
		return EXIT_FAILED;
	for (int i = optind; i < argc; i++)
		if (stop_one(&st, argv[i], seconds) < 0)
			ret = EXIT_FAILED;
	return ret;
}

int cmd_kill(int argc, char **argv)
{
	int opt, sig = SIGKILL, ret = 0;
	struct container *c = malloc(sizeof(*c));
	struct state st = {0};

	while ((opt = verb_getopt(argc, argv, "s:", NULL)) != -1) {
		if (opt == '?' || (sig = verb_signal_number(optarg)) < 0) {
			if (opt != '?')
				warnx("kill -s %s: no such signal: give a name "
				      "as TERM or a number", optarg);
			free(c);
			return EXIT_FAILED;
		}
	}
	if (optind == argc || !c) {
		warnx("kill: name a container (container ps lists them)");
		free(c);
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0) {
		free(c);
		return EXIT_FAILED;
	}
	for (int i = optind; i < argc; i++) {
		if (verb_find(&st, argv[i], c) < 0) {
			ret = EXIT_FAILED;
			continue;
		}
		if (c->status == STATUS_RUNNING)
			freeze_forget(st.root, c->pid, c->id);
		if (verb_signal(c, sig, true) < 0) {
			ret = EXIT_FAILED;
			continue;
		}
		printf("%s\n", argv[i]);
	}
	free(c);
	return ret;
}
