/*
 * 10-full/entry.c - our program's first instructions, before the C
 * library's: the sealed copy that `container exec` runs as its last step
 * (reexec.c) execs the command from here, without starting glibc.
 *
 * Claim: the command of `container exec`, and `run`'s without --init,
 *        is exec'd by the sealed binary as before (the CVE-2019-5736
 *        defence, tests/10-full-exec.bats), with the same messages and
 *        exit codes (126, 127), but about 0.35 ms sooner: glibc's
 *        start-up is never run for it (make bench, the exec rows).
 * Uses:  reexec.c (REEXEC_NAME, and reexec_main where this is not built)
 * Read:  execve(2) (the initial stack: argc, argv, envp), execvp(3),
 *        the System V ABI for x86-64 (process entry); runc's
 *        libcontainer/nsenter, whose C runs before Go's runtime starts
 *
 * Why: a program linked with glibc spends its first 0.3-0.4 ms, on this
 * VM, asking the CPU what it is (about 40 `cpuid` instructions, each a
 * trap to the hypervisor) before main() runs. The copy that execs exec's
 * command needs none of it: it only turns itself non-dumpable and calls
 * execve(). So the linker makes container_entry (below) our entry point
 * (Makefile: --entry): it looks at argv[0], and for REEXEC_NAME does that
 * work with raw system calls; for anything else it jumps to glibc's
 * _start, which finds the stack exactly as the kernel left it. Built with
 * musl (the Makefile's LIBC), the jump goes to musl's _start, which reads
 * the same stack; musl's start-up asks the CPU nothing, so there the
 * runtime itself starts sooner too.
 *
 * Rules for the code here, which runs before the C library: no libc call,
 * no errno and no stack protector (thread-local storage is not set up
 * yet), no table of pointers (a static-pie binary is not yet relocated),
 * and no loop the compiler could turn into a call of memcpy() or
 * strlen() (the volatile pointers below; glibc resolves those calls only
 * in its start-up). The Makefile builds this file -fno-stack-protector.
 * Only x86-64 has this entry, the one architecture where its tests have
 * run; elsewhere main() sees REEXEC_NAME and reexec_main() does the same
 * with glibc.
 */
#include "reexec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __x86_64__

void container_entry_c(long *sp);

/* The kernel starts us with sp at argc, and passes rdx (a function for
 * atexit, 0 for us), which _start reads: kept for it. */
__asm__(".text\n"
	".globl container_entry\n"
	".type container_entry, @function\n"
	"container_entry:\n"
	"	mov %rsp, %rdi\n"
	"	push %rdx\n"
	"	sub $8, %rsp\n" /* 16-byte aligned for the call */
	"	call container_entry_c\n"
	"	add $8, %rsp\n"
	"	pop %rdx\n"
	"	jmp _start\n");

