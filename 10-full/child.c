/*
 * 10-full/child.c - inside the container: namespaces, root filesystem,
 * hardening, exec. Each step says why it comes where it does; the
 * numbers are those of the step table in 10-full/README.md (run.c has
 * steps 1-10 and 27).
 *
 * Claim: the command runs as PID 1 (with --init, as the child of 03-pid's
 *        init), in a root of its own (overlay on ROOTFS) with a fresh
 *        /proc, a minimal /dev, a read-only /sys, the reduced
 *        capabilities, no_new_privs and the seccomp filter.
 *        (tested in tests/10-full.bats, the "10-full harden:" tests
 *        among them)
 * Uses:  01-uts, 03-pid, 04-mount, 06-net, 07-cgroups (cgroup_enter.c),
 *        08-chroot, 09-overlay, state.c, volumes.c, resolve.c, mountfd.c,
 *        devfs.c, procfs.c, sysfs.c, harden.c, seccomp.c, tty.c, relay.c,
 *        selfexec.c, reexec.c
 * Read:  mount_namespaces(7), pivot_root(2), capabilities(7), seccomp(2),
 *        move_mount(2) (--userns)
 */
#include "cgroup_enter.h"
#include "child.h"
#include "devfs.h"
#include "harden.h"
#include "runas.h"
#include "hosts.h"
#include "netearly.h"
#include "reexec.h"
#include "relay.h"
#include "resolve.h"
#include "rootfs.h"
#include "seccomp.h"
#include "selfexec.h"
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The controllers this container has a cgroup of its own for: what
 * /sys/fs/cgroup shows inside (procfs.c). */
static const char *joined[8];

#define DEFAULT_PATH                                                           \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Steps 13 and 14: into our cgroup (enter, if any), and a cgroup
 * namespace rooted there. Returns 0, or -1 after saying why. */
static int child_cgroup(struct cgroup *enter)
{
	/* 13. Into our cgroup before anything of the container runs here,
	 * by ourselves: see cgroup_enter.c for why that is faster than the
	 * parent moving us. */
	if (enter && cgroup_enter(enter) < 0)
		return -1;
	cgroup_enter_controllers(enter, joined, 8);
	/* 14. The cgroup namespace is made here, not in clone(): its root is
	 * the cgroup we are in when it is made, and only now are we in our
	 * own. Inside, /proc/self/cgroup then reads "/", and the host's
	 * tree above stays hidden, also from a cgroupfs mounted in /sys. */
	if (unshare(CLONE_NEWCGROUP) < 0) {
		warn("unshare(CLONE_NEWCGROUP)");
		return -1;
	}
	return 0;
}

int child_namespaces(const struct config *c, struct cgroup *enter)
{
	/* 11. First, out of the caller's session and process group, and
	 * onto the stdio pipes: nothing of the container may signal the
	 * caller's job or touch its terminal (relay.c). */
	if (relay_child() < 0)
		return -1;
	/* 12. Root with --userns: the maps say 0 inside is another host
	 * id, but this process still holds the host's uid 0, which the
	 * namespace cannot map (files it creates would fail with
	 * EOVERFLOW). So take the namespace's own 0, and drop host root's
	 * supplementary groups. Rootless, our uid already is the one mapped
	 * to 0. A change of ids clears the parent-death signal:
	 * user_become_root sets it again (01-uts/child.c,
	 * lesson_die_with_parent). */
	if (c->userns && !c->rootless && user_become_root(true) < 0)
		return -1;
	/* 13-14. Our cgroup, unless the runtime makes it while we make
	 * our root (c->late, below). */
	if (!c->late && child_cgroup(enter) < 0)
		return -1;
	if (uts_set_hostname(c->hostname) < 0)
		return -1;
	/* 15. A new network namespace has only lo, and it is down: without
	 * this even 127.0.0.1 is unreachable. Made early by the runtime
	 * (netearly.c), its lo is up already: we enter it, and drop the fd. */
	if (c->net_fd >= 0) {
		if (setns(c->net_fd, CLONE_NEWNET) < 0) {
			warn("setns(CLONE_NEWNET)");
			return -1;
		}
		close(c->net_fd);
	} else if (c->late) {
		/* Still being made: entered in child_root, before /sys. */
	} else if (!c->net_host && net_link_up("lo") < 0) {
		return -1;
	}
	/* --net bridge: eth0, made by the parent in our namespace, gets
	 * its address, goes up, and the default route goes through the
	 * bridge's gateway (plug.c). */
	if (c->net_bridge && bridge_child(&c->net) < 0)
		return -1;
	return 0;
}

