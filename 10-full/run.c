/*
 * 10-full/run.c - `container run`: lessons 01-09 assembled into one run.
 *
 * Claim: one run creates every namespace, a cgroup with the limits, a
 *        state dir with the container's layers, and removes all of it on
 *        every path: success, failure, or a signal to `container`.
 *        (tested in tests/10-full.bats: the leak check after each test)
 * Uses:  01-uts's lesson_run() (clone, the sync pipe, wait), 05-user,
 *        07-cgroups, 03-pid; options.c, state.c, sweep.c, child.c, tty.c,
 *        userns.c, relay.c
 * Read:  clone(2), user_namespaces(7), cgroups(7)
 *
 * The container is a `struct lesson` of its own (prev = NULL), so the
 * engine every lesson uses runs it: check, prepare, clone, parent, "go",
 * child hooks, exec, wait, cleanup. The order, and why (the numbers are
 * those of the step table in 10-full/README.md; child.c has 11-26):
 *
 *   parent 1  parse and check everything      nothing exists yet, so a
 *                                             mistake costs nothing
 *          2  signals held; -p: the host      a Ctrl-C from here on must
 *             ports bound (ports.c)           not skip the cleanup; a
 *                                             busy port: 125, nothing made
 *          3  data root; -d: sealed copy;     what a kill -9 left before;
 *             sweep (sweep.c); -d: fork       the supervisor does the rest
 *             the supervisor (supervise.c)
 *          4  owner note (note.c) first;      whatever a kill -9 leaves, a
 *             --name (names.c), the id        note covers it
 *             range (userns.c), the
 *             container's dir (state.c);
 *             --net bridge: /etc files, an    bridge.c, hosts.c; under the
 *             address (the bridge if need be) allocator's lock
 *             the record (life.c; a --rm run
 *             in the foreground: at 9); stdio
 *             pipes or the pty's socket; the
 *             attach socket (attachd.c)
 *          5  cgroup_create (07), noted;      limits set before anything
 *             cgroup hierarchies (sysfs.c);   runs in it
 *             the thread joined; sealed copy
 *             (foreground, as root: at 7)
 *          6  clone(UTS IPC PID NS [NET]      the child waits on a pipe;
 *             [USER]); NET made by a thread   a thread makes it meanwhile
 *             (netearly.c) as root            (step 3 on)
 *          7  off the child's CPU and back    its way is the longer one
 *             (cpuplace.c); foreground, as    the child needs them only
 *             root: step 5 now, and handed    at its /sys (netearly.c)
 *             over (struct late); an fd of
 *             its mount ns (release.c);
 *             uid/gid maps (05, with USER);   only a process outside may
 *             --userns as root: the image     write them; the child must
 *             idmapped (userns.c)             be root inside to mount
 *          8  --net bridge: the veth, its far plug.c: never in the host's
 *             end made in the child's netns;  namespace under its name
 *             -p: the proxy (proxy.c)
 *          9  the relay thread: -t (tty.c)    copies our 0-2 to the
 *             or the stdio pipes (relay.c);   container's and back; the
 *             -i -d: attach (attachd.c);      signals reach the command
 *             the record, running (life.c);
 *             foreground: the release thread  overlayfs's mark goes while
 *             (release.c);                    the command runs
 *             signal forwarding (03)
 *   -- 10 "go" --
 *   child 11-15 setsid, stdio; --userns root;  child.c, child_namespaces
 *             join the cgroup, cgroup ns,     (see cgroup_enter.c; handed
 *             hostname, lo up, eth0           over at 7: 13-15 before /sys)
 *         16-23 private, layers, overlay,     child.c, child_root
 *             /etc binds, volumes, /dev,
 *             /proc, /sys, read-only, pivot
 *         24-26 cwd, env, -t pty, hardening,  child.c, child_exec
 *             seccomp; the sealed copy execs the command, PID 1 (--init:
 *             pid_init(command) (03) reaps and forwards)
 *   parent 27 wait; OOM report; cgroup_destroy; the address (and the last
 *             one out, the bridge); kept, or dir, name, note removed;
 *             the mounts and the sealed binary let go by a thread
 *             meanwhile (release.c)
 */
