/*
 * 10-full/exec.c - `container exec`: a command in a running container,
 * as `docker exec` runs one.
 *
 * Claim: exec runs CMD in the running container NAME (a name or a unique
 *        prefix of its id) with the container's environment and working
 *        directory, exec's -e and -w on top, and exits with its status
 *        (128+N, 126, 127, as `run`); into an unknown or a stopped
 *        container it exits 125 with one line; without -i the command's
 *        stdin is empty; with -t its terminal is a pty of the container's
 *        own.   (tested in tests/10-full-exec.bats)
 * Uses:  verb.c and store.c (the record), options.c (run's options,
 *        parsed again), reexec.c (the copy), join.c, spawn.c and
 *        reexec.c (the way in)
 * Read:  docker-exec(1), crun's src/exec.c
 *
 * Stdio, for the reason `run` has (relay.c): never a host file or our
 * terminal inside, where root could chmod it through /proc/self/fd/1 or
 * push input into our shell: pipes copied by relay.c's thread, or with
 * -t a pty of the container's devpts (tty.c).
 */
#include "argvhide.h"
#include "join.h"
#include "reexec.h"
#include "relay.h"
#include "verbs.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: container exec [options] NAME COMMAND [ARG...]\n"
	"Run COMMAND in the running container NAME (a name, or a unique\n"
	"prefix of its id): in its namespaces and cgroup, with its\n"
	"capabilities, seccomp filter, environment and working directory.\n\n"
	"Options:\n"
	"  -i, --interactive        pass our stdin (else it reads nothing)\n"
	"  -t, --tty                a terminal of the container's own, when\n"
	"                           stdin is one (reads stdin, as -it)\n"
	"  -e, --env KEY=VALUE      set a variable (KEY alone: ours)\n"
	"  -w, --workdir DIR        run in DIR (default: the container's)\n"
	"      --help               show this help and exit\n\n"
	"Exit status: the command's, 128+N if signal N killed it, 125 if\n"
	"container itself failed (no such container, not running), 126 if\n"
	"the command cannot run, 127 if it was not found.\n";

struct exec_options {
	bool interactive, tty;
	const char *env[MAX_ENV];
	int n_env;
	const char *workdir; /* -w, absolute, or NULL */
	const char *ref;     /* NAME */
	char **argv;	     /* COMMAND... */
};

static int bad_usage(void)
{
	fputs("See 'container exec --help'.\n", stderr);
	return -1;
}

/* Returns 0, 1 when --help was printed, -1 after one line. */
static int parse(int argc, char **argv, struct exec_options *o)
{
	static const struct option longs[] = {
		{"interactive", no_argument, NULL, 'i'},
		{"tty", no_argument, NULL, 't'},
		{"env", required_argument, NULL, 'e'},
		{"workdir", required_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'H'},
		{0},
	};
	int opt, at;

	optind = 1;
	opterr = 0; /* our messages are clearer */
	/* at: the word getopt reads now, for the messages (options.c). */
	while ((at = optind,
		opt = getopt_long(argc, argv, "+:ite:w:", longs, NULL)) != -1) {
		switch (opt) {
		case 'i':
			o->interactive = true;
			break;
		case 't':
			o->tty = true;
			break;
		case 'e':
			if (strcspn(optarg, "=") == 0 || o->n_env == MAX_ENV) {
				warnx("-e '%s': write it as KEY=VALUE (at most "
				      "%d)", optarg, MAX_ENV);
				return bad_usage();
			}
			o->env[o->n_env++] = optarg;
			break;
		case 'w':
			if (optarg[0] != '/') {
				warnx("-w %s: give an absolute path in the "
				      "container", optarg);
				return bad_usage();
			}
			o->workdir = optarg;
			break;
		case 'H':
			fputs(usage_text, stdout);
			return 1;
		case ':':
			warnx("missing value for option '%s'", argv[at]);
			return bad_usage();
		default:
			warnx("unknown option '%s'", argv[at]);
			return bad_usage();
		}
	}
	if (argc - optind < 2) {
		warnx("give a container and a command: container exec NAME "
		      "COMMAND [ARG...]");
		return bad_usage();
	}
	o->ref = argv[optind];
	o->argv = argv + optind + 1;
	return 0;
}

/* The container's config: `run`'s options from its record, parsed again
 * where `run` was typed, its -e as `run` resolved them, then exec's -e
 * and -t. Returns 0, or -1 after saying why. */
