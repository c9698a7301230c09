/*
 * 10-full/resolve.c - open a path inside the container's root, now, as the
 * container will see it, and never outside that root.
 *
 * Claim: no mount target, however the image or an earlier volume sets
 *        its symlinks, is created or mounted outside the container's root:
 *        a symlink is followed only inside the root, as the container
 *        would follow it.   (tested in tests/10-full-mounts.bats)
 * Uses:  nothing but libc
 * Read:  openat2(2) (RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS),
 *        path_resolution(7), symlink(7)
 *
 * The runtime is root on the host, and mounts before pivot_root: a path
 * string such as "merged/a/link/foo" given to mount(2) or mkdir(2) is
 * resolved by the kernel at that moment, with the HOST's "/" as root. If
 * link is a symlink to /tmp/victim, the host's /tmp/victim/foo is made
 * and mounted on. Checking the path first (rootfs.c does, against the
 * image) is not enough: a volume mounted after the check brings its own
 * symlinks, and a container can change them while another one starts (a
 * check-then-use race: runc's CVE-2021-30465). So every target is opened
 * here, at the moment it is mounted, into an fd; the mount goes through
 * the fd (mountfd.c), and the fd is what was checked.
 *
 * openat2(RESOLVE_IN_ROOT) does it in the kernel (Linux 5.6). Without it
 * (an older kernel, or an older seccomp profile that does not list it
 * and answers EPERM or ENOSYS), the walk below does the same in user space: one
 * component at a time, openat(O_PATH | O_NOFOLLOW) relative to the fd of
 * the directory above, so that the kernel never follows a link for us; a
 * symlink is read through its own fd and its text is walked again from
 * the root or from where it is. ".." pops our own stack of fds instead of
 * asking the kernel, so it cannot climb out, even if a directory is moved
 * meanwhile.
 */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_LINKS 40 /* as the kernel: more is a loop (ELOOP) */
#define MAX_DEPTH 64 /* directories deep; deeper is ENAMETOOLONG */

int resolve_same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The kernel's way. Returns the fd, or -1 with errno (ENOSYS: walk). */
static int in_root_openat2(int rootfd, const char *path, int flags)
{
	struct open_how how = {
	    .flags = O_PATH | O_CLOEXEC,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	static int missing; /* openat2 refused once: do not ask again */
	int fd = -1;

	if (missing) {
		errno = ENOSYS;
		return -1;
	}
	if (flags & IN_ROOT_NO_SYMLINKS)
		how.resolve |= RESOLVE_NO_SYMLINKS;
	if (flags & IN_ROOT_NO_XDEV)
		how.resolve |= RESOLVE_NO_XDEV;
	/* EAGAIN: a rename elsewhere raced with a ".." of ours, and the
	 * kernel will not vouch for the result; asking again is safe. */
	for (int i = 0; i < 16; i++) {
		/* Raw syscall: glibc has no openat2() wrapper. */
		fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	/* EPERM: a seccomp filter that does not know openat2. */
	if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
		missing = 1;
		errno = ENOSYS;
	}
	return fd;
}

/* Makes name in the directory dirfd: a directory, or with file an empty
 * file. Never follows a symlink: O_EXCL | O_NOFOLLOW, and mkdirat() does
 * not follow a last component. One that exists already is fine: the
 * caller opens it again with O_NOFOLLOW and looks at what it is. */
static int make(int dirfd, const char *name, int file)
{
	int fd;

	if (!file)
		return mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST ? -1
									 : 0;
	fd = openat(dirfd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	return fd < 0 && errno != EEXIST ? -1 : 0;
}

/* The user-space way, which can also make what is missing. */
static int in_root_walk(int rootfd, const char *path, int flags)
{
	char rest[PATH_MAX], link[PATH_MAX], spliced[PATH_MAX];
	char name[NAME_MAX + 1];
	int dirs[MAX_DEPTH], depth = 0, links = 0, fd = -1, last;
	size_t p = 0, len;
	struct stat root_st, st;
	ssize_t n;

	if (fstat(rootfd, &root_st) < 0)
		return -1;
	if (strlen(path) >= sizeof(rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(rest, path);
	dirs[0] = rootfd; /* dirs[0..depth]: where we are, root first */
	for (;;) {
		p += strspn(rest + p, "/");
		len = strcspn(rest + p, "/");
		if (len == 0)
			break;
		if (len > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto bad;
		}
		memcpy(name, rest + p, len);
		name[len] = '\0';
		p += len;
		last = rest[p + strspn(rest + p, "/")] == '\0';
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) { /* "/.." is "/", as inside */
			if (depth)
				close(dirs[depth--]);
			continue;
		}
		fd = openat(dirs[depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT &&
		    (flags & (IN_ROOT_MKDIR | IN_ROOT_MKFILE))) {
			if (make(dirs[depth], name,
				 last && (flags & IN_ROOT_MKFILE)) < 0)
				goto bad;
			fd = openat(dirs[depth], name,
				    O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0 || fstat(fd, &st) < 0)
			goto bad;
		if ((flags & IN_ROOT_NO_XDEV) && st.st_dev != root_st.st_dev) {
			errno = EXDEV;
			goto bad;
		}
		if (S_ISLNK(st.st_mode)) {
			if ((flags & IN_ROOT_NO_SYMLINKS) ||
			    ++links > MAX_LINKS) {
				errno = ELOOP;
				goto bad;
			}
			/* The link we opened, not whatever the name holds
			 * now; its text is walked, never handed to the
			 * kernel (so a magic link is just text). */
			n = readlinkat(fd, "", link, sizeof(link) - 1);
			if (n < 0)
				goto bad;
			link[n] = '\0';
			close(fd);
			fd = -1;
			if (link[0] == '/')
				while (depth)
					close(dirs[depth--]);
			if ((size_t)snprintf(spliced, sizeof(spliced), "%s/%s",
					     link,
					     rest + p) >= sizeof(spliced)) {
				errno = ENAMETOOLONG;
				goto bad;
			}
			strcpy(rest, spliced);
			p = 0;
			continue;
		}
		if (!last && !S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			goto bad;
		}
		if (depth + 1 == MAX_DEPTH) {
			errno = ENAMETOOLONG;
			goto bad;
		}
		dirs[++depth] = fd;
		fd = -1;
	}
	if (depth == 0) /* the root itself: a fd of our own */
		return openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	fd = dirs[depth--];
	while (depth)
		close(dirs[depth--]);
	return fd;
bad:
	n = errno;
	if (fd >= 0)
		close(fd);
	while (depth)
		close(dirs[depth--]);
	errno = n;
	return -1;
}

int resolve_in_root(int rootfd, const char *path, int flags)
{
	int fd = in_root_openat2(rootfd, path, flags);

	/* The kernel found it, or refused it for a reason the walk would
	 * find too (ELOOP, EXDEV, ENOTDIR...). ENOENT with a MK flag: the
	 * walk makes what is missing, just as safely. */
	if (fd >= 0 ||
	    (errno != ENOSYS &&
	     !(errno == ENOENT && (flags & (IN_ROOT_MKDIR | IN_ROOT_MKFILE)))))
		return fd;
	return in_root_walk(rootfd, path, flags);
}
