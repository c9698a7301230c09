/*
 * 10-full/main.c - `container VERB ...`: a small container runtime built
 * from lessons 01-09.
 *
 *   sudo ./10-full/container run build/rootfs /bin/sh
 *
 * Claim: `container run` runs a command in a new, hardened container and
 *        exits with its status; an unknown verb exits 125.
 *        (tested in tests/10-full.bats)
 * Uses:  run.c (the verb run), selfexec.c (the sealed copy, the init),
 *        01-uts (exit codes, messages)
 * Read:  crun's src/crun.c for the same verb table
 *
 * One file per verb, found in the table below (as crun does), so that
 * ps, exec or stop can be added later as a line here and a file. Verbs
 * return their exit code; only main() exits.
 */
#include "archive.h"
#include "argvhide.h"
#include "reexec.h"
#include "run.h"
#include "selfexec.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* help: what `container VERB --help` prints, for a verb whose own
 * options do not include --help (NULL: the verb answers it itself). */
static const struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *help;
} verbs[] = {
	{"run", cmd_run, "run a command in a new container", NULL},
	{"exec", cmd_exec, "run a command in a running container", NULL},
	{"attach", cmd_attach, "type into a container started with -i -d",
	 "Usage: container attach [--no-stdin] NAME\n"
	 "Connect to NAME, started with -i -d (-t too for a terminal): what\n"
	 "you type goes to its command, what it writes comes to you.\n"
	 "Ctrl-P Ctrl-Q leaves it running; --no-stdin only watches.\n"},
	{"ps", cmd_ps, "list containers", ps_usage},
	{"logs", cmd_logs, "print a container's output",
	 "Usage: container logs [-f] [-t] [--tail N] NAME\n"
	 "Print what NAME wrote (-f: and follow it; -t: with the time of each\n"
	 "line; --tail N: the last N lines only).\n"},
	{"stop", cmd_stop, "stop containers: SIGTERM, then SIGKILL",
	 "Usage: container stop [-t SECONDS] NAME...\n"
	 "Send SIGTERM to each container's PID 1, then SIGKILL after SECONDS\n"
	 "(default 10) if it still runs.\n"},
	{"kill", cmd_kill, "send a signal to containers",
	 "Usage: container kill [-s SIGNAL] NAME...\n"
	 "Send SIGNAL (a name or a number; default KILL) to each container's\n"
	 "PID 1.\n"},
	{"start", cmd_start, "run an exited container again",
	 "Usage: container start [-a] [-i] NAME\n"
	 "Run the exited container NAME again, its command in the same layer\n"
	 "(-a: show its output until it ends; -i: and type into it).\n"},
	{"rm", cmd_rm, "remove containers",
	 "Usage: container rm [-f] NAME...\n"
	 "Remove exited containers and their layers (-f: a running one too,\n"
	 "killed first).\n"},
	{"inspect", cmd_inspect, "show containers' details as JSON",
	 "Usage: container inspect [-f FORMAT] NAME...\n"
	 "Show each container's record as JSON (-f '{{.State.Pid}}': only\n"
	 "the values FORMAT names).\n"},
	{"import", cmd_import, "make a one-layer image of a directory or a tar",
	 NULL},
	{"images", cmd_images, "list images",
	 "Usage: container images [-q]\n"
	 "List the images (-q: their ids only).\n"},
	{"history", cmd_history, "show the layers of an image",
	 "Usage: container history IMAGE\n"
	 "Show the layers of IMAGE, newest first.\n"},
	{"commit", cmd_commit, "make an image of a container's changes",
	 commit_usage},
	{"diff", cmd_diff, "list what a container changed",
	 "Usage: container diff CONTAINER\n"
	 "List what CONTAINER added (A), changed (C) and deleted (D).\n"},
	{"rmi", cmd_rmi, "remove images",
	 "Usage: container rmi [-f] IMAGE...\n"
	 "Untag each IMAGE and remove the layers no other image has; one\n"
	 "that a container uses only with -f, which untags it and keeps its\n"
	 "layers.\n"},
	{"save", cmd_save, "write images as docker save does", NULL},
	{"load", cmd_load, "read images that docker save wrote", NULL},
	{"port", cmd_port, "list a container's published ports",
	 "Usage: container port NAME [PORT[/tcp]]\n"
	 "List NAME's published ports (-p), or where PORT is published.\n"},
	{"info", cmd_info, "what on this host would block the bridge",
	 "Usage: container info\n"
	 "Say what on this host would keep --net bridge and -p from\n"
	 "working.\n"},
	{0},
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: container [--root DIR] VERB [options] ...\n\n"
		     "  --root DIR   where containers are kept (default: "
		     "/var/lib/lesson-container\n"
		     "               for root; for a user, "
		     "$XDG_DATA_HOME/lesson-container;\n"
		     "               CONTAINER_ROOT in the environment "
		     "sets it too)\n\nVerbs:\n");
	for (const struct verb *v = verbs; v->name; v++)
		fprintf(out, "  %-8s %s\n", v->name, v->summary);
	fprintf(out, "\n'container VERB --help' tells more.\n");
}