static int container_config(const struct container *rec,
			    const struct exec_options *o, struct config *c)
{
	char *args[STORE_MAX_ARGS + 2] = {"run"};

	memcpy(args + 1, rec->argv, (rec->argc + 1) * sizeof(*args));
	c->image_pin = rec->image_id[0] ? rec->image_id : NULL;
	if (chdir(rec->cwd) < 0) {
		warn("%s, where the container was run", rec->cwd);
		return -1;
	}
	if (options_parse(rec->argc + 1, args, c) != 0) {
		warnx("the options of container %s are no longer valid (above)",
		      o->ref);
		return -1;
	}
	if (c->rootfs_fd >= 0) /* --userns: a clone of the image, unused */
		close(c->rootfs_fd);
	if (c->image_lock_fd >= 0) /* the store: nothing made of it here */
		close(c->image_lock_fd);
	c->n_env = 0;
	for (int i = 0; i < rec->n_env && i < MAX_ENV; i++)
		c->env[c->n_env++] = rec->env[i];
	for (int i = 0; i < o->n_env; i++)
		if (options_add_env(c, o->env[i]) < 0)
			return -1;
	c->tty = o->tty && isatty(STDIN_FILENO);
	return 0;
}

/* A container is recorded as running at step 9 of `run`, before its PID 1
 * has made its root (steps 16-23, after "go" with --userns): joined then,
 * exec's command ran in the root PID 1 still had, its runtime's, the
 * host's, as root with the container's capabilities (a hostile tester's
 * race: an exec fired as the record appeared wrote a file on the host).
 * pivot_root() is the last step of the root, after the cgroup and every
 * mount, so wait until PID 1's root is no longer the one of the runtime
 * that waits for it (its supervisor, whose root never changes), watching
 * the pidfd for PID 1's end meanwhile. (The old root stays stacked on
 * the new one a moment longer: join.c takes PID 1's root for that.)
 * Returns 0 once it is, then with
 * the pidfd proving that PID was PID 1's all along; else -1 after saying
 * why. */
static int wait_started(const struct container *rec, int pidfd,
			const char *ref)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	char theirs[48], runtime[48];
	struct stat a, b;

	snprintf(theirs, sizeof(theirs), "/proc/%d/root/", (int)rec->pid);
	snprintf(runtime, sizeof(runtime), "/proc/%d/root/",
		 (int)rec->supervisor);
	/* 10 s at most: a start that takes longer is stuck. */
	for (int ms = 0; ms < 10000; ms++) {
		if (stat(theirs, &a) < 0 || stat(runtime, &b) < 0)
			break;
		if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
			/* Raw syscall: glibc before 2.36 lacks it. */
			return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL,
				       0) == 0
				       ? 0
				       : -1;
		if (poll(&p, 1, 1) != 0)
			break; /* PID 1 ended (or poll failed) */
	}
	warnx("container %s did not finish starting: nothing was run", ref);
	return -1;
}

int cmd_exec(int argc, char **argv)
{
	static struct exec_options o;
	static struct container rec;
	static struct config config;
	static struct state st;
	struct join j = {.caller = -1, .config = &config};
	int ret;

	/* As `run`: a closed 0-2 becomes /dev/null first (relay.c). */
	if (relay_stdio_open() < 0)
		return EXIT_FAILED;
	ret = parse(argc, argv, &o);
	if (ret != 0)
		return ret > 0 ? 0 : EXIT_FAILED;
	/* Our command line is world-readable, and so is that of the
	 * process we clone into the container until it execs the sealed
	 * copy: root inside read the host's path of our binary, the data
	 * root and exec's -e values there (argvhide.c; the options point
	 * into our own copy since main()). */
	argv_hide("container exec");
	if (verb_open(&st) < 0 || verb_find(&st, o.ref, &rec) < 0)
		return EXIT_FAILED;
	j.pidfd = store_pidfd(&rec);
	if (j.pidfd < 0) {
		warnx("container %s is not running (container start %s runs "
		      "it again)", o.ref, o.ref);
		return EXIT_FAILED;
	}
	if (wait_started(&rec, j.pidfd, o.ref) < 0)
		return EXIT_FAILED;
	/* What the command will be exec'd from (reexec.c). */
	j.copy = reexec_copy(st.root, &rec, j.pidfd);
	if (j.copy < 0)
		return EXIT_FAILED;
	if (container_config(&rec, &o, &config) < 0)
		return EXIT_FAILED;
	/* Without -i, stdin reads nothing: /dev/null, relayed. */
	if (!o.interactive && !config.tty) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (null < 0 || dup2(null, STDIN_FILENO) < 0) {
			warn("/dev/null");
			return EXIT_FAILED;
		}
		close(null);
	}
	j.pid = rec.pid;
	j.workdir = o.workdir;
	j.argv = o.argv;
	return spawn_run(&j);
}
