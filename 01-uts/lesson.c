/*
 * 01-uts/lesson.c - one run of a container: clone, set up, exec, wait.
 *
 * Claim: the command runs as a child created by clone(2) in new namespaces,
 *        its stdio is ours, and we exit with its status (128+N on signal N).
 *        (tested in tests/01-uts.bats and by every later lesson)
 * Uses:  nothing; every later lesson uses this.
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
#include "lesson.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)
#define MAX_CHAIN 16

/* What the child needs; clone() without CLONE_VM gives it a copy. */
struct run {
	const struct lesson *chain[MAX_CHAIN]; /* 01-uts first */
	int n;
	char **argv;
	int sync_fd;   /* the child's end of the pipe */
	int write_end; /* the parent's, which the child closes */
};

/* Child only: its end of the pipe, non-blocking (lesson_die_with_parent). */
static int parent_pipe = -1;

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

/* execvp() reports EACCES when some PATH directory could not be searched,
 * even if the command exists nowhere: tell the two cases apart. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char file[4096];

	while (path && *path) {
		size_t len = strcspn(path, ":");
		snprintf(file, sizeof(file), "%.*s/%s", (int)len, path, name);
		if (access(file, F_OK) == 0)
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

int lesson_exec(char **argv)
{
	sigset_t none;
	int stop;

	/* Signal dispositions set to "ignore" survive execve(); a command
	 * must start as if freshly started, so restore every default. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* A stop signal that came during the setup waited here (held since
	 * clone(), see signals.c): it asked the run to stop, so it does,
	 * with 128+N. Let in now, it would meet the default action: for a
	 * command that is PID 1 (03-09), the kernel would just drop it. */
	if ((stop = lesson_stop_pending()))
		return 128 + stop;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	execvp(argv[0], argv);
	if (errno == EACCES && !strchr(argv[0], '/') && !in_path(argv[0]))
		errno = ENOENT; /* only a PATH directory was unreadable */
	warn("exec %s", argv[0]);
	return errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

const char *lesson_root;

const char *lesson_path(const char *path)
{
	static char buf[PATH_MAX];
	int n;

	if (!lesson_root)
		return path;
	n = snprintf(buf, sizeof(buf), "%s%s", lesson_root, path);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		warnx("%s%s: path too long", lesson_root, path);
		return NULL;
	}
	return buf;
}

/* The child's phases, in the order they run (see child_main). */
enum phase { PHASE_NS, PHASE_ROOT, PHASE_FS, PHASE_ENTER, N_PHASES };

/* Runs one child-side phase of the whole chain, 01-uts first. */
static int run_phase(struct run *r, enum phase phase)
{
	for (int i = 0; i < r->n; i++) {
		const struct lesson *l = r->chain[i];
		int (*hook[N_PHASES])(void) = {
			[PHASE_NS] = l->child_ns,
			[PHASE_ROOT] = l->child_root,
			[PHASE_FS] = l->child_fs,
			[PHASE_ENTER] = l->child_enter,
		};
		if (hook[phase] && hook[phase]() < 0)
			return -1;
	}
	return 0;
}

/*
 * If the program dies, the container must die with it: a child left
 * running would be a leak, and one the next run cannot even find.
 * PR_SET_PDEATHSIG asks the kernel for a SIGKILL when our parent dies, but
 * only for a death that comes *after* the prctl: a parent killed a moment
 * before it (the child may not have run at all yet) leaves us running for
 * good. So look again afterwards. getppid() would do, were it not 0 in a
 * new PID namespace whoever our parent is; the pipe does it instead.
 * Reading it takes the pipe's lock, which the dying parent takes too when
 * its files are closed, before it looks for children to signal. So either
 * this read comes first, and the parent's exit sees our prctl, or it comes
 * after, and sees the end of file.
 */
int lesson_die_with_parent(void)
{
	char c;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
		warn("prctl(PR_SET_PDEATHSIG)");
		return -1;
	}
	switch (read(parent_pipe, &c, 1)) {
	case 0:
		return -1; /* end of file: the program is gone */
	case -1:
		if (errno == EAGAIN) /* alive, nothing more to say */
			return 0;
		warn("read the sync pipe");
		return -1;
	}
	return 0;
}

/* Waits for the parent's one byte, "go". Returns 0, or -1 at end of file:
 * the parent gave up, or died. */
static int wait_for_go(void)
{
	struct pollfd p = {.fd = parent_pipe, .events = POLLIN};
	char go;

	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	return read(parent_pipe, &go, 1) == 1 ? 0 : -1;
}

static int child_main(void *arg)
{
	struct run *r = arg;
	int (*exec)(char **) = lesson_exec;

	/* clone() without CLONE_FILES gave us a copy of every descriptor,
	 * the pipe's write end too: while we hold it the pipe never reaches
	 * end of file, and a dead parent would leave us waiting for ever. */
	close(r->write_end);
	parent_pipe = r->sync_fd;

	/* Nothing is changed before the "go", nor after the program died. */
	if (wait_for_go() < 0 || lesson_die_with_parent() < 0)
		_exit(EXIT_FAILED);

	/* Namespaces, the new root made ready, the mounts inside it, and
	 * only then the switch. Mounts first, switch last, for two reasons.
	 * In a user namespace (05) the kernel mounts a new proc or sysfs
	 * only while a full one is already visible in the mount namespace
	 * (no view the container could not already have); pivot_root (08)
	 * detaches the host's, so after it the mount is refused. And
	 * whatever a mount needs from the host (its /dev, a volume) is out
	 * of reach once the switch is made. So every lesson mounts at
	 * lesson_path(), under the new root, while the host is in sight. */
	for (enum phase phase = PHASE_NS; phase < N_PHASES; phase++)
		if (run_phase(r, phase) < 0)
			_exit(EXIT_FAILED);

	for (int i = 0; i < r->n; i++)
		if (r->chain[i]->exec)
			exec = r->chain[i]->exec;
	_exit(exec(r->argv));
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

int lesson_run(const struct lesson *top, char **argv)
{
	struct run r = {.argv = argv};
	int sync[2] = {-1, -1}, prepared = 0, status = EXIT_FAILED, wstatus;
	int stop = 0;
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
	if (i == r.n && !(stop = lesson_stop_pending()) &&
	    write(sync[1], "g", 1) == 1)
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
	if (i == r.n && !stop)
		status = lesson_exit_status(wstatus);
out:
	if (stack != MAP_FAILED)
		munmap(stack, STACK_SIZE);
	for (i = 0; i < 2; i++)
		if (sync[i] >= 0)
			close(sync[i]);
	if (stop)
		status = 128 + stop;
	cleanup_all(&r, prepared);
	/* A stop signal that came during the cleanup acts now. */
	stop_signals_release();
	return status;
}