#include "run.h"
#include "argvhide.h"
#include "selfexec.h"
#include "child.h"
#include "devfs.h"
#include "hostcheck.h"
#include "hosts.h"
#include "life.h"
#include "names.h"
#include "netearly.h"
#include "oomscore.h"
#include "note.h"
#include "proxy.h"
#include "relay.h"
#include "cpuplace.h"
#include "release.h"
#include "supervise.h"
#include "sweep.h"
#include "tty.h"
#include "attachd.h"
#include "userns.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct config config;
static struct state state;
static struct cgroup *cgroup;
static bool child_enters; /* the child joins cgroup itself (fast) */
static struct userns_range ids = {.fd = -1}; /* --userns as root */
static int start_lock = -1; /* `start`: the caller's lock (rm.c) */
static unsigned want_range; /* `start`: the host ids kept for it */

/* The signals that would end `container` (and 03 forwards). */
static void stop_signals(sigset_t *set)
{
	lesson_stop_signals(set);
}

static bool limited(const struct cgroup_limits *l)
{
	return l->cpu_quota_us || l->cpu_period_us || l->memory_bytes ||
	       l->pids_max;
}

/* The host ids the container's root has: ours when rootless. */
static void root_ids(struct user_map *uid, struct user_map *gid)
{
	if (config.rootless) {
		*uid = (struct user_map){0, getuid(), 1};
		*gid = (struct user_map){0, getgid(), 1};
	} else if (config.userns) {
		/* A range of its own, from the pool (userns.c). */
		*uid = *gid = (struct user_map){0, ids.first, IDPOOL_SIZE};
	} else {
		*uid = *gid = (struct user_map){0, 0, 0};
	}
}

static int run_time_flags(void)
{
	/* Made already, or being made, by a thread of ours (netearly.c),
	 * or now. */
	return (config.net_host || config.net_fd >= 0 || config.late
			? 0
			: CLONE_NEWNET) |
	       (config.userns ? CLONE_NEWUSER : 0);
}

static void cleanup(void)
{
	sigset_t stop;

	/* A Ctrl-C now must not cut the cleanup short: hold it. (It is
	 * discarded when we exit, which is what it asked for.) */
	stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	/* The container is gone: its mounts and the sealed binary
	 * go too, in a thread, whose wait for the kernel is spent while we
	 * wait for the disk below (release.c). */
	release_start(config.self_fd);
	config.self_fd = -1;
	attach_stop(); /* no one types in any more */
	proxy_stop(); /* every relayed connection closed */
	ports_close(&config.ports);
	tty_finish(); /* our terminal back to how it was */
	supervise_heard(); /* -d: PID 1's word, for the relay */
	relay_finish(); /* the container's last output copied out */
	if (cgroup) {
		/* Read before the cgroup is gone: only it knows. */
		if (cgroup_oom_killed(cgroup))
			warnx("the container ran out of memory (-m %s) and "
			      "the kernel killed it",
			      config.memory_text ? config.memory_text : "");
		cgroup_destroy(cgroup);
		cgroup = NULL;
	}
	/* The reverse of prepare(): the note last, so that a kill -9
	 * here still leaves a note for what is left (sweep.c). */
	if (config.net_fd >= 0) /* a run that never cloned */
		close(config.net_fd);
	config.net_fd = -1;
	config.late = NULL;
	netearly_finish();
	userns_give_range(&ids); /* the container's processes are gone */
	if (config.net_bridge)
		bridge_leave(state.root, &config.net); /* and its address */
	/* Kept (exited, until `rm`) or removed (--rm, or it never ran):
	 * life.c decides; then whatever is left of the run goes. */
	release_mark_wait(); /* done in the dir, if it started there */
	life_ended(&state, lesson_status, supervise_ran());
	state_remove(&state);
	names_release(&state);
	note_remove(&state);
	release_wait();
}

/* An image's store is locked (shared) from options_parse until the
 * container's record names the image: from then on rmi sees that it is
 * in use. Returns 0. */
static int release_image(struct config *c)
{
	if (c->image_lock_fd >= 0)
		close(c->image_lock_fd);
	c->image_lock_fd = -1;
	return 0;
}

/* --net bridge: the container's /etc files, then an address on the
 * bridge, made if need be (bridge.c); covered by the note, which the
 * sweep reads after a kill -9 (bridge_sweep). */
static int net_join(void)
{
	if (hosts_write(state.root, state.id, config.hostname) < 0)
		return -1;
	return bridge_join(state.root, state.id, config.hostname, config.name,
			   &config.net);
}

/* The container's cgroup, with its limits, named in the note. Returns 0,
 * or -1 after saying why. */
