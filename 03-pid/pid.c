/*
 * 03-pid/pid.c - a new PID namespace makes the command PID 1, and PID 1 is
 * special: the kernel protects it from signals it has no handler for, and
 * every orphan in the namespace becomes its child.
 *
 * Claim: in the child of clone(CLONE_NEWPID) `echo $$` prints 1 while the
 *        host sees an ordinary PID; signals sent to the program reach the
 *        command; a plain `sleep` as PID 1 survives a forwarded SIGTERM and
 *        leaves its adopted orphans as zombies, while under --init the same
 *        SIGTERM ends it (143) and orphans are reaped. The third SIGINT or
 *        SIGTERM (a Ctrl-C only if PID 1 drops it) is a SIGKILL.
 *        (tested in tests/03-pid.bats)
 * Uses:  02-ipc (ipc_lesson), 01-uts (lesson_exec, lesson_exit_status)
 * Read:  pid_namespaces(7), signal(7), sigwaitinfo(2), wait(2),
 *        prctl(2) PR_SET_CHILD_SUBREAPER
 *
 * PID 1 of a namespace plays init for it: when it dies the kernel kills
 * every other process in the namespace, so the kernel makes it hard to
 * kill. A signal whose action is the default is dropped, unless it is a
 * SIGKILL or SIGSTOP from an ancestor namespace. Most programs install no
 * handler for SIGTERM and rely on the default, so run as PID 1 they
 * cannot be stopped politely (`docker stop` waits 10 s, then SIGKILLs).
 * And init must wait(2) for the orphans the kernel hands it, or they stay
 * zombies. A shell or `sleep` was never written to be init. --init puts a
 * tiny one in front of the command, as `docker run --init` puts tini.
 */
#include "pid.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* What `docker run` forwards; SIGKILL and SIGSTOP cannot be caught. */
static const int forwarded[] = {SIGTERM, SIGINT,  SIGHUP,
				SIGQUIT, SIGUSR1, SIGUSR2};

static volatile sig_atomic_t forward_to; /* a pid_t */
static volatile sig_atomic_t stop_requests;
static int status_fd = -1; /* /proc/forward_to/status, see target_drops() */
static bool with_init;

static void forwarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		sigaddset(set, forwarded[i]);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Whether forward_to would drop sig, from its SigIgn and SigCgt lines in
 * /proc/PID/status (hex masks, bit sig-1): a PID 1 that neither ignores
 * nor catches a signal never sees it. Runs in a signal handler, so it
 * uses pread(2) on a file opened beforehand and plain loops. False when
 * it cannot tell (no file: the init, whose command is not PID 1).
 */
