/*
 * 10-full/musl.h - the system calls glibc 2.36 wraps and musl does not,
 * for building `container` with musl (10-full/Makefile says why).
 *
 * Read: syscall(2), statx(2), open_tree(2), move_mount(2),
 *       mount_setattr(2), fsopen(2), fsconfig(2), fsmount(2),
 *       execveat(2), rename(2) (renameat2), getdents64(2), scandir(3)
 *
 * The musl build compiles every file of 10-full, and of the lessons it
 * links, with this header first (-include, in the Makefile's CC), so that
 * none of their sources changes for it: each call below is the system
 * call itself, under the name the sources already use. Each wrapper is
 * ours (lesson_*), renamed with #define only after the C library's
 * headers are in: a musl that learns one of these calls (1.2.5 has statx
 * and renameat2) declares its own, and ours still wins without a clash.
 * The constants and structures come from the kernel's own headers
 * (linux/mount.h, linux/stat.h), which musl-gcc does not search: the
 * Makefile links them into the include path it gives.
 */
#ifndef LESSON_MUSL_H
#define LESSON_MUSL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/mount.h>
#ifndef STATX_BASIC_STATS /* a musl before 1.2.5: no struct statx */
#include <linux/stat.h>
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#endif

static inline int lesson_statx(int dirfd, const char *path, int flags,
			       unsigned int mask, struct statx *buf)
{
	return syscall(SYS_statx, dirfd, path, flags, mask, buf);
}

static inline int lesson_open_tree(int dirfd, const char *path,
				   unsigned int flags)
{
	return syscall(SYS_open_tree, dirfd, path, flags);
}

static inline int lesson_move_mount(int from_dirfd, const char *from_path,
				    int to_dirfd, const char *to_path,
				    unsigned int flags)
{
	return syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd,
		       to_path, flags);
}

static inline int lesson_mount_setattr(int dirfd, const char *path,
				       unsigned int flags,
				       struct mount_attr *attr, size_t size)
{
	return syscall(SYS_mount_setattr, dirfd, path, flags, attr, size);
}

static inline int lesson_fsopen(const char *fsname, unsigned int flags)
{
	return syscall(SYS_fsopen, fsname, flags);
}

static inline int lesson_fsconfig(int fd, unsigned int cmd, const char *key,
				  const void *value, int aux)
{
	return syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static inline int lesson_fsmount(int fd, unsigned int flags,
				 unsigned int attr_flags)
{
	return syscall(SYS_fsmount, fd, flags, attr_flags);
}

static inline int lesson_execveat(int dirfd, const char *path,
				  char *const argv[], char *const envp[],
				  int flags)
{
	return syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

static inline int lesson_renameat2(int olddirfd, const char *oldpath,
				   int newdirfd, const char *newpath,
				   unsigned int flags)
{
	return syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath,
		       flags);
}

/* glibc's getdents64() takes a plain buffer; musl's name is a macro for
 * its getdents(), which takes struct dirent *. */
static inline ssize_t lesson_getdents64(int fd, void *buf, size_t size)
{
	return syscall(SYS_getdents64, fd, buf, size);
}

/* scandir() of a directory named relative to dirfd, which musl lacks:
 * the entries filter() keeps (all if NULL), each a malloc()ed copy, in
 * compar()'s order. Returns how many, or -1 with errno set. */
static inline int lesson_scandirat(int dirfd, const char *path,
				   struct dirent ***names,
				   int (*filter)(const struct dirent *),
				   int (*compar)(const struct dirent **,
						 const struct dirent **))
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e, **list = NULL, **bigger;
	size_t n = 0, room = 0;
	int error;

	if (!dir) {
		error = errno;
		if (fd >= 0)
			close(fd);
		errno = error;
		return -1;
	}
	/* readdir()'s NULL is an error only if it set errno. */
	while ((errno = 0, e = readdir(dir))) {
		if (filter && !filter(e))
			continue;
		if (n == room) {
			room = room ? 2 * room : 16;
			bigger = realloc(list, room * sizeof(*list));
			if (!bigger)
				goto bad;
			list = bigger;
		}
		/* The entry as long as it is (d_reclen), not a whole
		 * struct dirent, which may reach past readdir()'s buffer. */
		if (!(list[n] = malloc(e->d_reclen)))
			goto bad;
		memcpy(list[n++], e, e->d_reclen);
	}
	if (errno)
		goto bad;
	closedir(dir);
	if (compar)
		qsort(list, n, sizeof(*list),
		      (int (*)(const void *, const void *))compar);
	*names = list;
	return n;
bad:
	error = errno ? errno : ENOMEM;
	while (n > 0)
		free(list[--n]);
	free(list);
	closedir(dir);
	errno = error;
	return -1;
}

/* Function-like, so that `struct statx` stays the kernel's. */
#define statx(...) lesson_statx(__VA_ARGS__)
#define open_tree(...) lesson_open_tree(__VA_ARGS__)
#define move_mount(...) lesson_move_mount(__VA_ARGS__)
#define mount_setattr(...) lesson_mount_setattr(__VA_ARGS__)
#define fsopen(...) lesson_fsopen(__VA_ARGS__)
#define fsconfig(...) lesson_fsconfig(__VA_ARGS__)
#define fsmount(...) lesson_fsmount(__VA_ARGS__)
#define execveat(...) lesson_execveat(__VA_ARGS__)
#define renameat2(...) lesson_renameat2(__VA_ARGS__)
#undef getdents64
#define getdents64(...) lesson_getdents64(__VA_ARGS__)
#define scandirat(...) lesson_scandirat(__VA_ARGS__)

#endif