static int make_cgroup(void)
{
	char name[64];

	snprintf(name, sizeof(name), "lesson-container-%s", state.id);
	cgroup = cgroup_create(name, &config.limits);
	if (!cgroup || note_add_cgroups(&state, cgroup) < 0)
		return -1;
	return 0;
}

static int prepare(void)
{
	struct user_map uid, gid;
	bool want_cgroup = !config.rootless || limited(&config.limits);
	char record[sizeof(state.root) + 40];

	/* The owner note first, then each thing it covers: a kill -9 at
	 * any instant leaves a note naming all that exists (note.c). The
	 * id range of a --userns container is a lock the kernel drops when
	 * we die (userns.c); it comes before the container's dir, which is
	 * given to the range's root. */
	snprintf(record, sizeof(record), "%s/containers/%s.json", state.root,
		 state.id);
	if (note_write(&state, want_cgroup) < 0 ||
	    (state.name && names_take(&state) < 0) ||
	    (config.userns && !config.rootless &&
	     userns_take_range(&ids, state.id, want_range,
			       config.auto_remove ? NULL : record) < 0))
		goto bad;
	root_ids(&uid, &gid);
	/* Whether its dir may be a spare at its end (spare.c): not when a
	 * volume or the host's network could carry an fd of its layer out
	 * to a process that outlives it. Then it takes none either, and
	 * leaves the spare to a run that gives it back. */
	state.keepable = config.n_volumes == 0 && !config.net_host;
	/* -t: a pty of the container's own; otherwise pipes (relay.c). */
	if (state_create(&state, uid.outside, gid.outside) < 0 ||
	    (config.net_bridge && net_join() < 0) ||
	    life_created(&state, &config, ids.fd >= 0 ? ids.first : 0) < 0 ||
	    release_image(&config) < 0 ||
	    (config.tty ? tty_prepare(config.detach)
			: relay_prepare(config.detach,
					 config.detach && config.interactive)) < 0)
		goto bad;
	/* -i -d: `attach` types in through us (attachd.c). */
	if (config.detach && config.interactive &&
	    attach_listen(state.root, state.id) < 0)
		goto bad;
	/* PID 1 tells us when the command runs (supervise.c): -d
	 * returns then; a run that never got there keeps nothing. */
	if ((config.report_fd = supervise_report_pipe()) < 0)
		goto bad;
	/* The network namespace, made meanwhile (run_container): the
	 * child is clone()d without waiting for it, and takes it from us
	 * with the cgroup and the sealed copy, made after clone() too,
	 * before its /sys (netearly.c, parent() below); -d waited for it
	 * before its fork. */
	config.late = netearly_defer();
	/* Root: always a cgroup, so `container` can account for and kill
	 * everything the command starts. Rootless: only when limits were
	 * asked (options.c checked that we may). */
	if (want_cgroup) {
		child_enters = uid.outside == geteuid();
		if (!config.late && make_cgroup() < 0)
			goto bad;
	}
	/* Which cgroup hierarchies /sys/fs/cgroup shows the child (sysfs.c),
	 * looked up from the host's short mount table: now, or after
	 * clone() into the memory we share with the child. */
	if (config.late)
		sysfs_cgroups_in(&config.late->cgroups);
	else if (sysfs_find_cgroups() < 0)
		goto bad;
	if (!config.late && config.net_fd < 0) /* -d took it already */
		config.net_fd = netearly_join();
	/* Our binary, sealed, that the container's PID 1 will exec from
	 * (selfexec.c): made now, and inherited by the child. */
	if (!config.late && config.self_fd < 0 &&
	    (config.self_fd = selfexec_copy(state.root)) < 0)
		goto bad;
	return 0;
bad:
	cleanup(); /* lesson_run cleans up only after a prepare succeeds */
	return -1;
}

