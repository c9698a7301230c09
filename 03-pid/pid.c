/*
 * 03-pid/pid.c - a new PID namespace makes the command PID 1, and PID 1 is
 * special: the kernel protects it from signals it has no handler for, and
 * every orphan in the namespace becomes its child.
 *
 * Claim: in the child of clone(CLONE_NEWPID) `echo $$` prints 1 while the
 *        host sees an ordinary PID; signals sent to the program reach the
 *        command; a plain `sleep` as PID 1 survives a forwarded SIGTERM and
 *        leaves its adopted orphans as zombies, while under --init the same
 *        SIGTERM ends it (143) and orphans are reaped.
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
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* What `docker run` forwards; SIGKILL and SIGSTOP cannot be caught. */
static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP,
				SIGQUIT, SIGUSR1, SIGUSR2};

static volatile sig_atomic_t forward_to; /* a pid_t */
static volatile sig_atomic_t stop_requests;
static bool with_init;

static void forwarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		sigaddset(set, forwarded[i]);
}

/*
 * Passes sig on to forward_to. A signal the kernel made itself (si_code
 * SI_KERNEL: Ctrl-C, Ctrl-\ or a hangup from the terminal) already went
 * to the whole foreground process group, the container's processes
 * included, so it is not sent twice. The third SIGINT or SIGTERM in a row
 * becomes a SIGKILL, which even PID 1 cannot ignore: Ctrl-C three times
 * always ends the container, as with the docker CLI.
 */
static void forward(int sig, const siginfo_t *si)
{
	if (forward_to <= 0) /* kill(0) or kill(-1) would hit others */
		return;
	if ((sig == SIGINT || sig == SIGTERM) && ++stop_requests >= 3)
		kill(forward_to, SIGKILL);
	else if (si->si_code != SI_KERNEL)
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

	/* One forwarding at a time, so the count of stops is exact. */
	forwarded_set(&sa.sa_mask);
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
int pid_init(char **argv)
{
	sigset_t wanted;
	siginfo_t si;
	pid_t command, pid;
	int wstatus, status = -1;

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

	command = fork();
	if (command < 0) {
		warn("fork");
		return EXIT_FAILED;
	}
	if (command == 0) /* lesson_exec unblocks signals for the command */
		_exit(lesson_exec(argv));
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

static int set_init(const char *value)
{
	(void)value;
	with_init = true;
	return 0;
}

/* Runs in the container as its PID 1: becomes the command, or the init
 * that starts it. */
static int pid_exec(char **argv)
{
	return with_init ? pid_init(argv) : lesson_exec(argv);
}

static const struct lesson_option pid_options[] = {
	{"init", 0, NULL, "run a tiny init as PID 1: forwards signals, reaps "
			  "zombies",
	 set_init},
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
