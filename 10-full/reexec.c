/*
 * 10-full/reexec.c - the command `container exec` starts is exec'd by a
 * sealed copy of the runtime, never by the host's binary.
 *
 * Claim: an image whose /bin/sh is "#!/proc/self/exe" gets, through
 *        exec, a sealed copy of the runtime, and the host's binary keeps
 *        its owner, mode, xattrs and bytes.
 *        (tested in tests/10-full-exec.bats)
 * Uses:  selfexec.c (the copy), 01-uts (lesson_exec)
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
 * Why a copy of exec's own, made at each exec, and not the one the
 * container's init runs from (/proc/PID/exe would hand it out, sealed):
 * that one is the runtime as it was at `run`, and it may not know what
 * this one asks of it. The copy costs little: the bytes are in the page
 * cache, and sendfile copies them inside the kernel (make bench: no
 * difference to be seen).
 */
#include "reexec.h"

#include "../01-uts/lesson.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

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
