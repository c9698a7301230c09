/*
 * 10-full/selfcopy.h - where the runtime's binary cannot be shown
 * through a read-only overlay (selfexec.c), a private copy of it that
 * nobody can write.
 *
 * Read: memfd_create(2), fcntl(2) F_ADD_SEALS, open(2) O_TMPFILE
 */
#ifndef SELFCOPY_H
#define SELFCOPY_H

/* A copy of the loaded part of exe (our own binary, open for reading): a
 * sealed memfd or, where vm.memfd_noexec forbids executing one, an
 * unnamed O_TMPFILE file in /run ($XDG_RUNTIME_DIR rootless) or /tmp,
 * read-only, mode 0511. Returns its fd (close-on-exec), or -1 after
 * saying why no copy could be made. */
int selfcopy_make(int exe);

#endif