static long sys(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static int same(const volatile char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static unsigned long len(const volatile char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	sys(SYS_write, 2, (long)s, len(s), 0);
}

/* strerror() for what execve() says (if, not switch: a switch may become
 * a table of pointers), in glibc's words. A musl build words three of
 * these its own way where the C library speaks (--init: "Filename too
 * long", "Symbolic link loop", "Out of memory"); the messages of one
 * build may then differ by a word, never by the exit code. */
static const char *reason(long err)
{
	if (err == ENOENT)
		return "No such file or directory";
	if (err == EACCES)
		return "Permission denied";
	if (err == ENOEXEC)
		return "Exec format error";
	if (err == ENOTDIR)
		return "Not a directory";
	if (err == ELOOP)
		return "Too many levels of symbolic links";
	if (err == ENAMETOOLONG)
		return "File name too long";
	if (err == E2BIG)
		return "Argument list too long";
	if (err == ENOMEM)
		return "Cannot allocate memory";
	if (err == ETXTBSY)
		return "Text file busy";
	if (err == EPERM)
		return "Operation not permitted";
	return "cannot execute";
}

/* "container: exec CMD: REASON", as warn() would say it, then exit with
 * 127 (not found) or 126 (anything else), as lesson_exec() does. */
static void fail(const char *cmd, long err)
{
	say("container: exec ");
	say(cmd);
	say(": ");
	say(reason(err));
	say("\n");
	sys(SYS_exit_group, err == ENOENT ? 127 : 126, 0, 0, 0);
}

/* execve(); on ENOEXEC the file as a script of /bin/sh, as execvp()
 * does: argv[0] (our REEXEC_NAME, spent) becomes "/bin/sh", argv[1] the
 * file. Returns the error, and *done when the search must stop. */
static long run(const char *path, char **argv, char **envp, int *done)
{
	long r = sys(SYS_execve, (long)path, (long)(argv + 1), (long)envp, 0);

	if (r != -ENOEXEC)
		return -r;
	argv[0] = "/bin/sh";
	argv[1] = (char *)path;
	*done = 1;
	return -sys(SYS_execve, (long)"/bin/sh", (long)argv, (long)envp, 0);
}

/* execvp(): a name without '/' is looked for in each directory of PATH
 * ("/bin:/usr/bin" without one, as glibc); a directory that refuses us,
 * or a file that is not there, is passed over; a file that is there but
 * that we may not run is remembered (EACCES), as lesson_exec() says. */
static long run_path(const char *cmd, char **argv, char **envp)
{
	const char *path = "/bin:/usr/bin", *dir;
	volatile char buf[4096];
	long err, seen = ENOENT;
	int done = 0;

	for (const char *c = cmd; *c; c++)
		if (*c == '/')
			return run(cmd, argv, envp, &done);
	for (char **e = envp; *e; e++)
		if ((*e)[0] == 'P' && (*e)[1] == 'A' && (*e)[2] == 'T' &&
		    (*e)[3] == 'H' && (*e)[4] == '=')
			path = *e + 5;
	for (dir = path;; dir++) {
		unsigned long n = 0, d = 0;

		while (dir[d] && dir[d] != ':')
			d++;
		if (d + len(cmd) + 2 <= sizeof(buf)) {
			for (unsigned long i = 0; i < d; i++)
				buf[n++] = dir[i];
			if (d > 0)
				buf[n++] = '/';
			for (const char *c = cmd; *c; c++)
				buf[n++] = *c;
			buf[n] = '\0';
			err = run((const char *)buf, argv, envp, &done);
			if (done)
				return err;
			/* EACCES from a file that is there; a directory we
			 * may not search is passed over. */
			if (err == EACCES && sys(SYS_faccessat, AT_FDCWD,
						 (long)buf, F_OK, 0) == 0)
				seen = EACCES;
			else if (err != ENOENT && err != ENOTDIR &&
				 err != EACCES && err != ESTALE &&
				 err != ENODEV && err != ETIMEDOUT)
				return err;
		}
		dir += d;
		if (!*dir)
			return seen;
	}
}

/* The stop signals of 01-uts/signals.c, as the kernel's 64-bit mask. */
#define BIT(sig) (1UL << ((sig) - 1))
#define STOP_MASK                                                      \
	(BIT(SIGINT) | BIT(SIGTERM) | BIT(SIGHUP) | BIT(SIGQUIT) |     \
	 BIT(SIGUSR1) | BIT(SIGUSR2))

void container_entry_c(long *sp)
{
	long argc = sp[0], err, sig;
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;
	unsigned long none = 0, stop = STOP_MASK;
	long zero[2] = {0, 0}; /* a struct timespec of 0: do not wait */
	const char *cmd;
	int run;

	if (argc < 1)
		return;
	run = same(argv[0], REEXEC_RUN_NAME);
	if (!run && !same(argv[0], REEXEC_NAME))
		return; /* the runtime: on to glibc's _start */
	/* execve() made us dumpable again: undo it first (selfexec.c). */
	if (sys(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0) != 0 || argc < 2) {
		say("container: sealed copy: not dumpable, or no command\n");
		sys(SYS_exit_group, 125, 0, 0, 0);
	}
	if (run) {
		/* `run`'s PID 1 (reexec.h): the report pipe on fd 3 closes
		 * when the command's execve() succeeds. A stop signal that
		 * came during the setup is still blocked, pending: the run
		 * ends here with it, before the command exists (lesson_exec
		 * does the same). Unblocked, it would be lost: PID 1 drops a
		 * signal it has no handler for. */
		sys(SYS_fcntl, 3, F_SETFD, FD_CLOEXEC, 0);
		sig = sys(SYS_rt_sigtimedwait, (long)&stop, 0, (long)zero,
			  sizeof(stop));
		if (sig > 0)
			sys(SYS_exit_group, 128 + sig, 0, 0, 0);
		sys(SYS_write, 3, (long)"X", 1, 0);
	}
	/* The command starts with no signal blocked: reexec_as() set
	 * every one to its default and left them blocked until now. */
	sys(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, sizeof(none));
	cmd = argv[1];
	err = run_path(cmd, argv, envp);
	if (run)
		sys(SYS_write, 3, (long)"F", 1, 0);
	fail(cmd, err);
}

#endif
