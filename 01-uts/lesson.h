/*
 * 01-uts/lesson.h - the skeleton every lesson program plugs into.
 *
 * A container is one clone(2) with the right flags, some setup on each side
 * of it, and an exec. Every lesson adds one idea to that recipe, so each
 * lesson describes itself as a `struct lesson`: the namespaces it adds, its
 * options, and hooks that run at fixed points of one run. A lesson names the
 * lesson it builds on (`prev`), and lesson_main() runs the whole chain, from
 * 01-uts up, in this order:
 *
 *   parse options           all of them, before anything changes on the host
 *   check()                 validate; bad input stops here with exit 125
 *   prepare()               parent: take host resources (a cgroup, ...)
 *   clone(flags)            the child starts in its new namespaces
 *   parent(child_pid)       parent: work that needs the child's PID (uid
 *                           maps, veth, joining the cgroup), while the
 *                           child waits, or runs its child_early(): setup
 *                           that needs none of that work (10-full: its
 *                           whole root, as root without a user namespace);
 *                           a failure there is reported after "go"
 *   -- parent says "go" through a pipe --
 *                           (from the first prepare() to "go" the stop
 *                           signals are held: one that comes ends the
 *                           run with 128+N, after cleanup; signals.c)
 *   die with the parent     child: PR_SET_PDEATHSIG, then is it still
 *                           there? (child.c, lesson_die_with_parent)
 *   child_ns()              child: configure its namespaces (hostname, ...)
 *   child_root()            child: get the new root ready and name it in
 *                           lesson_root (08: ROOTFS, 09: mounts an overlay)
 *   child_fs()              child: mounts inside the new root, at
 *                           lesson_path("/proc") (04: /proc, 06: /sys)
 *   child_enter()           child: switch to lesson_root (08, 09: chroot
 *                           or pivot_root)
 *   exec()                  child: become the command (03's --init wraps it)
 *   wait, then cleanup()    parent: give back what prepare() took, in
 *                           reverse order, on every path
 *
 * Mounts first, switch last: a user namespace (05) may mount a new /proc
 * or /sys only while the host's are still in sight, and the switch takes
 * them away (child.c, child_main, says more).
 *
 * Exit codes follow docker run and chroot(1): the command's own status, or
 * 128+N if a signal N killed it; 125 when the program itself failed, 126
 * when the command cannot be executed, 127 when it was not found.
 *
 * Read: clone(2), namespaces(7), wait(2), getopt_long(3), err(3)
 */
#ifndef LESSON_H
#define LESSON_H

#include <err.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

enum {
	EXIT_FAILED = 125,	/* the program itself failed */
	EXIT_CANNOT_EXEC = 126, /* the command exists but cannot be run */
	EXIT_NOT_FOUND = 127,	/* the command does not exist */
};

struct lesson_option {
	const char *name; /* long name: "hostname" for --hostname */
	int short_name;	  /* 'n' for -n, or 0 */
	const char *arg;  /* "NAME" if it takes a value, NULL for a flag */
	const char *help; /* one line for --help */
	/* Stores the value. Returns 0, or -1 after saying with warnx() what
	 * is wrong with it. */
	int (*set)(const char *value);
	/* A flag (arg NULL) may instead name the bool it sets to true. */
	bool *flag;
};

struct lesson {
	const char *name;	   /* "03-pid": prefixes every message */
	const char *summary;	   /* one line for --help */
	const struct lesson *prev; /* the lesson this one builds on */
	int clone_flags;	   /* the namespaces this lesson adds */
	/* Namespaces decided at run time (05-user: only when needed);
	 * called after check(). */
	int (*run_time_flags)(void);
	const struct lesson_option *options; /* ends with { 0 } */
	/* A required argument before the command ("ROOTFS"); only the
	 * top lesson's counts. set_positional() stores it. */
	const char *positional;
	int (*set_positional)(const char *value);

	/* Hooks: each returns 0, or -1 after saying what failed (warn()). */
	int (*check)(void);
	int (*prepare)(void);
	int (*parent)(pid_t child);
	/* Before "go": only what needs no parent() work and changes nothing
	 * the host sees (the child's own mount namespace, say). The child
	 * asks for its death signal first: killed meanwhile, the program
	 * takes it along (child.c). */
	int (*child_early)(void);
	int (*child_ns)(void);
	int (*child_root)(void);
	int (*child_fs)(void);
	int (*child_enter)(void);
	/* Runs the command; returns only on failure, with an exit code.
	 * The highest lesson in the chain that has one wins. */
	int (*exec)(char **argv);
	void (*cleanup)(void);
};

/* Parses argv for the chain ending at top and runs it. Returns the exit
 * code for main() to return. */
int lesson_main(const struct lesson *top, int argc, char **argv);

/* Runs the chain for an already parsed command (argv, NULL-terminated).
 * Returns the command's exit status, or EXIT_FAILED. */
int lesson_run(const struct lesson *top, char **argv);

/* What lesson_run() will return, set before the cleanup hooks run (10-full
 * records it). */
extern int lesson_status;

/* True when the chain ending at top contains lesson l. */
bool lesson_has(const struct lesson *top, const struct lesson *l);

/* execvp(argv) with the signal mask and dispositions reset. Returns only on
 * failure: EXIT_NOT_FOUND or EXIT_CANNOT_EXEC, after saying why, or 128+N
 * without a word if stop signal N came during the setup (the command
 * never starts). */
int lesson_exec(char **argv);

/* In the child: the kernel SIGKILLs us when the program dies
 * (PR_SET_PDEATHSIG), and the program is still alive now, so no death is
 * missed. Every change of the effective or filesystem ids clears that
 * signal (prctl(2)): call this again after each (05-user). Returns 0, or
 * -1 when the program is gone (silently: nobody waits for a message);
 * the child must then exit without running the command. */
int lesson_die_with_parent(void);

/* The signals that would stop the program, and that 03-pid forwards:
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2. */
void lesson_stop_signals(sigset_t *set);

/* Takes one pending stop signal off the queue (they are blocked during a
 * run's start, in the parent and in the child until its exec). Returns
 * its number, or 0 if none came. */
int lesson_stop_pending(void);

/* Maps a wait(2) status to a shell-style exit code (128+N for signal N). */
int lesson_exit_status(int wstatus);

/* The lesson's name, "03-pid", for messages (err(3) prints it too). */
extern const char *lesson_program;

/* The directory that child_enter() will make "/": set by a child_root()
 * hook (08, 09), NULL while the root does not change. Child only. */
extern const char *lesson_root;

/* Where path ("/proc") is now, for a mount that must end up at path once
 * the root has changed: lesson_root + path, or path itself while
 * lesson_root is NULL. The result is a static buffer, overwritten by the
 * next call. Returns NULL after saying why if it does not fit. */
const char *lesson_path(const char *path);

#endif
