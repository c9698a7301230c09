/*
 * 10-full/spawn.c - `container exec`'s processes: the joiner, and the
 * command started beside the container's init, hardened as the
 * container's own command.
 *
 * Claim: the process exec starts in the container is exec's child, in
 *        the container's PID namespace, leads a session of its own, holds
 *        only fds 0-2 (pipes, or a pty of the container's devpts), is not
 *        dumpable until it execs, and has the container's capabilities,
 *        no_new_privs and seccomp filter.   (tested in
 *        tests/10-full-exec.bats)
 * Uses:  join.c (the way in), reexec.c (the sealed copy), child.c (the
 *        environment), relay.c and tty.c (session, stdio, pty), harden.c,
 *        seccomp.c, 01-uts (lesson_exec), 03-pid (signal forwarding)
 * Read:  clone(2) CLONE_PARENT, pid_namespaces(7), prctl(2)
 *        PR_SET_DUMPABLE PR_SET_PDEATHSIG, pidfd_open(2)
 *
 *   container exec     on the host: relays stdio, forwards signals, waits
 *    ├ joiner          its fork, one thread: joins (join.c), starts the
 *    │                 command's process, exits
 *    └ the command     the joiner's clone, made exec's child
 *                      (CLONE_PARENT): in the container, beside its init
 *
 * The command is exec'd from a sealed copy of the runtime (reexec.c).
 */
#include "child.h"
#include "harden.h"
#include "runas.h"
#include "join.h"
#include "oomscore.h"
#include "reexec.h"
#include "relay.h"
#include "seccomp.h"
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* In the container's PID namespace, as a child of `exec`: the same steps
 * as child.c's child_exec, for the container's own command. Returns only
 * on failure, with the exit code. */
static int start_command(const struct join *j)
{
	struct config *c = j->config;
	static char cwd[PATH_MAX + 1], hostname[65];
	struct pollfd caller = {j->caller, POLLIN, 0};

	close(j->report);
	/* Our parent is `exec`: if it dies, we die (SIGKILL); if it died
	 * already, its pidfd is readable. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    (caller.fd >= 0 && poll(&caller, 1, 0) != 0))
		return EXIT_FAILED;
	if (relay_child() < 0) /* our own session, stdio onto the pipes */
		return EXIT_FAILED;
	if (j->workdir)
		snprintf(cwd, sizeof(cwd), "%s", j->workdir);
	else
		snprintf(cwd, sizeof(cwd), "/%s", c->workdir);
	if (chdir(cwd) < 0) {
		warn("-w %s", cwd);
		return EXIT_FAILED;
	}
	/* HOSTNAME=, as the container's command has it: its hostname. */
	if (!c->hostname && gethostname(hostname, sizeof(hostname) - 1) == 0)
		c->hostname = hostname;
	child_set_environment(c);
	if (c->tty && tty_child("/dev/pts/ptmx") < 0)
		return EXIT_FAILED;
	/* harden.c, in child.c's order, the sealed copy kept (its fd is
	 * close-on-exec): it execs the command (reexec.c). */
	if (harden_close_fds(3, j->copy) < 0 || harden_capabilities() < 0 ||
	    harden_rlimits() < 0 ||
	    runas_config(c) < 0 ||
	    harden_no_new_privs() < 0 || seccomp_install() < 0)
		return EXIT_FAILED;
	return reexec_command(j->copy, j->argv);
}

