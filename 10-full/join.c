/*
 * 10-full/join.c - into a running container: its cgroup, its namespaces,
 * a fork into its PID namespace, and exactly its hardening.
 *
 * Claim: a process started by `container exec` has the same hostname,
 *        /proc/self/ns inodes, mounts and view of the processes as the
 *        container's PID 1, sits in the container's cgroup (so that
 *        --pids-limit stops a fork bomb it starts), and shows the same
 *        CapBnd, NoNewPrivs and Seccomp as the container's command, also
 *        under --userns.   (tested in tests/10-full-exec.bats)
 * Uses:  cgroup_enter.c and 07-cgroups (the cgroup), child.c (the
 *        environment), relay.c and tty.c (session, stdio, pty), harden.c,
 *        seccomp.c, 01-uts (lesson_exec)
 * Read:  setns(2), namespaces(7), pid_namespaces(7), user_namespaces(7),
 *        clone(2) CLONE_PARENT, prctl(2) PR_SET_DUMPABLE
 *
 * The order, and why (README, "exec: joining a running container"):
 *
 *   joiner  the cgroup of the init, in each      its files belong to host
 *           tree where it is not ours            root; after the user
 *                                                namespace we are its root,
 *                                                not the host's, and after
 *                                                the cgroup namespace v2
 *                                                refuses a move from
 *                                                outside its root
 *           setns: user first, mnt last          all in one call through
 *                                                the pidfd (Linux 5.8):
 *                                                the kernel orders them
 *           the namespace's root (setresuid 0)   host root is nobody there
 *           not dumpable                         before anything of ours
 *                                                is seen in the container
 *           clone(CLONE_PARENT)                  setns(CLONE_NEWPID) only
 *                                                moves our children
 *   process setsid, stdio, cwd, env, -t pty,     as child.c does for the
 *           closed fds, capabilities,            container's own command
 *           no_new_privs, seccomp, exec
 *
 * All of it single-threaded: the kernel refuses setns() into a user or a
 * mount namespace to a process with threads (they would share one set of
 * credentials, one root and cwd, with threads left outside). `exec` forks
 * the joiner before it starts its relay thread.
 */
#include "join.h"
#include "cgroup_enter.h"
#include "child.h"
#include "harden.h"
#include "relay.h"
#include "seccomp.h"
#include "tty.h"

#include "../07-cgroups/cgroup_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6; older headers lack it */
#endif

/* Every kind of namespace, in the order the fallback joins them: the
 * user namespace first, the mount namespace last. */
static const struct ns {
	const char *name;
	int flag;
} kinds[] = {
	{"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP},
	{"ipc", CLONE_NEWIPC},	 {"uts", CLONE_NEWUTS},
	{"net", CLONE_NEWNET},	 {"pid", CLONE_NEWPID},
	{"time", CLONE_NEWTIME}, {"mnt", CLONE_NEWNS},
};
#define N_KINDS (sizeof(kinds) / sizeof(*kinds))

/* The cgroup of /proc/PID/cgroup file proc in the v1 tree holding
 * controller ctrl, or in the v2 tree (ctrl NULL), into path. Seen from
 * the host's cgroup namespace: the whole path. Returns 0, 1 if there is
 * none, or -1 after saying why the file does not open. */
static int cgroup_of(const char *proc, const char *ctrl, char *path)
{
	FILE *f = fopen(proc, "re");
	char line[PATH_MAX + 64];
	int found = 1;

	if (!f) {
		warn("%s", proc);
		return -1;
	}
	while (found && fgets(line, sizeof(line), f)) {
		char *list = strchr(line, ':'), *where;

		if (!list || !(where = strchr(++list, ':')))
			continue;
		*where++ = '\0';
		where[strcspn(where, "\n")] = '\0';
		for (char *c = strtok(list, ","); c && ctrl; c = strtok(NULL, ","))
			if (strcmp(c, ctrl) == 0)
				found = 0;
		if (!ctrl && !*list) /* "0::/path", the v2 line */
			found = 0;
		if (found == 0)
			snprintf(path, PATH_MAX, "%s", where);
	}
	fclose(f);
	return found;
}

/* Joins the cgroup pid is in, in every tree where that is not ours: on
 * v1 the trees of the controllers 07 uses, on v2 the one tree. Returns 0,
 * or -1 after saying which failed. */
static int join_cgroup(pid_t pid)
{
	const struct cgroup_host *h = cgroup_detect();
	static struct cgroup cg;
	char proc[32], theirs[PATH_MAX], ours[PATH_MAX];
	int trees = h->mode == CGROUP_V2 ? 1 : CG_COUNT;

	if (h->mode == CGROUP_NONE)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	for (int c = 0; c < trees; c++) {
		const char *ctrl = h->mode == CGROUP_V2 ? NULL
							: cgroup_controller_name[c];

		int t = cgroup_of(proc, ctrl, theirs),
		    o = t ? t : cgroup_of("/proc/self/cgroup", ctrl, ours);

		if (t < 0 || o < 0)
			return -1;
		if (t || o || strcmp(theirs, ours) == 0)
			continue;
		if (snprintf(cg.dir[cg.ndirs++], PATH_MAX, "%s/%s%s", h->root,
			     ctrl ? ctrl : "", theirs) >= PATH_MAX) {
			warnx("the container's cgroup: path too long");
			return -1;
		}
	}
	return cgroup_enter(&cg);
}

/* The namespaces of pid that are not ours: those to join (the user
 * namespace must be left out when it is ours: setns refuses it). Reads
 * /proc/PID: only the pidfd proves that the PID still is the init, and
 * setns() through it fails if it is not. Returns the CLONE_NEW* flags. */
static int other_namespaces(pid_t pid)
{
	struct stat theirs, ours;
	char path[64];
	int flags = 0;

	for (size_t i = 0; i < N_KINDS; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid,
			 kinds[i].name);
		if (stat(path, &theirs) < 0)
			continue; /* a kernel without that kind */
		snprintf(path, sizeof(path), "/proc/self/ns/%s", kinds[i].name);
		if (stat(path, &ours) < 0 || theirs.st_ino != ours.st_ino ||
		    theirs.st_dev != ours.st_dev)
			flags |= kinds[i].flag;
	}
	return flags;
}