static bool target_drops(int sig)
{
	char buf[4096];
	unsigned long long handled = 0;
	ssize_t n;

	if (status_fd < 0 ||
	    (n = pread(status_fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return false;
	buf[n] = '\0';
	for (char *line = buf; line; line = strchr(line + 1, '\n')) {
		char *p = line + (*line == '\n');
		unsigned long long mask = 0;

		if (strncmp(p, "SigIgn:\t", 8) && strncmp(p, "SigCgt:\t", 8))
			continue;
		for (p += 8; hex_digit(*p) >= 0; p++)
			mask = mask << 4 | (unsigned)hex_digit(*p);
		handled |= mask;
	}
	return !(handled & 1ULL << (sig - 1));
}

/*
 * Passes sig on to forward_to. A signal the kernel made itself (si_code
 * SI_KERNEL: Ctrl-C, Ctrl-\ or a hangup from the terminal) already went
 * to the whole foreground process group, so if forward_to is in our group
 * (as here) it has it already and it is not sent twice. A container in a
 * session of its own (10-full's) got nothing: it gets it from us. The
 * third SIGINT or SIGTERM in a row
 * becomes a SIGKILL, which even PID 1 cannot ignore, as with the docker
 * CLI: Ctrl-C three times ends a container whose PID 1 drops it. A Ctrl-C
 * that PID 1 handles (a shell, a REPL) is not a request to stop, and
 * does not count.
 */
static void forward(int sig, const siginfo_t *si)
{
	bool from_terminal = si->si_code == SI_KERNEL, has_it;

	if (forward_to <= 0) /* kill(0) or kill(-1) would hit others */
		return;
	/* getpgid(2), getpgrp(2): plain system calls, safe in a handler. */
	has_it = from_terminal && getpgid(forward_to) == getpgrp();
	if ((sig == SIGINT || sig == SIGTERM) &&
	    (!from_terminal || target_drops(sig)) && ++stop_requests >= 3)
		kill(forward_to, SIGKILL);
	else if (!has_it)
		kill(forward_to, sig);
}

static void on_signal(int sig, siginfo_t *si, void *context)
{
	int saved = errno; /* the code we interrupted may be reading it */

	(void)context;
	forward(sig, si);
	errno = saved;
}

int pid_forward_signals(pid_t target)
{
	struct sigaction sa = {.sa_sigaction = on_signal,
			       .sa_flags = SA_SIGINFO | SA_RESTART};
	char path[32];

	/* One forwarding at a time, so the count of stops is exact. */
	forwarded_set(&sa.sa_mask);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)target);
	if (status_fd >= 0)
		close(status_fd);
	status_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (status_fd < 0) /* not fatal: terminal signals just never count */
		warn("open %s", path);
	forward_to = target;
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		if (sigaction(forwarded[i], &sa, NULL) < 0) {
			warn("sigaction %d", forwarded[i]);
			return -1;
		}
	return 0;
}

/*
 * The init is one loop over sigwaitinfo(2): every signal it cares about
 * stays blocked and is taken from the queue synchronously, so there is no
 * handler to race with and no busy wait. Blocked signals are queued even
 * for PID 1 (the kernel only drops those that would get the default
 * action), which is what lets the init hear the program's SIGTERM.
 * SIGCHLD means "one or more children changed": reap them all, since
 * signals of one kind do not queue up.
 */
/* Starts argv as our child. vfork(): the child borrows our memory until
 * it execs, so nothing is copied (fork() would copy our page tables only
 * to throw them away at exec). Safe because the child only resets its
 * own signals and execs or _exit()s; a function of its own, so that no
 * local variable of the caller can be clobbered meanwhile. Returns the
 * child's PID, or -1. */
static volatile sig_atomic_t exec_failed;

static __attribute__((noinline)) pid_t start_command(char **argv)
{
	pid_t pid = vfork();
	int code;

	if (pid == 0) { /* lesson_exec unblocks signals for the command */
		code = lesson_exec(argv);
		exec_failed = 1; /* our memory: the parent reads it */
		_exit(code);
	}
	if (pid < 0)
		warn("vfork");
	return pid;
}

int pid_report_fd = -1;

/* Tells pid_report_fd whether the command runs: vfork() returned, so the
 * child has either exec'd it or given up; which one, it wrote in the
 * memory we share. (How `container run -d` knows when to return.) */
static void report_start(pid_t command)
{
	if (pid_report_fd < 0)
		return;
	if (write(pid_report_fd, command > 0 && !exec_failed ? "S" : "F",
		  1) < 0)
		warn("report the start");
	close(pid_report_fd);
	pid_report_fd = -1;
}

int pid_init(char **argv)
{
	sigset_t wanted;
	siginfo_t si;
	pid_t command, pid;
	int wstatus, status = -1, stop;

	/* When not PID 1 (10-full may run it without a PID namespace),
	 * orphans must still come to us, not to the host's init. */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		warn("prctl(PR_SET_CHILD_SUBREAPER)");
		return EXIT_FAILED;
	}
	/* SIGCHLD ignored would make the kernel reap for us, status lost. */
	signal(SIGCHLD, SIG_DFL);
	forwarded_set(&wanted);
	sigaddset(&wanted, SIGCHLD);
	/* Before fork(): a signal that arrives in between waits for us. */
	if (sigprocmask(SIG_BLOCK, &wanted, NULL) < 0) {
		warn("sigprocmask");
		return EXIT_FAILED;
	}
	/* One forwarded during the setup, before the command existed: the
	 * run stops here (01-uts/signals.c). */
	if ((stop = lesson_stop_pending()))
		return 128 + stop;

	command = start_command(argv);
	report_start(command);
	if (command < 0)
		return EXIT_FAILED;
	forward_to = command;

	while (status < 0) {
		if (sigwaitinfo(&wanted, &si) < 0) {
			if (errno == EINTR)
				continue;
			warn("sigwaitinfo");
			kill(command, SIGKILL);
			return EXIT_FAILED;
		}
		if (si.si_signo != SIGCHLD) {
			forward(si.si_signo, &si);
			continue;
		}
		while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
			if (pid == command)
				status = lesson_exit_status(wstatus);
	}
	/* The command is reaped: its PID may be reused. The signals stay
	 * blocked; our caller exits, which ends the rest of the namespace. */
	forward_to = 0;
	return status;
}

/* Runs in the container as its PID 1: becomes the command, or the init
 * that starts it. */
static int pid_exec(char **argv)
{
	return with_init ? pid_init(argv) : lesson_exec(argv);
}

static const struct lesson_option pid_options[] = {
	{"init", 0, NULL, "run a tiny init as PID 1: forwards signals, "
			  "reaps zombies", NULL, &with_init},
	{0},
};

const struct lesson pid_lesson = {
	.name = "03-pid",
	.summary = "a new PID namespace: the command is PID 1",
	.prev = &ipc_lesson,
	.clone_flags = CLONE_NEWPID,
	.options = pid_options,
	/* In the program, once the child exists: our signals become its. */
	.parent = pid_forward_signals,
	.exec = pid_exec,
};
