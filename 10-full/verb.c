/*
 * 10-full/verb.c - what the verbs after `run` share: the data root, a
 * container found by name or id, signals that reach only the container's
 * own init, and docker's way of saying how long ago.
 *
 * Claim: a signal is sent through a pidfd opened for the recorded PID and
 *        checked against its start time, so it never reaches a process
 *        that reused the PID; a verb sees a container whose supervisor
 *        was killed as exited, and one whose init has just exited with
 *        the exit code its supervisor writes; an option a verb does not
 *        take is refused in docker's two lines, with 125.
 *        (tested in tests/10-full-life.bats, tests/10-full.bats)
 * Uses:  store.c, sweep.c, state.c, 07-cgroups/stale.c
 * Read:  pidfd_open(2), pidfd_send_signal(2), poll(2)
 */
#include "sweep.h"
#include "verbs.h"
#include "note.h"

#include "../07-cgroups/stale.h"

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int verb_open(struct state *st)
{
	if (state_open_root(st, geteuid() != 0) < 0)
		return -1;
	sweep_stale(st);
	return 0;
}

/* A record that says "running" while its init is gone: exited, code
 * unknown (255). */
static void stale_exited(struct container *c)
{
	if (c->status == STATUS_RUNNING && !store_running(c)) {
		c->status = STATUS_EXITED;
		c->exit_code = 255;
	}
}

static int find(const struct state *st, const char *ref,
		struct container *c, bool wait)
{
	char id[13];

	if (store_find(st->root, ref, id) < 0)
		return -1;
	if (store_read(st->root, id, c) < 0) {
		warnx("no such container: %s", ref);
		return -1;
	}
	/* Its init gone, its supervisor is about to write the exit code (a
	 * `kill` just now: inspect must say 137, not the 0 of a record that
	 * has none yet). That takes milliseconds; one stuck (stopped) is
	 * not waited for longer. */
	if (wait && c->status == STATUS_RUNNING && !store_running(c) &&
	    verb_wait_supervisor(c, 3000) == 0 &&
	    store_read(st->root, id, c) < 0) {
		warnx("no such container: %s", ref); /* --rm: it is gone */
		return -1;
	}
	/* Its init gone, the record not rewritten (its supervisor is slow,
	 * was killed, or found the disk full): it has exited all the same,
	 * with a code nobody wrote down: 255, as docker says of a
	 * container whose end it did not see. */
	stale_exited(c);
	return 0;
}

int verb_find(const struct state *st, const char *ref, struct container *c)
{
	return find(st, ref, c, true);
}

int verb_find_now(const struct state *st, const char *ref,
		  struct container *c)
{
	return find(st, ref, c, false);
}

int verb_signal(const struct container *c, int sig, bool say)
{
	int fd = store_pidfd(c), err;

	/* Raw syscall: glibc before 2.36 has no pidfd_send_signal(). */
	if (fd >= 0 && syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == 0) {
		close(fd);
		return 0;
	}
	err = errno;
	if (fd >= 0)
		close(fd);
	errno = err;
	if (fd >= 0 && err == EPERM) {
		/* Running, but not ours to signal: a record copied from
		 * another user's data root. Whoever waits for its end
		 * would wait for ever. */
		warnx("container %s: not allowed to signal its process (is "
		      "it another user's?)", c->name[0] ? c->name : c->id);
		return -1;
	}
	if (say)
		warnx("container %s is not running",
		      c->name[0] ? c->name : c->id);
	return -1;
}