/* What the runtime made while we made our root (c->late: its network
 * namespace, its cgroup, the sealed copy): taken now, and entered, 13-15
 * done late. Returns 0, or -1 after saying why. */
static int child_late(struct config *c)
{
	if (netearly_enter(c->late->sock, &c->self_fd) < 0)
		return -1;
	return child_cgroup(c->late->has_cgroup ? &c->late->cgroup : NULL);
}

/* Paths in the container's dir (its path fits in half of PATH_MAX,
 * state.h) or below merged/ (short names). */
#define SHORT_PATH PATH_MAX

/* Joins dir and name into buf (SHORT_PATH bytes); "" if too long, which
 * the mount that gets it then refuses. */
static const char *path_in(char *buf, const char *dir, const char *name)
{
	if (snprintf(buf, SHORT_PATH, "%s/%s", dir, name) >= SHORT_PATH)
		buf[0] = '\0';
	return buf;
}

/* -w DIR, made if missing (as docker does) where the volumes now lead,
 * inside the root; after pivot_root, chdir() finds it the same way. */
static int make_workdir(int rootfd, const char *workdir)
{
	int fd;

	if (!workdir[0])
		return 0;
	fd = resolve_in_root(rootfd, workdir, IN_ROOT_MKDIR);
	if (fd < 0) {
		warn("-w /%s", workdir);
		return -1;
	}
	close(fd);
	return 0;
}