/* The joiner: a fork of `exec`, one thread. Returns its exit code. */
static int join_and_start(const struct join *j)
{
	pid_t pid;

	/* The container's OOM score, not exec's caller's (oomscore.c):
	 * set while we are still on the host, where lowering it is
	 * allowed; the command inherits it. */
	if (oomscore_apply(0, j->config->oom_given,
			   j->config->oom_score_adj) < 0 ||
	    join_enter(j) < 0)
		return EXIT_FAILED;
	/* The process we start appears in the container's /proc as soon
	 * as it exists: not dumpable from the start (fork keeps the flag),
	 * its /proc/PID/mem, fd/ and environ open only to CAP_SYS_PTRACE,
	 * which nobody inside has, while it still holds our fds and
	 * capabilities. A change of uid above may have reset the flag:
	 * set it after. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		warn("prctl(PR_SET_DUMPABLE)");
		return EXIT_FAILED;
	}
	/* setns(CLONE_NEWPID) changed the namespace of our children only:
	 * a process never changes its PID. CLONE_PARENT makes the child
	 * `exec`'s, not ours, so that `exec` waits for it and forwards
	 * signals to it, and we exit now. Raw syscall: glibc's clone()
	 * wants a new stack; without CLONE_VM the child returns here on a
	 * copy of ours, as from fork(). */
	pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0) {
		/* ENOMEM: its PID namespace has no init any more. */
		if (errno == ENOMEM)
			warnx("the container stopped");
		else
			warn("clone");
		return EXIT_FAILED;
	}
	if (pid == 0)
		_exit(start_command(j));
	if (write(j->report, &pid, sizeof(pid)) != sizeof(pid)) {
		warn("report the command's PID");
		kill(pid, SIGKILL);
		return EXIT_FAILED;
	}
	return 0;
}

/* Waits for pid. Returns its wait status, or -1 after saying why. */
static int wait_for(pid_t pid)
{
	int wstatus;

	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			warn("waitpid");
			return -1;
		}
	return wstatus;
}

/* Starts j's command in the container (join.c), relays its stdio, and
 * passes our stop signals on to it. Returns its exit code. */
int spawn_run(struct join *j)
{
	bool tty = j->config->tty;
	int report[2] = {-1, -1}, ret = EXIT_FAILED, wstatus;
	pid_t joiner, command;
	ssize_t n;
	sigset_t stop;

	/* Held until the command exists, then forwarded to it (03). */
	lesson_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	if ((tty ? tty_prepare(false) : relay_prepare(false, false)) < 0 ||
	    pipe2(report, O_CLOEXEC) < 0)
		goto out;
	/* Raw syscall: glibc before 2.36 has no pidfd_open(). -1 is fine:
	 * the command then only has its parent-death signal. */
	j->caller = syscall(SYS_pidfd_open, getpid(), 0);
	j->report = report[1];
	/* Before any thread of ours (the relay's): the joiner must have
	 * one to setns() into a user or a mount namespace. */
	joiner = fork();
	if (joiner < 0) {
		warn("fork");
		goto out;
	}
	if (joiner == 0)
		_exit(join_and_start(j));
	close(report[1]);
	report[1] = -1;
	/* The command's PID comes as soon as it exists; the joiner then
	 * exits, and we reap it once the relay runs, so that its exit (its
	 * copy of our memory unmapped) overlaps our work instead of adding
	 * to it. End of file instead: the joiner failed; its status says
	 * why. */
	while ((n = read(report[0], &command, sizeof(command))) < 0 &&
	       errno == EINTR)
		;
	if (n != sizeof(command)) {
		wstatus = wait_for(joiner);
		if (wstatus > 0)
			ret = lesson_exit_status(wstatus); /* it said why */
		goto out;
	}
	if ((tty ? tty_start() : relay_start()) < 0 ||
	    pid_forward_signals(command) < 0) {
		kill(command, SIGKILL);
		wait_for(command);
		wait_for(joiner);
		goto out;
	}
	wait_for(joiner);
	sigprocmask(SIG_UNBLOCK, &stop, NULL);
	wstatus = wait_for(command);
	if (wstatus >= 0)
		ret = lesson_exit_status(wstatus);
out:
	sigprocmask(SIG_BLOCK, &stop, NULL); /* the relay drains in peace */
	if (tty)
		tty_finish();
	else
		relay_finish();
	for (int i = 0; i < 2; i++)
		if (report[i] >= 0)
			close(report[i]);
	return ret;
}
