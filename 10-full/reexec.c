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
 * Which sealed copy: the one the container's init runs from, when it is
 * our binary (the same file: inode, size and time of change) and reaches
 * us read-only (a mount that says so: selfexec.c's overlay, made at
 * `run`); else a copy of our own, made now (selfexec_copy). Not the
 * init's when it is another build of the runtime (rebuilt since `run`),
 * which may not know what this one asks of it; nor when it is the host's
 * file itself (a runtime from before the copies started it). Reusing it
 * saves a mount and its teardown at every exec (0.2 ms of 3, make bench).
 * The bytes are in the page cache either way.
 */
#include "reexec.h"
#include "selfexec.h"

#include "../01-uts/lesson.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

int reexec_copy(const char *root, pid_t init, int pidfd)
{
	struct stat theirs, ours;
	struct statvfs fs;
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)init);
	fd = open(path, O_PATH | O_CLOEXEC);
	/* Raw syscall: glibc before 2.36 has no pidfd_send_signal(). The
	 * pidfd, checked after the open, proves that the PID was still
	 * the init's: the file is the one it runs. */
	if (fd >= 0 && fstat(fd, &theirs) == 0 &&
	    stat("/proc/self/exe", &ours) == 0 && fstatvfs(fd, &fs) == 0 &&
	    (fs.f_flag & ST_RDONLY) && theirs.st_dev != ours.st_dev &&
	    theirs.st_ino == ours.st_ino && theirs.st_size == ours.st_size &&
	    theirs.st_ctim.tv_sec == ours.st_ctim.tv_sec &&
	    theirs.st_ctim.tv_nsec == ours.st_ctim.tv_nsec &&
	    syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return selfexec_copy(root);
}

int reexec_command(int copy, char **argv)
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
	args[0] = REEXEC_NAME;
	memcpy(args + 1, argv, (n + 1) * sizeof(*args));
	/* The command starts as if freshly started: every signal to its
	 * default (an ignored one would stay ignored through execve()),
	 * still blocked; the copy unblocks them right before it execs the
	 * command (entry.c, or lesson_exec() through reexec_main()), and a
	 * stop signal that came meanwhile then ends it: 128+N. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* copy is close-on-exec: the command never holds it. */
	execveat(copy, "", args, environ, AT_EMPTY_PATH);
	warn("exec the runtime's sealed copy");
	return EXIT_FAILED;
}

int reexec_main(char **argv)
{
	/* execve() made us dumpable again: undo it first (selfexec.c). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		warn("prctl(PR_SET_DUMPABLE)");
		return EXIT_FAILED;
	}
	if (!argv[0]) {
		warnx("%s: no command", REEXEC_NAME);
		return EXIT_FAILED;
	}
	return lesson_exec(argv);
}
