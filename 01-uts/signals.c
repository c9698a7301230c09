/*
 * 01-uts/signals.c - a Ctrl-C or a kill during start is never lost, and
 * never skips the cleanup.
 *
 * Claim: a stop signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2) that
 *        reaches the program at any instant of a run either ends it with
 *        128+N, after every cleanup hook ran, or is delivered to the
 *        command.   (tested in tests/01-uts.bats, with strace holding the
 *        run in its setup, and tests/07-cgroups.bats' leak checks)
 * Uses:  nothing; lesson.c calls it around one run, 03-pid's init asks
 *        lesson_stop_pending() before it starts the command.
 * Read:  signal(7) ("Signal mask and pending signals"), sigprocmask(2),
 *        sigtimedwait(2), sigaction(2)
 *
 * A run takes resources (a cgroup, a mount point) before the command
 * exists, and gives them back after it is gone. A signal with its default
 * action in between would kill us with them still taken. Ignoring it
 * instead would lose it: the user asked the run to stop. So the stop
 * signals are *blocked* from the first prepare() to the parent's "go":
 * the kernel keeps one that comes meanwhile pending, and lesson.c looks
 * for it (lesson_stop_pending) between the steps. One found ends the run:
 * the child never gets its "go", cleanup runs, the status is 128+N.
 *
 * After "go" they are let in: 03-pid's handlers forward them to the child.
 * The child still holds them (the mask is inherited through clone), so
 * one that arrives during its setup waits too, and lesson_exec (or 03's
 * init) ends the run with it before the command starts. From the
 * command's first instruction on, it gets them itself.
 *
 * Two traps. Setting SIG_IGN discards a signal already pending (POSIX says
 * so, Linux does it): so 01 and 02, which ignore Ctrl-C like system(3)
 * once the command runs, do so only after the last look at the queue.
 * And a handler must not outlive the child it forwards to: its PID can be
 * reused. So when the child has ended, the signals are blocked again and
 * the caller's dispositions put back before the child is reaped; one that
 * comes during the cleanup takes effect when the caller's mask returns.
 */
#include "lesson.h"
#include "signals.h"

#include <signal.h>
#include <stddef.h>
#include <time.h>

static const int stop[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
#define N_STOP (sizeof(stop) / sizeof(*stop))

/* The caller's, saved by the first stop_signals_hold() of a run. */
static bool saved;
static sigset_t caller_mask;
static struct sigaction caller_action[N_STOP];

void lesson_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < N_STOP; i++)
		sigaddset(set, stop[i]);
}

int lesson_stop_pending(void)
{
	struct timespec now = {0, 0};
	sigset_t set;
	int sig;

	/* Only a blocked signal can be pending: take it off the queue. */
	lesson_stop_signals(&set);
	sig = sigtimedwait(&set, NULL, &now);
	return sig > 0 ? sig : 0;
}

void stop_signals_hold(void)
{
	sigset_t set;

	lesson_stop_signals(&set);
	if (!saved) {
		sigprocmask(SIG_BLOCK, &set, &caller_mask);
		for (size_t i = 0; i < N_STOP; i++)
			sigaction(stop[i], NULL, &caller_action[i]);
		saved = true;
		return;
	}
	/* Blocked first: then no handler can run between the two steps. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (size_t i = 0; i < N_STOP; i++)
		sigaction(stop[i], &caller_action[i], NULL);
}

void stop_signals_let_in(void)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, now;
	sigset_t set;

	/* Nobody forwards (01, 02): like system(3), live on through the
	 * Ctrl-C and Ctrl-\ the terminal sends to the command too, to
	 * report its status. Only now: SIG_IGN discards a pending one. */
	for (size_t i = 0; i < N_STOP; i++)
		if ((stop[i] == SIGINT || stop[i] == SIGQUIT) &&
		    sigaction(stop[i], NULL, &now) == 0 &&
		    now.sa_handler == SIG_DFL)
			sigaction(stop[i], &ign, NULL);
	lesson_stop_signals(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

void stop_signals_release(void)
{
	if (!saved)
		return;
	stop_signals_hold(); /* the caller's dispositions, if not yet */
	saved = false;
	sigprocmask(SIG_SETMASK, &caller_mask, NULL);
}
