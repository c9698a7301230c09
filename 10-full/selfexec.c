/*
 * 10-full/selfexec.c - nothing in the container can reach the host's
 * `container` binary, nor the runtime's memory, argv and environment:
 * every runtime process runs from a private, sealed copy of the binary,
 * and the container's init is that copy exec'd afresh, not dumpable.
 *
 * Claim: inside the container chown, chmod, setxattr and open-for-write
 *        of /proc/1/exe fail, /proc/1/environ and /proc/1/mem do not
 *        open, /proc/1/cmdline is "container-init" and the command; an
 *        image whose /bin/sh is "#!/proc/self/exe" runs the copy; the
 *        host's binary keeps its owner, mode, xattrs and contents, as
 *        root and with --userns.   (tested in tests/10-full-exe.bats)
 * Uses:  03-pid (pid_init), 01-uts (exit codes, messages)
 * Read:  memfd_create(2), fcntl(2) "File seals", execveat(2), open(2)
 *        O_TMPFILE, prctl(2) PR_SET_DUMPABLE, proc(5) /proc/pid/exe,
 *        ptrace(2) "Ptrace access mode checking"
 *
 * /proc/PID/exe is a magic link: opening it hands out the very file the
 * process runs. When PID 1 was a clone of the runtime, that was the
 * host's 10-full/container, which root inside could chown, chmod or
 * setxattr; /proc/1/environ and cmdline were the host runtime's memory.
 * Three defences, each for a door the others leave open (README, "The
 * runtime's own binary"):
 *
 * 1. Not dumpable: another process's exe, environ and mem open only
 *    after a ptrace check that a non-dumpable process passes only for
 *    CAP_SYS_PTRACE, which the container lacks. But execve() makes a
 *    process dumpable again, and the init execs the command...
 * 2. ...which may be the runtime again: an image whose /bin/sh starts
 *    "#!/proc/self/exe" makes the kernel run the interpreter, the init's
 *    own binary, in the container, dumpable (runc's CVE-2019-5736). So
 *    the init never runs from the host's file: before clone(), `run`
 *    copies its binary into a memfd and seals it (WRITE, GROW, SHRINK:
 *    its bytes never change; SEAL: nor the seals; EXEC: nor its x bits),
 *    and the init is exec'd from that copy. /proc/1/exe, and the exe of
 *    every process that execs /proc/self/exe inside, is then a copy
 *    nobody can write.
 * 3. A clean init: not a clone of the runtime (/proc/PID/cmdline is
 *    readable by all), but the copy exec'd afresh, with argv
 *    "container-init CMD..." and the command's environment.
 *
 * Why the runtime itself need not run from the copy (runc re-executes
 * itself from its memfd; we used to, at 2 ms a run): nothing of the
 * container ever sees it. The runtime on the host is outside the
 * container's PID namespace. Its clone, the child that sets the
 * container up, is PID 1 and alone in that namespace until, as its last
 * act, it execs the copy: the first process of the container's own is
 * forked by the init, which already runs from the copy.
 *
 * Where vm.memfd_noexec=2 (Linux 6.3+) forbids executing a memfd, the copy
 * is an unnamed O_TMPFILE file in /run (rootless: $XDG_RUNTIME_DIR), else
 * /tmp, mode 0511, our write handle closed: unsealable, but the kernel
 * refuses to open a file for writing while a process runs it (ETXTBSY),
 * and the init runs it as long as the container lives; and it is a copy
 * of this run's own: changing it changes no other run, nor the host's.
 */
#include "selfexec.h"

#include "../03-pid/pid.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

/* Linux 6.3 UAPI values that older C library headers lack. */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* executable, whatever vm.memfd_noexec says */
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020 /* the mode's x bits can no longer change */
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
/* The owner reads; everyone executes: the --userns init is host uid
 * 100000 by then. A process that cannot read its binary starts not
 * dumpable, too (execve(2)). */
#define COPY_MODE 0511

/* Copies size bytes of in to out inside the kernel (sendfile: no buffer
 * of ours adds to the peak RSS). Returns 0 or -1. */
static int copy_bytes(int out, int in, off_t size)
{
	off_t off = 0;

	while (off < size) {
		ssize_t n = sendfile(out, in, &off, size - off);

		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* the file shrank under us */
			return -1;
		}
	}
	return 0;
}

/* How much of exe (size bytes) the kernel loads: up to the end of its
 * last PT_LOAD segment. The rest is debug info and section headers, a
 * third of this binary, which only debuggers read: not copied, it costs
 * nothing at each start. size when the file is not a 64-bit ELF we know. */
