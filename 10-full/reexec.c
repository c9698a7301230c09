/*
 * 10-full/reexec.c - `container exec` runs from a sealed copy of the
 * runtime, never from the host's binary: the copy the container's init
 * runs from.
 *
 * Claim: an image whose /bin/sh is "#!/proc/self/exe" gets, through
 *        exec, a sealed copy of the runtime, and the host's binary keeps
 *        its owner, mode, xattrs and bytes.
 *        (tested in tests/10-full-exec.bats)
 * Uses:  selfexec.c (the copy, when the init's cannot be had)
 * Read:  execveat(2), fcntl(2) F_GET_SEALS, proc(5) /proc/PID/exe,
 *        CVE-2019-5736
 *
 * The process exec starts in the container is a clone of ours until it
 * execs the command, and if the command is a "#!/proc/self/exe" script
 * from the image, the kernel runs that process's own binary as the
 * interpreter, in the container, where root could then open it through
 * /proc/PID/exe (runc's CVE-2019-5736, which was exactly this, through
 * `runc exec`). So exec's first act is to run again from a sealed copy.
 * Copying 1.1 MiB costs; the container's init runs from a copy already,
 * which `run` made and sealed (selfexec.c): exec opens that one through
 * /proc/PID/exe, as a shim would run the container's own runtime.
 */
#include "reexec.h"
#include "selfexec.h"
#include "state.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether fd is one of selfexec.c's private copies: a memfd sealed
 * against writes, or (where memfds may not be executed) an unnamed file
 * that nobody may write. */
static bool is_sealed_copy(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	struct stat st;

	if (seals >= 0)
		return (seals & (F_SEAL_WRITE | F_SEAL_SEAL)) ==
		       (F_SEAL_WRITE | F_SEAL_SEAL);
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       st.st_nlink == 0 && !(st.st_mode & 0222);
}

/* Whether we run from such a copy. */
static bool running_from_copy(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	bool copy = fd >= 0 && is_sealed_copy(fd);

	if (fd >= 0)
		close(fd);
	return copy;
}

/* The copy the container's init runs from, which `run` made and sealed:
 * opened through /proc/PID/exe, it costs no copy of our own. Returns its
 * fd, or -1 (then we make one). */
static int init_copy(const struct container *rec, int pidfd)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)rec->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* The pidfd was opened for the init (store_pidfd checked it): while
	 * the init lives its PID is not reused, so if it lives now, path
	 * was its exe. Raw syscall: glibc before 2.36 lacks the wrapper. */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0 ||
	    !is_sealed_copy(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

int reexec_sealed(int argc, char **argv, const struct container *rec,
		  int pidfd)
{
	char **args;
	int copy, n = 0;

	if (running_from_copy())
		return 0;
	args = calloc(argc + 4, sizeof(*args));
	copy = init_copy(rec, pidfd);
	if (copy < 0)
		copy = selfexec_copy();
	if (!args || copy < 0) {
		if (!args)
			warn("calloc");
		return EXIT_FAILED;
	}
	args[n++] = "container";
	if (state_root_option) {
		args[n++] = "--root";
		args[n++] = (char *)state_root_option;
	}
	memcpy(args + n, argv, (argc + 1) * sizeof(*args));
	execveat(copy, "", args, environ, AT_EMPTY_PATH);
	warn("exec the runtime's sealed copy");
	return EXIT_FAILED;
}
