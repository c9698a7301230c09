/*
 * 10-full/selfcopy.c - the fallback of selfexec.c: a private copy of the
 * runtime's binary that nobody can write, for where no read-only overlay
 * can show the binary itself (rootless, no overlayfs or fsopen()).
 *
 * Claim: rootless, and as root where the binary's path is one overlayfs
 *        cannot take, the init runs from a sealed memfd copy, or, where
 *        vm.memfd_noexec=2 forbids executing a memfd, from an unnamed
 *        O_TMPFILE copy; either way the host's binary is out of reach.
 *        (tested in tests/10-full-exe.bats)
 * Uses:  nothing but libc
 * Read:  memfd_create(2), fcntl(2) "File seals", open(2) O_TMPFILE,
 *        sendfile(2), elf(5)
 *
 * A memfd is a file in RAM, in no directory. Sealed (WRITE, GROW,
 * SHRINK: its bytes never change; SEAL: nor the seals; EXEC: nor its x
 * bits), nobody can write it, whoever holds it. Where vm.memfd_noexec=2
 * (Linux 6.3+) forbids executing a memfd, the copy is an unnamed
 * O_TMPFILE file in /run (rootless: $XDG_RUNTIME_DIR), else /tmp, mode
 * 0511, our write handle closed: unsealable, but the kernel refuses to
 * open a file for writing while a process runs it (ETXTBSY), and the init
 * runs it as long as the container lives; and it is a copy of this run's
 * own: changing it changes no other run, nor the host's.
 */
#include "selfcopy.h"

#include <elf.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

int selfcopy_make(int exe)
{
	const char *dirs[] = {geteuid() == 0 ? "/run"
					     : getenv("XDG_RUNTIME_DIR"),
			      "/tmp"};
	struct stat st;
	off_t size;
	int fd;

	if (fstat(exe, &st) < 0) {
		warn("stat /proc/self/exe");
		return -1;
	}
	size = loaded_extent(exe, st.st_size);
	fd = memfd_copy(exe, size);
	if (fd >= 0)
		return fd;
	if (errno != EACCES) {
		warn("a sealed memfd copy of /proc/self/exe");
		return -1;
	}
	/* vm.memfd_noexec=2: an unnamed file then, where exec is allowed. */
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs) && fd < 0; i++)
		if (dirs[i])
			fd = tmpfile_copy(dirs[i], exe, size);
	if (fd < 0)
		warn("cannot make a private copy of this binary (memfd: "
		     "vm.memfd_noexec; an O_TMPFILE in /run or /tmp)");
	return fd;
}