int child_root(struct config *c, const struct state *st)
{
	char merged[SHORT_PATH], upper[SHORT_PATH], work[SHORT_PATH];
	char mnt[SHORT_PATH], a[SHORT_PATH], lower[PATH_MAX + SHORT_PATH];
	int rootfd;

	/* 16. Private first: every mount below happens in our namespace
	 *     and must not propagate back to the host's. */
	if (mount_make_private() < 0)
		return -1;

	/* 17. The layers: upper/ and work/ on the disk of the data root,
	 *     init/ and merged/ on a small tmpfs only this namespace sees,
	 *     mounted on the data root's empty/ (layers.c). */
	if (state_make_layers(st, c->hostname, c->net_host) < 0)
		return -1;
	path_in(mnt, st->root, SELFEXEC_EMPTY);

	/* 18. The root: the image read-only at the bottom, the init layer
	 *     (hostname, hosts, resolv.conf) above it, our upper/ on top.
	 *     Everything the container writes lands in upper/. */
	if (c->rootfs_fd >= 0) {
		/* --userns: the image as the parent handed it (options.c),
		 * idmapped so that its files are our root's (userns.c), and
		 * attached in our tmpfs, where we may walk. */
		path_in(a, mnt, "image");
		if (mkdir(a, 0755) < 0 ||
		    move_mount(c->rootfs_fd, "", AT_FDCWD, a,
			       MOVE_MOUNT_F_EMPTY_PATH) < 0) {
			warn("attach the image on %s", a);
			return -1;
		}
		path_in(lower, mnt, "init:");
		strcat(lower, a);
	} else if (c->from_image) {
		/* An image: its layers, named relative to the store's
		 * layers/ (runimage.c says why), from where we mount. */
		snprintf(lower, sizeof(lower), "%s/init:%s", mnt,
			 c->image_lowers);
		if (chdir(c->layers_dir) < 0) {
			warn("%s", c->layers_dir);
			return -1;
		}
	} else {
		snprintf(lower, sizeof(lower), "%s/init:%s", mnt,
			 c->rootfs_real);
	}
	/* volatile (Linux 5.10): no sync of the upper layer's filesystem,
	 * the whole disk's, when the overlay goes away at the end of the
	 * run, which costed more than the rest of a run. The price: after
	 * a host crash the layer must not be used again. Ours never is: it
	 * is removed when the run ends, or by the next run's sweep. The
	 * other options keep the upper dir plain for commit (options.h). */
	if (overlay_mount(lower, path_in(upper, st->dir, "upper"),
			  path_in(work, st->dir, "work"),
			  path_in(merged, mnt, "merged"), RUN_OVERLAY_OPTIONS) < 0) {
		if (c->rootfs_fd >= 0) /* Linux 5.12-5.18 */
			warnx("--userns: overlayfs takes an idmapped image "
			      "from Linux 5.19 on");
		return -1;
	}
	/* From here on, nothing is mounted on a path string: each target
	 * is opened inside the new root (rootfd) when its turn comes, after
	 * the mounts before it, and mounted through that fd (resolve.c,
	 * mountfd.c). A path string would be resolved by the kernel with
	 * the host's "/" as root, following any symlink out of merged. */
	rootfd = open(merged, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		warn("%s", merged);
		return -1;
	}

	/* 19. Volumes, on top of the overlay; then -w, made as docker does,
	 *     where the volumes now lead; /dev, /proc and /sys come after
	 *     them so that no volume can cover them. --net bridge first
	 *     binds its /etc files (hosts.c), as docker does: a volume on
	 *     one of them wins. */
	if ((c->net_bridge && hosts_mount(rootfd, st->dir) < 0) ||
	    volumes_mount(c->volumes, c->n_volumes, rootfd) < 0 ||
	    make_workdir(rootfd, c->workdir) < 0)
		goto bad;

	/* 20-21. /dev first (it makes the volumes nodev), then a /proc of
	 *    our PID namespace, its dangerous files masked, then /sys. All
	 *    before pivot_root: afterwards the host's /dev, from which
	 *    devfs binds its nodes, is out of reach. What the runtime made
	 *    meanwhile (netearly.c) is taken just before /sys, as late as
	 *    may be: sysfs shows the interfaces of its mounter's network
	 *    namespace, and the cgroups of its cgroup namespace. */
	if (devfs_mount(rootfd, !c->userns) < 0 || procfs_mount(rootfd) < 0 ||
	    (c->late && child_late(c) < 0) ||
	    sysfs_mount_readonly(rootfd, joined) < 0)
		goto bad;

	/* 22. --read-only: the root mount only. /dev, /proc's writable
	 *     parts and the volumes are mounts of their own and keep their
	 *     flags, as with docker run --read-only. */
	if (c->read_only &&
	    mountfd_setattr(rootfd, MOUNT_ATTR_RDONLY, 0, "--read-only: /") < 0)
		goto bad;
	close(rootfd);

	/* 23. Last, the switch: pivot_root, and the host's root detached. */
	return chroot_pivot(merged);
bad:
	close(rootfd);
	return -1;
}

/* Puts "KEY=..." into env (n entries), replacing an entry with the same
 * KEY, as a later -e overrides an earlier one. */
static void env_put(const char **env, int *n, const char *entry)
{
	size_t key = strcspn(entry, "=") + 1;

	for (int i = 0; i < *n; i++)
		if (strncmp(env[i], entry, key) == 0) {
			env[i] = entry;
			return;
		}
	env[(*n)++] = entry;
}

/* The environment starts empty, as docker's does: nothing of the host's
 * (tokens, SSH_AUTH_SOCK, ...) leaks in unless asked with -e. */
void child_set_environment(const struct config *c)
{
	static const char *env[MAX_ENV + 5];
	static char hostname[80];
	const char *term = NULL;
	int n = 0;

	snprintf(hostname, sizeof(hostname), "HOSTNAME=%s", c->hostname);
	env_put(env, &n, DEFAULT_PATH);
	env_put(env, &n, hostname);
	env_put(env, &n, "HOME=/root");
	if (c->tty) {
		/* The bytes end up on our terminal: its type is ours. */
		for (char **e = environ; e && *e && !term; e++)
			if (strncmp(*e, "TERM=", 5) == 0)
				term = *e;
		env_put(env, &n, term ? term : "TERM=xterm");
	}
	for (int i = 0; i < c->n_env; i++)
		env_put(env, &n, c->env[i]);
	env[n] = NULL;
	environ = (char **)env;
}