int verb_wait_supervisor(const struct container *c, int timeout_ms)
{
	struct pollfd p = {.events = POLLIN};
	int ret;

	/* Not our own: we would wait forever. */
	if (strcmp(c->boot, note_boot_id()) != 0 || c->supervisor <= 0 ||
	    c->supervisor == getpid())
		return 0;
	p.fd = syscall(SYS_pidfd_open, c->supervisor, 0);
	if (p.fd < 0)
		return 0; /* gone already */
	if (stale_start_time(c->supervisor) != c->supervisor_start) {
		close(p.fd); /* another process has its PID now */
		return 0;
	}
	/* A pidfd polls readable when its process has exited. */
	while ((ret = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	close(p.fd);
	return ret == 1 ? 0 : -1;
}

int verb_settle(const struct state *st, struct container *c)
{
	/* What we changed now, its last write would undo: a record of
	 * nothing after `rm`, or an exit code over `start`'s "running"
	 * (and its note is still linked, which `start` needs to make). */
	verb_wait_supervisor(c, -1);
	if (store_read(st->root, c->id, c) < 0) {
		if (errno == ENOENT)
			return 1;
		warnx("cannot read the record of %s", c->id);
		return -1;
	}
	stale_exited(c); /* its supervisor was killed */
	return 0;
}

long verb_seconds_since(const char *when)
{
	struct tm tm = {0};

	if (!when[0] || !strptime(when, "%Y-%m-%dT%H:%M:%S", &tm))
		return 0;
	return (long)(time(NULL) - timegm(&tm));
}

void verb_human(long s, char *buf, size_t size)
{
	long m = s / 60, h = (s + 1800) / 3600;

	if (s < 1)
		snprintf(buf, size, "Less than a second");
	else if (s == 1)
		snprintf(buf, size, "1 second");
	else if (s < 60)
		snprintf(buf, size, "%ld seconds", s);
	else if (m == 1)
		snprintf(buf, size, "About a minute");
	else if (m < 60)
		snprintf(buf, size, "%ld minutes", m);
	else if (h == 1)
		snprintf(buf, size, "About an hour");
	else if (h < 48)
		snprintf(buf, size, "%ld hours", h);
	else
		snprintf(buf, size, "%ld days", h / 24);
}

void verb_status_text(const struct container *c, char *buf, size_t size)
{
	char ago[40];

	if (c->status == STATUS_RUNNING) {
		verb_human(verb_seconds_since(c->started_at), ago, sizeof(ago));
		snprintf(buf, size, "Up %s", ago);
	} else if (c->status == STATUS_EXITED) {
		verb_human(verb_seconds_since(c->finished_at), ago, sizeof(ago));
		snprintf(buf, size, "Exited (%d) %s ago", c->exit_code, ago);
	} else {
		snprintf(buf, size, "Created");
	}
}

void verb_more_fds(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

/* The two lines: what is wrong with the option named by token (up to any
 * '='): wrong, or NULL for "unknown"; and where the verb's options are
 * listed. */
static int bad_option(const char *verb, const char *token, const char *wrong)
{
	int n = (int)strcspn(token, "=");

	if (wrong)
		warnx("option '%.*s' %s", n, token, wrong);
	else
		warnx("unknown option '%.*s'", n, token);
	fprintf(stderr, "See 'container %s --help'.\n", verb);
	return EXIT_FAILED;
}

int verb_bad_option(char **argv, const char *arg, bool no_value)
{
	return bad_option(argv[0], arg, no_value ? "needs a value" : NULL);
}

int verb_getopt(int argc, char **argv, const char *opts,
		const struct option *longs)
{
	static const struct option none[] = {{0}};
	char spec[64], token[3] = "-";
	int opt, at = optind; /* the word getopt reads now */

	/* "+": stop at the first word that is no option (the command);
	 * ":": a missing value returns ':', told apart from '?'. */
	snprintf(spec, sizeof(spec), "+:%s", opts + (opts[0] == '+'));
	opterr = 0;
	opt = getopt_long(argc, argv, spec, longs ? longs : none, NULL);
	if (opt != '?' && opt != ':')
		return opt;
	/* A long option by its word; a short one, maybe in a group of
	 * them ("-az"), by its letter. */
	if (at < argc && strncmp(argv[at], "--", 2) == 0) {
		const char *wrong = opt == ':' ? "needs a value" : NULL;
		size_t n = strcspn(argv[at] + 2, "=");

		/* "--no-stdin=1": known, but given a value. */
		for (const struct option *o = longs; o && o->name; o++)
			if (argv[at][2 + n] == '=' && !o->has_arg &&
			    strlen(o->name) == n &&
			    !strncmp(o->name, argv[at] + 2, n))
				wrong = "takes no value";
		bad_option(argv[0], argv[at], wrong);
	} else {
		token[1] = (char)optopt;
		bad_option(argv[0], token, opt == ':' ? "needs a value" : NULL);
	}
	return '?';
}