static off_t loaded_extent(int exe, off_t size)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	off_t end = 0;

	if (pread(exe, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(ph))
		return size;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (pread(exe, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph))
			return size;
		if (ph.p_type == PT_LOAD && (off_t)(ph.p_offset + ph.p_filesz) > end)
			end = ph.p_offset + ph.p_filesz;
	}
	/* The program headers themselves must be in the copy too. */
	if ((off_t)(eh.e_phoff + eh.e_phnum * sizeof(ph)) > end)
		end = eh.e_phoff + eh.e_phnum * sizeof(ph);
	return end > 0 && end <= size ? end : size;
}

/* A sealed memfd holding a copy of exe. Returns it, or -1 with errno
 * (EACCES: vm.memfd_noexec=2 forbids an executable memfd). */
static int memfd_copy(int exe, off_t size)
{
	int fd, saved;

	fd = memfd_create("container", MFD_CLOEXEC | MFD_ALLOW_SEALING |
					       MFD_EXEC);
	if (fd < 0 && errno == EINVAL) /* before 6.3: all are executable */
		fd = memfd_create("container",
				  MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (copy_bytes(fd, exe, size) < 0 || fchmod(fd, COPY_MODE) < 0)
		goto bad;
	/* Alone, as a kernel before 6.3 refuses it (EINVAL): there the x
	 * bits stay changeable, which changes nothing but the mode. */
	fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC);
	if (fcntl(fd, F_ADD_SEALS, SEALS) < 0)
		goto bad;
	return fd;
bad:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* A nameless file in dir holding a copy of exe, opened read-only, our
 * write handle closed (execve refuses a file open for writing). Returns
 * it, or -1 with errno. */
static int tmpfile_copy(const char *dir, int exe, off_t size)
{
	char path[32];
	int w, fd = -1, saved;

	/* O_EXCL: no linkat(2) can ever give it a name. */
	w = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0500);
	if (w < 0)
		return -1;
	if (copy_bytes(w, exe, size) == 0 && fchmod(w, COPY_MODE) == 0) {
		/* The magic link opens the same file anew, read-only. */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", w);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	saved = errno;
	close(w);
	errno = saved;
	return fd;
}

int selfexec_copy(void)
{
	const char *dirs[] = {geteuid() == 0 ? "/run"
					     : getenv("XDG_RUNTIME_DIR"),
			      "/tmp"};
	struct stat st;
	off_t size;
	int exe, fd = -1;

	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0 || fstat(exe, &st) < 0) {
		warn("open /proc/self/exe");
		goto out;
	}
	size = loaded_extent(exe, st.st_size);
	fd = memfd_copy(exe, size);
	if (fd >= 0)
		goto out;
	if (errno != EACCES) {
		warn("a sealed memfd copy of /proc/self/exe");
		goto out;
	}
	/* vm.memfd_noexec=2: an unnamed file then, where exec is allowed. */
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs) && fd < 0; i++)
		if (dirs[i])
			fd = tmpfile_copy(dirs[i], exe, size);
	if (fd < 0)
		warn("cannot make a private copy of this binary (memfd: "
		     "vm.memfd_noexec; an O_TMPFILE in /run or /tmp)");
out:
	if (exe >= 0)
		close(exe);
	return fd;
}

int selfexec_init(int copy, char **cmd, char **envp)
{
	char **argv;
	int n = 0;

	while (cmd[n])
		n++;
	argv = calloc(n + 2, sizeof(*argv));
	if (!argv) {
		warn("calloc");
		return EXIT_FAILED;
	}
	argv[0] = SELFEXEC_INIT_NAME;
	memcpy(argv + 1, cmd, (n + 1) * sizeof(*argv));
	/* copy is close-on-exec: execveat() runs it all the same (an ELF
	 * file is loaded before the fd table is cleaned), and the command
	 * the init then runs never holds it. */
	execveat(copy, "", argv, envp, AT_EMPTY_PATH);
	warn("exec the container's init");
	return EXIT_FAILED;
}

int selfexec_init_main(char **cmd)
{
	/* execve() made us dumpable again: undo it before the command, the
	 * first process of the container's own, can look at us. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		warn("prctl(PR_SET_DUMPABLE)");
		return EXIT_FAILED;
	}
	prctl(PR_SET_NAME, "container", 0, 0, 0);
	/* `run -d`: fd 3 is the pipe on which the supervisor learns that
	 * the command runs (child.c left only it open; 03-pid writes to
	 * it). Not for the command to see: close-on-exec. */
	if (fcntl(3, F_SETFD, FD_CLOEXEC) == 0)
		pid_report_fd = 3;
	if (!cmd[0]) {
		warnx("%s: no command", SELFEXEC_INIT_NAME);
		return EXIT_FAILED;
	}
	return pid_init(cmd);
}