static int parent(pid_t child)
{
	struct user_map uid, gid;

	/* It has the longer way to go: our CPU is its (cpuplace.c). */
	cpu_leave();
	/* What the child needs only before its /dev and /sys, made while
	 * it makes its root (netearly.c): its cgroup (only root gets here:
	 * always one), our binary sealed (selfexec.c), and the network
	 * namespace, once our thread has made it. */
	if (config.late) {
		config.late = NULL;
		if ((!config.rootless || limited(&config.limits)) &&
		    make_cgroup() < 0)
			return -1;
		if (cgroup)
			netearly_share_cgroup(cgroup);
		if (sysfs_find_cgroups() < 0)
			return -1;
		config.self_fd = selfexec_copy(state.root);
		if (config.self_fd < 0 ||
		    netearly_hand_over(config.self_fd) < 0)
			return -1;
	}
	/* Its mounts, kept past its end for release.c; which waits for
	 * them to go before its dir may be kept as a spare (spare.c). */
	release_hold_mounts(child);
	/* The child has its copy of the network namespace's fd. */
	if (config.net_fd >= 0)
		close(config.net_fd);
	config.net_fd = -1;
	root_ids(&uid, &gid);
	if (config.userns && user_write_maps(child, &uid, &gid) < 0)
		return -1;
	/* The image, owned by the container's root (userns.c): only now,
	 * with the maps written, and before the child attaches it. */
	if (config.rootfs_fd >= 0 &&
	    userns_idmap_image(config.rootfs_fd, child) < 0)
		return -1;
	/* How soon the kernel kills it for memory: 0, not ours
	 * (oomscore.c); set before "go", so its command inherits it. */
	if (oomscore_apply(child, config.oom_given, config.oom_score_adj) < 0)
		return -1;
	/* A child that may not write to the cgroup's files (its root is
	 * someone else on the host) is moved by us, the slow way. */
	if (cgroup && !child_enters && cgroup_add(cgroup, child) < 0)
		return -1;
	/* --net bridge: its cable, the far end made in its namespace. */
	if (config.net_bridge && bridge_plug(&config.net, child) < 0)
		return -1;
	/* -p: the proxy relays the host ports to its address (proxy.c);
	 * a Docker host's firewall would eat its traffic: say so. */
	if (config.net_bridge) {
		hostcheck_warn(config.net.bridge);
		if (proxy_start(&config.ports, config.net.ip) < 0)
			return -1;
	}
	if ((config.tty ? tty_start() : relay_start()) < 0 ||
	    (!config.tty && config.detach && config.interactive &&
	     attach_start(relay_stdin()) < 0) ||
	    life_running(&state, child) < 0)
		return -1;
	if (!config.detach) {
		close(config.report_fd); /* the child has its copy */
		/* Its word, once the command runs, lets a thread of ours
		 * clear overlayfs's mark meanwhile (release.c). */
		release_watch(supervise_report_fd(), &state);
	} else if (supervise_watch(config.report_fd) < 0)
		return -1;
	config.report_fd = -1;
	/* Once lesson_run() has said "go", a signal is forwarded, not
	 * fatal; until then it stays held, and ends the run. */
	return pid_forward_signals(child);
}

/* Set in the child when child_early_hook did the setup. */
static bool early;

/* As root without a user namespace and without --net bridge, nothing the
 * parent does after clone() (parent(), above) touches the child's setup:
 * its cgroup and network namespace exist already, it joins them itself,
 * and its mounts are its own. So it makes its whole root now, while the
 * parent starts the relay and writes the record, not after "go": 0.1-0.3
 * ms off a start where a second CPU is free (README, "Speed"). The
 * command still waits for "go". */
static int child_early_hook(void)
{
	/* PID 1 runs our code until it execs the sealed copy, and its
	 * command line, ours (the data root, every -e value), is readable
	 * by all: by an `exec` that comes after pivot_root too. A -d run's
	 * supervisor hid it already; the foreground hides it here, in the
	 * child only (argvhide.c). */
	argv_hide("container run");
	if (config.userns || config.net_bridge)
		return 0;
	early = true;
	if (child_namespaces(&config, child_enters ? cgroup : NULL) < 0 ||
	    child_root(&config, &state) < 0)
		return -1;
	return 0;
}

static int child_ns_hook(void)
{
	if (early)
		return 0;
	return child_namespaces(&config, child_enters ? cgroup : NULL);
}

static int child_root_hook(void)
{
	if (early)
		return 0;
	return child_root(&config, &state);
}

static int exec_hook(char **argv)
{
	return child_exec(&config, argv);
}

static const struct lesson container_lesson = {
	.name = "container",
	.summary = "run a command in a new, hardened container",
	.clone_flags = CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNS,
	.run_time_flags = run_time_flags,
	.prepare = prepare,
	.parent = parent,
	.child_early = child_early_hook,
	.child_ns = child_ns_hook,
	.child_root = child_root_hook,
	.exec = exec_hook,
	.cleanup = cleanup,
};

/* The run itself, once the options are parsed: for `run` and `start`.
 * Returns the exit code. */
