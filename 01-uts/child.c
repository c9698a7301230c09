/*
 * 01-uts/child.c - the child's side of one run: wait for "go", die with
 * the program, set up, exec.
 *
 * Claim: the child runs no line of setup before the parent's "go" (but a
 *        lesson's child_early, which 01-09 have not), never outlives the
 *        program (not even one killed before the child's prctl), and execs
 *        the command with default signals.
 *        (tested in tests/01-uts.bats, the strace tests)
 * Uses:  lesson.c (which clones it), signals.c (lesson_stop_pending)
 * Read:  prctl(2) PR_SET_PDEATHSIG, pipe(7), execvp(3), signal(7)
 */
#include "child.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Child only: its end of the pipe, non-blocking (lesson_die_with_parent). */
static int parent_pipe = -1;

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

/* name for a message: each control byte (below 0x20, and 0x7f) as \xNN,
 * as docker quotes a command it cannot run. The name may come from an
 * image's config (10-full): printed raw, an ESC in it would drive the
 * terminal of whoever reads the message. Returns buf (size bytes). */
static const char *shown(const char *name, char *buf, size_t size)
{
	size_t n = 0;

	for (; *name && n + 5 < size; name++) {
		unsigned char c = (unsigned char)*name;

		if (c < 0x20 || c == 0x7f)
			n += snprintf(buf + n, size - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return buf;
}

int lesson_exec(char **argv)
{
	char name[256];
	sigset_t none;
	int stop, err;

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
	err = errno;
	shown(argv[0], name, sizeof(name));
	errno = err;
	warn("exec %s", name);
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
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

/* Before setup that runs ahead of "go" (child_early): the same death
 * signal, and the same look at the pipe, but one that takes nothing out
 * of it ("go" may be there already: it is wait_for_go's). A writer gone
 * shows as POLLHUP. Returns 0 while the program lives, else -1. */
static int die_with_parent_early(void)
{
	struct pollfd p = {.fd = parent_pipe, .events = POLLIN};

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
		warn("prctl(PR_SET_PDEATHSIG)");
		return -1;
	}
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) &&
	    !(p.revents & POLLIN))
		return -1;
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

int child_main(void *arg)
{
	bool early_failed = false;
	struct run *r = arg;
	int (*exec)(char **) = lesson_exec;

	/* clone() without CLONE_FILES gave us a copy of every descriptor,
	 * the pipe's write end too: while we hold it the pipe never reaches
	 * end of file, and a dead parent would leave us waiting for ever. */
	close(r->write_end);
	parent_pipe = r->sync_fd;

	/* A lesson's setup that needs nothing from the parent runs now,
	 * while the parent does its part (10-full). A failure is reported
	 * only after "go", as any other: the parent's side stays the same. */
	for (int i = 0; i < r->n; i++) {
		if (!r->chain[i]->child_early)
			continue;
		/* Killed meanwhile, the program takes this setup with it. */
		if (die_with_parent_early() < 0)
			_exit(EXIT_FAILED);
		if (r->chain[i]->child_early() < 0)
			early_failed = true;
	}

	/* Nothing else is changed before the "go", nor after the program
	 * died. */
	if (wait_for_go() < 0 || lesson_die_with_parent() < 0 || early_failed)
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