/* The two fds PID 1 may have: the start report on fd 3, where the init
 * (selfexec.c) or the sealed copy (entry.c) looks for it, and the sealed
 * copy of the runtime just above, in
 * *self. Every fd above *self is closed next. Returns 0, or -1 after
 * saying why. */
static int keep_fds(const struct config *c, int *self)
{
	int fd = c->self_fd, first = 3;

	if (c->report_fd >= 0) {
		first = 4;
		/* The copy out of the way of fd 3 first. */
		if (fd == 3)
			fd = fcntl(fd, F_DUPFD_CLOEXEC, 5);
		/* The report onto fd 3, open across the init's exec. */
		if (fd >= 0 && (c->report_fd == 3 ? fcntl(3, F_SETFD, 0)
						  : dup2(c->report_fd, 3)) < 0)
			fd = -1;
	}
	if (fd >= 0 && fd != first)
		fd = dup3(fd, first, O_CLOEXEC);
	if (fd < 0) {
		warn("the init's fds");
		return -1;
	}
	*self = fd;
	return 0;
}

/* -u (runas.c): a uid changed by setresuid() makes the kernel forget the
 * death signal 01-uts asked for (commit_creds() clears it), and PID 1
 * would outlive a runtime killed with -9, for good. So ask again, and
 * look whether our parent died before that: 01's pipe is closed by now,
 * but the start report's write end (fd 3) shows POLLERR once no one can
 * read it, and only the runtime can (the pipe's read end went with our
 * other fds). Returns 0 while the parent lives, else -1. */
static int die_with_parent_again(void)
{
	struct pollfd p = {.fd = 3, .events = POLLOUT};

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
		warn("prctl(PR_SET_PDEATHSIG)");
		return -1;
	}
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
		return -1;
	return 0;
}

int child_exec(const struct config *c, char **argv)
{
	const char *dir = c->workdir[0] ? c->workdir : "";
	char cwd[PATH_MAX + 1];
	int self;

	/* 24. Not dumpable: only CAP_SYS_PTRACE, which the container never
	 * has, opens our /proc/PID/exe, environ or mem. Not earlier: a
	 * rootless parent must still write our uid_map (05-user). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		warn("prctl(PR_SET_DUMPABLE)");
		return EXIT_FAILED;
	}
	snprintf(cwd, sizeof(cwd), "/%s", dir);
	if (chdir(cwd) < 0) {
		warn("-w %s", cwd);
		return EXIT_FAILED;
	}
	child_set_environment(c);

	/* -t: the container's own pty on 0-2, before the hardening closes
	 * the socket it is sent through (tty.c says why not ours). */
	if (c->tty && tty_child("/dev/pts/ptmx") < 0)
		return EXIT_FAILED;

	/* 25. The hardening, from what needs privilege to what forbids it:
	 * close inherited fds (nothing of the host's stays reachable),
	 * drop capabilities, forbid regaining any (no_new_privs), and the
	 * seccomp filter last, since it forbids mount() and friends, and
	 * needs no_new_privs to be installed without CAP_SYS_ADMIN. */
	if (keep_fds(c, &self) < 0 || harden_close_fds(self + 1, -1) < 0 ||
	    harden_capabilities() < 0 || harden_rlimits() < 0 ||
	    runas_config(c) < 0 ||
	    (c->report_fd >= 0 && die_with_parent_again() < 0) ||
	    harden_no_new_privs() < 0 || seccomp_install() < 0)
		return EXIT_FAILED;

	/* 26. From the runtime's sealed copy, exec'd afresh, so that
	 * nothing of the host's binary, argv or environment is in reach
	 * (selfexec.c): by default the copy execs the command, which is
	 * then PID 1, as docker, runc and crun run it (reexec.c, entry.c);
	 * with --init, 03-pid's init is PID 1 and the command its child
	 * (PID 1 is special: a signal it has no handler for is ignored, and
	 * orphans are reparented to it; the init handles both). Returns
	 * only if the exec failed. */
	if (c->init)
		return selfexec_init(self, argv, environ);
	return reexec_run(self, argv);
}
