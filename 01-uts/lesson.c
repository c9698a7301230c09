/*
 * 01-uts/lesson.c - one run of a container: clone, set up, exec, wait.
 *
 * Claim: the command runs as a child created by clone(2) in new namespaces,
 *        its stdio is ours, and we exit with its status (128+N on signal N).
 *        (tested in tests/01-uts.bats and by every later lesson)
 * Uses:  child.c (the child's side), signals.c (the stop signals)
 * Read:  clone(2), wait(2), pipe(2), prctl(2) PR_SET_PDEATHSIG
 *
 * The parent and the child talk through one pipe. The child blocks on it
 * right after clone(), so the parent can finish work that needs the child's
 * PID (05 writes its uid map, 06 moves a veth into its network namespace,
 * 07 puts it in a cgroup) before the child runs a single line of setup.
 *
 * The same pipe tells the child whether the program is still alive: the
 * parent holds its write end until it has reaped the child, and the child
 * closes its own copy, so end of file means "the program is dead". That
 * covers the one death PR_SET_PDEATHSIG cannot see (lesson_die_with_parent
 * says which), so a container never outlives its program.
 */
#include "child.h"
#include "lesson.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)

bool lesson_has(const struct lesson *top, const struct lesson *l)
{
	for (; top; top = top->prev)
		if (top == l)
			return true;
	return false;
}

int lesson_exit_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return EXIT_FAILED;
}

static void cleanup_all(struct run *r, int prepared)
{
	while (prepared-- > 0)
		if (r->chain[prepared]->cleanup)
			r->chain[prepared]->cleanup();
}

static int clone_flags(struct run *r)
{
	int flags = 0;

	for (int i = 0; i < r->n; i++) {
		flags |= r->chain[i]->clone_flags;
		if (r->chain[i]->run_time_flags)
			flags |= r->chain[i]->run_time_flags();
	}
	return flags;
}

/* Waits until the child has ended, without reaping it: until then its
 * PID cannot be reused, so 03's handlers may still forward to it. */
static int wait_child(pid_t pid)
{
	siginfo_t info;

	while (waitid(P_PID, pid, &info, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR) {
			warn("waitid");
			return -1;
		}
	return 0;
}

int lesson_status = EXIT_FAILED;

int lesson_run(const struct lesson *top, char **argv)
{
	struct run r = {.argv = argv};
	int sync[2] = {-1, -1}, prepared = 0, status = EXIT_FAILED, wstatus;
	int stop = 0;
	bool went = false; /* the child was told "go" */
	char *stack = MAP_FAILED;
	pid_t pid;

	for (const struct lesson *l = top; l; l = l->prev)
		r.n++;
	if (r.n > MAX_CHAIN)
		errx(EXIT_FAILED, "chain of lessons too long");
	int i = r.n;
	for (const struct lesson *l = top; l; l = l->prev)
		r.chain[--i] = l;

	/* From here to "go", a Ctrl-C or a kill waits for us, and we look
	 * for one between the steps (signals.c): it ends the run, after
	 * the cleanup of what was prepared. */
	stop_signals_hold();

	/* Bad input is refused here, before anything changes. */
	for (i = 0; i < r.n; i++)
		if (r.chain[i]->check && r.chain[i]->check() < 0)
			goto out;

	for (;; prepared++) {
		if ((stop = lesson_stop_pending()) || prepared == r.n)
			break;
		if (r.chain[prepared]->prepare &&
		    r.chain[prepared]->prepare() < 0)
			goto out;
	}
	if (stop)
		goto out;

	/* Non-blocking, so that the child can ask whether we still hold our
	 * end without waiting (lesson_die_with_parent). */
	if (pipe2(sync, O_CLOEXEC | O_NONBLOCK) < 0) {
		warn("pipe");
		goto out;
	}
	r.sync_fd = sync[0];
	r.write_end = sync[1];

	/* clone() runs child_main on a stack of its own; the stack grows
	 * down, so we pass its top. */
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		warn("mmap stack");
		goto out;
	}
	pid = clone(child_main, stack + STACK_SIZE, clone_flags(&r) | SIGCHLD,
		    &r);
	if (pid < 0) {
		if (errno == EPERM && geteuid() != 0)
			warnx("clone: %s (creating namespaces needs root: "
			      "run it with sudo, or see 05-user for a "
			      "rootless run)",
			      strerror(errno));
		else
			warn("clone");
		goto out;
	}
	/* We keep both ends until the child is reaped: the write end, so
	 * that the child sees end of file only when we are gone; the read
	 * end, so that "go" to a child already dead is not a write to a
	 * pipe nobody reads (SIGPIPE would kill us before the cleanup). */

	for (i = 0; i < r.n; i++)
		if (r.chain[i]->parent && r.chain[i]->parent(pid) < 0)
			break;
	/* The last look before the child may run the command. */
	went = i == r.n && !(stop = lesson_stop_pending()) &&
	       write(sync[1], "g", 1) == 1;
	if (went)
		stop_signals_let_in(); /* now forwarded (03), or ignored */
	else
		kill(pid, SIGKILL); /* the child never runs the command */

	if (wait_child(pid) < 0)
		goto out;
	stop_signals_hold(); /* no handler may outlive the child's PID */
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			warn("waitpid");
			goto out;
		}
	if (went)
		status = lesson_exit_status(wstatus);
out:
	if (stack != MAP_FAILED)
		munmap(stack, STACK_SIZE);
	for (i = 0; i < 2; i++)
		if (sync[i] >= 0)
			close(sync[i]);
	if (stop)
		status = 128 + stop;
	lesson_status = status;
	cleanup_all(&r, prepared);
	/* A stop signal that came during the cleanup acts now. */
	stop_signals_release();
	return status;
}