/* Before Linux 5.8 setns() takes one namespace fd at a time: open them
 * all while /proc is still the host's (after the mount namespace it is
 * the container's, where the PID is another process or none), check
 * through the pidfd that they are the init's, then join them in order.
 * Returns 0, or -1 after saying why. */
static int join_one_by_one(const struct join *j, int flags)
{
	int fd[N_KINDS], ret = -1;
	char path[64];
	size_t i;

	for (i = 0; i < N_KINDS; i++) {
		fd[i] = -1;
		if (!(flags & kinds[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)j->pid,
			 kinds[i].name);
		fd[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fd[i] < 0) {
			warn("%s", path);
			goto out;
		}
	}
	/* Raw syscall: glibc before 2.36 has no pidfd_send_signal(). */
	if (syscall(SYS_pidfd_send_signal, j->pidfd, 0, NULL, 0) < 0) {
		warnx("the container stopped");
		goto out;
	}
	for (i = 0; i < N_KINDS; i++)
		if (fd[i] >= 0 && setns(fd[i], kinds[i].flag) < 0) {
			warn("setns(%s)", kinds[i].name);
			goto out;
		}
	ret = 0;
out:
	for (i = 0; i < N_KINDS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return ret;
}

/* Joins every namespace of the init that is not ours; in its user
 * namespace, becomes its root. Returns 0, or -1 after saying why. */
static int join_namespaces(const struct join *j)
{
	int flags = other_namespaces(j->pid);

	/* One call, all or nothing (Linux 5.8): the kernel joins the user
	 * namespace first, so that the other checks are made in it, and
	 * switches root and cwd to the mount namespace's last. EINVAL:
	 * a kernel that takes only a namespace fd. */
	if (setns(j->pidfd, flags) < 0 &&
	    (errno != EINVAL || join_one_by_one(j, flags) < 0)) {
		if (errno == ESRCH)
			warnx("the container stopped");
		else if (errno != EINVAL)
			warn("setns into the container");
		return -1;
	}
	if (!(flags & CLONE_NEWUSER))
		return 0;
	/* Joined as host root (--userns), we are nobody inside: host uid 0
	 * is not in the namespace's map. Become its root, as its init is,
	 * without root's supplementary groups. Rootless, the namespace
	 * denies setgroups, and our one group is its 0 already. */
	if ((!j->config->rootless && setgroups(0, NULL) < 0) ||
	    setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
		warn("become root in the container's user namespace");
		return -1;
	}
	return 0;
}

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
	/* harden.c, in child.c's order; no fd kept: nothing is exec'd but
	 * the command (exec.c runs all of us from the sealed copy). */
	if (harden_close_fds(3, -1) < 0 || harden_capabilities() < 0 ||
	    harden_no_new_privs() < 0 || seccomp_install() < 0)
		return EXIT_FAILED;
	return lesson_exec(j->argv);
}

int join_container(const struct join *j)
{
	pid_t pid;

	if (join_cgroup(j->pid) < 0 || join_namespaces(j) < 0)
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
