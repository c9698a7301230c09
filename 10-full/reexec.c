/*
 * 10-full/reexec.c - the command `container exec` starts is exec'd by a
 * sealed copy of the runtime, never by the host's binary.
 *
 * Claim: an image whose /bin/sh is "#!/proc/self/exe" gets, through
 *        exec, a sealed copy of the runtime, and the host's binary keeps
 *        its owner, mode, xattrs and bytes.
 *        (tested in tests/10-full-exec.bats)
 * Uses:  selfexec.c (the copy, and the init's), 01-uts (lesson_exec)
 * Read:  execveat(2), proc(5) /proc/PID/exe, CVE-2019-5736
 *
 * The process exec starts in the container is a clone of the runtime
 * until it execs the command, and if the command is a "#!/proc/self/exe"
 * script from the image, the kernel runs that process's own binary as
 * the interpreter, in the container, where root could then open it
 * through /proc/PID/exe (runc's CVE-2019-5736 was exactly this, through
 * `runc exec`). So, as the container's init does (selfexec.c), the
 * process execs a sealed copy of the runtime as its last act, which then
 * execs the command: /proc/self/exe is the copy by then. Until that
 * execveat it runs the host's binary, but not dumpable (spawn.c): its
 * exe link does not open for root inside, who lacks CAP_SYS_PTRACE.
 *
 * Which sealed copy: the one the container's init runs from (--init), or
 * else the one the runtime that waits for the container holds open (the
 * supervisor, or the foreground run: the view PID 1 exec'd from), when it
 * is our binary (the same file: inode, size and time of change) and
 * reaches us read-only (a mount that says so: selfexec.c's overlay, made
 * at `run`); else a copy of our own, made now (selfexec_copy). Not theirs
 * when it is another build of the runtime (rebuilt since `run`), which
 * may not know what this one asks of it; nor when it is the host's file
 * itself (a runtime from before the copies started it). Reusing it saves
 * a mount and its teardown at every exec (0.2 ms of 3, make bench). The
 * bytes are in the page cache either way.
 */
#include "reexec.h"
#include "selfexec.h"
#include "store.h"

#include "../01-uts/lesson.h"
#include "../07-cgroups/stale.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether fd is our own binary (the same file: inode, size and time of
 * change) reached through a mount that is read-only in itself, not the
 * host's file. */
static bool ours_sealed(int fd)
{
	struct stat theirs, ours;
	struct statvfs fs;

	return fstat(fd, &theirs) == 0 && stat("/proc/self/exe", &ours) == 0 &&
	       fstatvfs(fd, &fs) == 0 && (fs.f_flag & ST_RDONLY) &&
	       theirs.st_dev != ours.st_dev && theirs.st_ino == ours.st_ino &&
	       theirs.st_size == ours.st_size &&
	       theirs.st_ctim.tv_sec == ours.st_ctim.tv_sec &&
	       theirs.st_ctim.tv_nsec == ours.st_ctim.tv_nsec;
}

/* The view the runtime that waits for the container holds (run.c's
 * config.self_fd, open until the container's end): among its fds, the
 * one whose link reads "/NAME", NAME our binary's (the file at the root
 * of selfexec.c's detached overlay). Checked as ours, and the process
 * checked afterwards to be still the recorded one. Returns an fd, or -1. */
static int supervisor_view(const struct container *rec)
{
	char dir[48], path[320], link[PATH_MAX], want[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", want + 1, sizeof(want) - 2);
	const char *name;
	struct dirent *e;
	DIR *d;
	int fd = -1;

	if (n <= 0 || rec->supervisor <= 0)
		return -1;
	want[n + 1] = '\0';
	name = strrchr(want + 1, '/');
	if (!name)
		return -1;
	memmove(want + 1, name + 1, strlen(name + 1) + 1);
	want[0] = '/';
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)rec->supervisor);
	d = opendir(dir);
	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, want) != 0)
			continue;
		fd = open(path, O_PATH | O_CLOEXEC);
		if (fd >= 0 && !ours_sealed(fd)) {
			close(fd);
			fd = -1;
		}
	}
	closedir(d);
	/* The fd came from the recorded supervisor, not from a process
	 * that got its PID since. */
	if (fd >= 0 && stale_start_time(rec->supervisor) != rec->supervisor_start) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int reexec_copy(const char *root, const struct container *rec, int pidfd)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)rec->pid);
	fd = open(path, O_PATH | O_CLOEXEC);
	/* Raw syscall: glibc before 2.36 has no pidfd_send_signal(). The
	 * pidfd, checked after the open, proves that the PID was still
	 * PID 1's: the file is the one it runs. */
	if (fd >= 0 && ours_sealed(fd) &&
	    syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	/* Without --init, PID 1 is the command: the runtime's view. */
	fd = supervisor_view(rec);
	if (fd >= 0)
		return fd;
	return selfexec_copy(root);
}

/* Execs copy as name argv...: see reexec.h. */
static int reexec_as(const char *name, int copy, char **argv)
{
	char **args;
	int n = 0;

	while (argv[n])
		n++;
	args = calloc(n + 2, sizeof(*args));
	if (!args) {
		warn("calloc");
		return EXIT_FAILED;
	}
	args[0] = (char *)name;
	memcpy(args + 1, argv, (n + 1) * sizeof(*args));
	/* The command starts as if freshly started: every signal to its
	 * default (an ignored one would stay ignored through execve()),
	 * still blocked; the copy unblocks them right before it execs the
	 * command (entry.c, or lesson_exec() through reexec_main()). */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* copy is close-on-exec: the command never holds it. */
	execveat(copy, "", args, environ, AT_EMPTY_PATH);
	warn("exec the runtime's sealed copy");
	return EXIT_FAILED;
}

int reexec_command(int copy, char **argv)
{
	/* A stop signal that came meanwhile ends the command at its
	 * first instruction: 128+N. */
	return reexec_as(REEXEC_NAME, copy, argv);
}

int reexec_run(int copy, char **argv)
{
	return reexec_as(REEXEC_RUN_NAME, copy, argv);
}

int reexec_main(char **argv, bool run)
{
	int code, stop;

	/* execve() made us dumpable again: undo it first (selfexec.c). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		warn("prctl(PR_SET_DUMPABLE)");
		return EXIT_FAILED;
	}
	if (!argv[0]) {
		warnx("%s: no command", run ? REEXEC_RUN_NAME : REEXEC_NAME);
		return EXIT_FAILED;
	}
	if (!run)
		return lesson_exec(argv);
	/* `run`'s PID 1 (entry.c says the same, without glibc): the
	 * report pipe closes at the exec; a stop signal that came during
	 * the setup ends the run here, before the command exists. */
	if (fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
		return EXIT_FAILED;
	if ((stop = lesson_stop_pending()))
		return 128 + stop;
	if (write(3, "X", 1) != 1)
		return EXIT_FAILED;
	code = lesson_exec(argv);
	if (write(3, "F", 1) != 1) {
		/* the runtime is gone: nobody to tell */
	}
	return code;
}
