/*
 * 10-full/join.c - into a running container: its cgroup, then all its
 * namespaces, as its root. The order is the lesson (README, "exec:
 * joining a running container").
 *
 * Claim: a process started by `container exec` has the same hostname,
 *        /proc/self/ns inodes, mounts and view of the processes as the
 *        container's PID 1, and sits in the container's cgroup (so that
 *        --pids-limit stops a fork bomb it starts), also under --userns.
 *        (tested in tests/10-full-exec.bats)
 * Uses:  cgroup_enter.c and 07-cgroups (the cgroup)
 * Read:  setns(2), namespaces(7), user_namespaces(7), cgroup_namespaces(7),
 *        chroot(2)
 *
 *   1. the init's cgroup, in each tree     its files belong to host root:
 *      where it is not ours                after the user namespace we
 *                                          are its root, not the host's;
 *                                          after the cgroup namespace v2
 *                                          refuses a move from outside
 *                                          its root; after the mount
 *                                          namespace /proc and /sys are
 *                                          the container's
 *   2. setns: the user namespace first     the others are checked against
 *                                          the namespace that owns them:
 *                                          rootless, we have rights there
 *                                          only once we are in it
 *   3. ... the mount namespace last        it moves our root and cwd, and
 *                                          with them /proc/PID and /sys
 *   4. chroot to the init's root           not the namespace's: in the
 *                                          init's pivot_root, that is
 *                                          the host's (enter_root)
 *   5. setresuid(0) in the user namespace  host root is nobody there
 *
 * With a pidfd (Linux 5.8) 2 and 3 are one setns() call, all or nothing,
 * and the kernel keeps that order itself; before, one namespace fd at a
 * time, in the order of kinds[]. Then spawn.c forks into the PID
 * namespace: setns(CLONE_NEWPID) only moves our children.
 *
 * All of it single-threaded: the kernel refuses setns() into a user or a
 * mount namespace to a process with threads (they share one set of
 * credentials, one root and cwd). The joiner is a fork of `exec` made
 * before its relay thread.
 */
#include "join.h"
#include "cgroup_enter.h"

#include "../07-cgroups/cgroup_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
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

/* The text of the /proc/PID/cgroup file at proc, into buf (one read:
 * the kernel makes the whole file at once, a line per tree). Returns 0,
 * or -1 after saying why. */
static int read_cgroups(const char *proc, char *buf, size_t size)
{
	int fd = open(proc, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0 || (size_t)n == size - 1) {
		warn("%s", proc);
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/* The cgroup, in text (a /proc/PID/cgroup file's), of the v1 tree holding
 * controller ctrl, or of the v2 tree (ctrl NULL), into path. Seen from
 * the host's cgroup namespace: the whole path. Returns 0, or 1 if there
 * is none. */
static int cgroup_of(const char *text, const char *ctrl, char *path)
{
	char copy[4096], *line, *next;
	int found = 1;

	snprintf(copy, sizeof(copy), "%s", text);
	for (line = copy; found && line && *line; line = next) {
		char *list = strchr(line, ':'), *where;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!list || !(where = strchr(++list, ':')))
			continue;
		*where++ = '\0';
		for (char *c = strtok(list, ","); c && ctrl; c = strtok(NULL, ","))
			if (strcmp(c, ctrl) == 0)
				found = 0;
		if (!ctrl && !*list) /* "0::/path", the v2 line */
			found = 0;
		if (found == 0)
			snprintf(path, PATH_MAX, "%s", where);
	}
	return found;
}

/* Joins the cgroup pid is in, in every tree where that is not ours: on
 * v1 the trees of the controllers 07 uses, on v2 the one tree. Returns 0,
 * or -1 after saying which failed. */
static int join_cgroup(pid_t pid)
{
	const struct cgroup_host *h = cgroup_detect();
	static struct cgroup cg;
	static char theirs_text[4096], ours_text[4096];
	char proc[32], theirs[PATH_MAX], ours[PATH_MAX];
	int trees = h->mode == CGROUP_V2 ? 1 : CG_COUNT;

	if (h->mode == CGROUP_NONE)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	if (read_cgroups(proc, theirs_text, sizeof(theirs_text)) < 0 ||
	    read_cgroups("/proc/self/cgroup", ours_text, sizeof(ours_text)) < 0)
		return -1;
	for (int c = 0; c < trees; c++) {
		const char *ctrl = h->mode == CGROUP_V2 ? NULL
							: cgroup_controller_name[c];

		if (cgroup_of(theirs_text, ctrl, theirs) ||
		    cgroup_of(ours_text, ctrl, ours) || strcmp(theirs, ours) == 0)
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

/* The init's root, opened while /proc is still the host's; the pidfd
 * then proves that the PID was the init's. Returns an O_PATH fd, or -1
 * after saying why. */
static int open_root(const struct join *j)
{
	char path[48];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)j->pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", path);
		return -1;
	}
	/* Raw syscall: glibc before 2.36 has no pidfd_send_signal(). */
	if (syscall(SYS_pidfd_send_signal, j->pidfd, 0, NULL, 0) < 0) {
		warnx("the container stopped");
		close(fd);
		return -1;
	}
	return fd;
}

/* setns() into the mount namespace puts us at the namespace's root and
 * then down through whatever is mounted on top of it. Between the init's
 * pivot_root(".", ".") and its umount of the old root (08-chroot), that
 * is the old root, stacked there: the host's (a hostile tester's race:
 * an exec fired then ran in the host's root, once in six on a busy
 * machine). So we take the init's own root instead, as nsenter -r does:
 * fchdir() there, then chroot("."). After the umount the two are the
 * same directory (unless the init chroot()ed itself: then its root). */
static int enter_root(int root)
{
	if (fchdir(root) < 0 || chroot(".") < 0) {
		warn("into the container's root");
		return -1;
	}
	return 0;
}

/* Joins every namespace of the init that is not ours, and its root; in
 * its user namespace, becomes its root. Returns 0, or -1 after saying
 * why. */
static int join_namespaces(const struct join *j)
{
	int flags = other_namespaces(j->pid), root = open_root(j), ret;

	if (root < 0)
		return -1;
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
		close(root);
		return -1;
	}
	ret = enter_root(root);
	close(root);
	if (ret < 0 || !(flags & CLONE_NEWUSER))
		return ret;
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

int join_enter(const struct join *j)
{
	return join_cgroup(j->pid) < 0 || join_namespaces(j) < 0 ? -1 : 0;
}
