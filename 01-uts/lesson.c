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
 */
#include "lesson.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
	int sync_fd; /* the child's end of the pipe */
};

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

	/* Signal dispositions set to "ignore" survive execve(); a command
	 * must start as if freshly started, so restore every default. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
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

static int child_main(void *arg)
{
	struct run *r = arg;
	int (*exec)(char **) = lesson_exec;
	char go;

	/* If the program dies, the container must die with it: a child
	 * left running would be a leak. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);

	/* Wait for the parent's "go". End of file without it means the
	 * parent gave up (or died): stop before changing anything. */
	if (read(r->sync_fd, &go, 1) != 1)
		_exit(EXIT_FAILED);
	close(r->sync_fd);

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

int lesson_run(const struct lesson *top, char **argv)
{
	struct run r = {.argv = argv};
	int sync[2], prepared = 0, status = EXIT_FAILED, wstatus;
	char *stack;
	pid_t pid;

	for (const struct lesson *l = top; l; l = l->prev)
		r.n++;
	if (r.n > MAX_CHAIN)
		errx(EXIT_FAILED, "chain of lessons too long");
	int i = r.n;
	for (const struct lesson *l = top; l; l = l->prev)
		r.chain[--i] = l;

	/* Bad input is refused here, before anything changes. */
	for (i = 0; i < r.n; i++)
		if (r.chain[i]->check && r.chain[i]->check() < 0)
			return EXIT_FAILED;

	for (; prepared < r.n; prepared++)
		if (r.chain[prepared]->prepare &&
		    r.chain[prepared]->prepare() < 0)
			goto out;

	if (pipe2(sync, O_CLOEXEC) < 0) {
		warn("pipe");
		goto out;
	}
	r.sync_fd = sync[0];

	/* clone() runs child_main on a stack of its own; the stack grows
	 * down, so we pass its top. */
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		warn("mmap stack");
		goto close_sync;
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
		goto unmap;
	}
	close(sync[0]);
	sync[0] = -1;

	/* Like system(3): the terminal sends Ctrl-C to the command too, and
	 * we must live to report its status. 03-pid replaces this with
	 * forwarding. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);

	for (i = 0; i < r.n; i++)
		if (r.chain[i]->parent && r.chain[i]->parent(pid) < 0)
			break;
	if (i == r.n && write(sync[1], "g", 1) == 1) {
		close(sync[1]);
		sync[1] = -1;
	} else {
		kill(pid, SIGKILL); /* setup failed: the child never runs */
	}

	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			warn("waitpid");
			goto unmap;
		}
	status = i == r.n ? lesson_exit_status(wstatus) : EXIT_FAILED;
unmap:
	munmap(stack, STACK_SIZE);
close_sync:
	if (sync[0] >= 0)
		close(sync[0]);
	if (sync[1] >= 0)
		close(sync[1]);
out:
	cleanup_all(&r, prepared);
	return status;
}