static int run_container(void)
{
	sigset_t stop;
	int code;
	char title[64];

	/* A Ctrl-C or SIGTERM would kill us between creating the state dir
	 * or cgroup and removing them: hold them. lesson_run() holds them
	 * too, until "go", and ends the run with one that came meanwhile
	 * (01-uts/signals.c). The child inherits the mask; the sealed copy
	 * (or 03's init) sets the command's own. */
	stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	/* -p: the host ports are taken first, while a busy one costs
	 * nothing (ports.c); the process that waits for the container
	 * keeps them (the supervisor with -d: inherited through fork). */
	if (ports_bind(&config.ports) < 0)
		return EXIT_FAILED;
	/* The container's network namespace, made by a thread while we go
	 * on (netearly.c): 0.4 ms off the start. Only where the runtime may
	 * own it: as root, no user namespace; not --net bridge, whose cable
	 * goes into the child's namespace before "go". */
	if (!config.net_host && !config.net_bridge && !config.userns)
		netearly_start();
	/* The input is good: now we may change the host, starting with what
	 * a container killed by SIGKILL left there (sweep.c). */
	if (state_open_root(&state, config.rootless) < 0)
		return EXIT_FAILED;
	/* -d: our binary, sealed, that the container's PID 1 will exec
	 * from (selfexec.c), made before the supervisor's fork, which keeps
	 * it; in the foreground, prepare() or parent() makes it. */
	if (config.detach ? (config.self_fd = selfexec_copy(state.root)) < 0
			  : selfexec_empty(state.root) < 0)
		return EXIT_FAILED;
	sweep_stale(&state);
	if (state.restart)
		snprintf(state.dir, sizeof(state.dir), "%s/containers/%s",
			 state.root, state.id);
	else if (state_new_id(&state) < 0)
		return EXIT_FAILED;
	if (!config.hostname)
		config.hostname = state.id;
	/* -d: from here on, a supervisor of its own does the run, and we
	 * return once the command runs (supervise.c). A thread does not
	 * live on in a fork()ed child: the namespace is waited for first. */
	if (config.detach) {
		config.net_fd = netearly_join();
		code = supervise_detach();
		if (code == 0 && !state.restart)
			printf("%s\n", state.id);
		if (code != -2)
			return code < 0 ? EXIT_FAILED : code;
		if (start_lock >= 0)
			close(start_lock); /* the supervisor: not ours */
		/* Our command line is world-readable, and lives as long as
		 * the container: its -e values must not (argvhide.c). */
		snprintf(title, sizeof(title), "container supervisor %s",
			 state.id);
		argv_hide(title);
	}
	code = lesson_run(&container_lesson, config.argv);
	supervise_end(code);
	/* The supervisor's work ends here: it must not go back into the
	 * verb that forked it (`start -a` would then wait on itself). */
	if (config.detach)
		exit(code);
	return code;
}

int cmd_run(int argc, char **argv)
{
	int ret;

	/* Before we open anything (options.c opens the image): a closed
	 * fd 0-2 becomes /dev/null, so that nothing of ours takes its
	 * number (relay.c). */
	if (relay_stdio_open() < 0)
		return EXIT_FAILED;
	ret = options_parse(argc, argv, &config);
	if (ret != 0)
		return ret > 0 ? 0 : EXIT_FAILED;
	state.name = config.name;
	return run_container();
}

int run_start(const struct container *c, int lock)
{
	char *argv[STORE_MAX_ARGS + 2] = {"run"};
	int ret;

	/* The image it was made of, by id: its tag may name another now. */
	config.image_pin = c->image_id[0] ? c->image_id : NULL;
	/* Its paths were given relative to where `run` was typed. */
	if (c->cwd[0] && chdir(c->cwd) < 0) {
		warn("%s, where the container was made", c->cwd);
		return EXIT_FAILED;
	}
	memcpy(argv + 1, c->argv, sizeof(char *) * (c->argc + 1));
	if (relay_stdio_open() < 0)
		return EXIT_FAILED;
	/* The same checks as at `run`: the image or a volume may be gone. */
	ret = options_parse(c->argc + 1, argv, &config);
	if (ret != 0)
		return EXIT_FAILED;
	/* -e as resolved at `run`, not from our environment. */
	config.n_env = c->n_env;
	for (int i = 0; i < c->n_env; i++)
		config.env[i] = c->env[i];
	config.detach = true;
	config.tty = c->tty;
	memcpy(state.id, c->id, sizeof(state.id));
	state.restart = true; /* its dir, its layers and its name are there */
	start_lock = lock;
	want_range = c->id_range;
	return run_container();
}