/* Our 8 MiB of static tables (.bss): where transparent huge pages are
 * "always" (Debian's stock kernel), the first touch of a table makes a
 * 2 MiB page, and an idle supervisor, a fork of ours, held 2.2 MiB
 * instead of 240 KiB (idle.c). The tables are used here and there: no
 * huge pages for them, asked before any is touched (glibc's own static
 * data, touched before main(), lies past the last whole 2 MiB of .bss).
 * Not prctl(PR_SET_THP_DISABLE): execve() keeps that, and the container's
 * command would inherit it. */
static void no_huge_pages(void)
{
	extern char __bss_start[], _end[];
	uintptr_t page = sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)__bss_start + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)_end + page - 1) & ~(page - 1);

	if (to > from)
		madvise((void *)from, to - from, MADV_NOHUGEPAGE);
}

/* Threads' stacks of 256 KiB, not RLIMIT_STACK's 8 MiB: a mapping that
 * holds a whole aligned 2 MiB may get a huge page there, and with THP
 * "always" khugepaged makes one as soon as a thread's stack reaches into
 * such a range (a few KiB deep, by the luck of where the mapping lies):
 * 2 MiB more of an idle supervisor (idle.c). Kernels since 6.7 place
 * 8 MiB mappings on a 2 MiB boundary, which makes it certain. Our
 * threads need a few KiB (netearly.c asks 64 KiB for its own). */
#define THREAD_STACK (256 * 1024)

static void small_thread_stacks(void)
{
	pthread_attr_t attr;

	if (pthread_attr_init(&attr) != 0)
		return;
	if (pthread_attr_setstacksize(&attr, THREAD_STACK) == 0)
		pthread_setattr_default_np(&attr);
	pthread_attr_destroy(&attr);
}

int main(int argc, char **argv)
{
	/* err(3) and warn(3) prefix every message with this name. */
	program_invocation_short_name = "container";
	lesson_program = "container";

	/* The container's init: child.c exec'd us under this name. */
	if (argv[0] && strcmp(argv[0], SELFEXEC_INIT_NAME) == 0)
		return selfexec_init_main(argv + 1);
	/* A command of `container exec`'s, exec'd from the copy (reexec.c). */
	if (argv[0] && strcmp(argv[0], REEXEC_NAME) == 0)
		return reexec_main(argv + 1, false);
	/* `run`'s command as PID 1, exec'd from the copy (child.c). */
	if (argv[0] && strcmp(argv[0], REEXEC_RUN_NAME) == 0)
		return reexec_main(argv + 1, true);

	no_huge_pages();
	small_thread_stacks();
	/* Our own copy of the arguments: a supervisor overwrites the
	 * kernel's (argvhide.c). */
	argv_private(argc, argv);

	/* Options of the runtime itself, before the verb. */
	while (argc > 2 && strncmp(argv[1], "--root", 6) == 0) {
		if (argv[1][6] == '=') {
			state_root_option = argv[1] + 7;
			argc--, argv++;
		} else if (argv[1][6] == '\0') {
			state_root_option = argv[2];
			argc -= 2, argv += 2;
		} else {
			break;
		}
		if (!state_root_option[0]) {
			warnx("--root: give a directory");
			return EXIT_FAILED;
		}
	}
	/* The default of --root, for a whole session (a test, a workshop
	 * seat): CONTAINER_ROOT in the environment. */
	if (!state_root_option && getenv("CONTAINER_ROOT") &&
	    getenv("CONTAINER_ROOT")[0])
		state_root_option = getenv("CONTAINER_ROOT");
	if (argc < 2) {
		usage(stderr);
		return EXIT_FAILED;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (const struct verb *v = verbs; v->name; v++) {
		if (strcmp(argv[1], v->name) != 0)
			continue;
		if (v->help && argc > 2 && strcmp(argv[2], "--help") == 0) {
			fputs(v->help, stdout);
			return 0;
		}
		return v->run(argc - 1, argv + 1);
	}
	warnx("unknown verb '%s'", argv[1]);
	usage(stderr);
	return EXIT_FAILED;
}
