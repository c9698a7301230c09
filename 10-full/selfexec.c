/*
 * 10-full/selfexec.c - nothing in the container can reach the host's
 * `container` binary, nor the runtime's memory, argv and environment:
 * every runtime process inside runs the binary through a mount nobody
 * can write (or from a sealed copy), and the container's init is that
 * binary exec'd afresh, not dumpable.
 *
 * Claim: inside the container chown, chmod, setxattr and open-for-write
 *        of /proc/1/exe fail, /proc/1/environ and /proc/1/mem do not
 *        open, /proc/1/cmdline is "container-init" and the command; an
 *        image whose /bin/sh is "#!/proc/self/exe" runs the binary from
 *        a read-only overlay (as root) or a sealed copy; the host's
 *        binary keeps its owner, mode, xattrs and contents, as root and
 *        with --userns.   (tested in tests/10-full-exe.bats)
 * Uses:  03-pid (pid_init), 01-uts (exit codes, messages), selfcopy.c
 * Read:  fsopen(2), fsconfig(2), fsmount(2), the kernel's overlayfs.rst
 *        ("multiple lower layers": no upper, read-only), execveat(2),
 *        prctl(2) PR_SET_DUMPABLE, proc(5) /proc/pid/exe, ptrace(2)
 *        "Ptrace access mode checking"
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
 *    the init never runs the host's file through a writable mount:
 *    before clone(), `run` opens its binary through an overlayfs mount
 *    of its own (runc 1.2's answer): the binary's directory over an
 *    empty one, both lower layers, no upper layer. Such an overlay is
 *    read-only in itself, not by a mount flag that could be cleared (as
 *    a read-only bind mount's could): every write, chown, chmod or
 *    setxattr through it fails with EROFS. It is made with fsopen() and
 *    fsmount() and never attached: no path leads to it, only our fd and
 *    /proc/PID/exe of what runs from it. Nothing is copied: the page
 *    cache is the binary's own (a copy of 1 MB was 0.4 ms a run).
 *    Rootless (an overlay needs privilege), without overlayfs or
 *    fsopen() (Linux 5.2), or where the path cannot be a lower layer,
 *    selfcopy.c makes a sealed private copy instead, as runc does then.
 * 3. A clean init: not a clone of the runtime (/proc/PID/cmdline is
 *    readable by all), but the binary exec'd afresh, with argv
 *    "container-init CMD..." and the command's environment.
 *
 * Why the runtime itself need not re-exec (runc re-executes itself from
 * its copy; we used to, at 2 ms a run): nothing of the container ever
 * sees it. The runtime on the host is outside the container's PID
 * namespace. Its clone, the child that sets the container up, is PID 1
 * and alone in that namespace until, as its last act, it execs the
 * sealed binary: the first process of the container's own is forked by
 * the init, which already runs from it.
 */
#include "selfexec.h"
#include "selfcopy.h"

#include "../03-pid/pid.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where the binary is, split into its directory and name (in path, of
 * size PATH_MAX), if overlayfs can take that directory as a lower layer.
 * Returns the name, or NULL: a binary in "/" (every other directory is
 * below it: overlapping layers), or a path with ':' or a backslash,
 * which the lowerdir option reads as separators and escapes. */
static const char *split_exe(char *path)
{
	ssize_t n = readlink("/proc/self/exe", path, PATH_MAX - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash || slash == path || strpbrk(path, ":\\"))
		return NULL;
	*slash = '\0';
	return slash + 1;
}

/* overlay_view's mount, kept open until selfexec_release(): closing it
 * dissolves the private namespace fsmount() made for it, which waits for
 * an RCU grace period (0.4-0.6 ms at every start on this VM, perf sched:
 * synchronize_rcu_expedited <- namespace_unlock <- __fput), which at the
 * end of a run passes beside other work (release.c). */
static int view_mnt = -1;

/* exe (our binary, open) as seen through a private overlayfs mount with
 * its directory over empty, and no upper layer: read-only for good. The
 * mount is never attached anywhere. Returns an O_PATH fd of the binary
 * in it, or -1 (errno not meaningful: the caller copies instead). */
static int overlay_view(int exe, const char *empty)
{
	char dir[PATH_MAX], layers[2 * PATH_MAX + 1];
	const char *name = split_exe(dir);
	struct stat real, seen;
	int fs, mnt = -1, fd = -1;

	if (!name || strpbrk(empty, ":\\") ||
	    snprintf(layers, sizeof(layers), "%s:%s", dir, empty) >=
		    (int)sizeof(layers))
		return -1;
	fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	/* Two lower layers, as overlayfs wants without an upper one; xino
	 * off (Linux 4.17+, else ignored): inode numbers as they are, and
	 * no kernel log line when the layers are on two filesystems. */
	fsconfig(fs, FSCONFIG_SET_STRING, "xino", "off", 0);
	if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", layers, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto out;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY |
				       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (mnt < 0)
		goto out;
	fd = openat(mnt, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	/* The file there must be the one we run: a binary replaced since
	 * we started (a rebuild) is another program, which our init must
	 * not be. Overlayfs shows a lower file's own inode number. */
	if (fd >= 0 &&
	    (fstat(exe, &real) < 0 || fstat(fd, &seen) < 0 ||
	     real.st_ino != seen.st_ino || real.st_size != seen.st_size ||
	     real.st_mtim.tv_sec != seen.st_mtim.tv_sec ||
	     real.st_mtim.tv_nsec != seen.st_mtim.tv_nsec)) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0) {
		view_mnt = mnt; /* closed by selfexec_release() */
		mnt = -1;
	}
out:
	if (mnt >= 0)
		close(mnt);
	close(fs);
	return fd;
}

int selfexec_empty(const char *root)
{
	char empty[PATH_MAX];

	/* ROOT/empty: made once, and empty for good (selfexec.h). */
	snprintf(empty, sizeof(empty), "%s/%s", root, SELFEXEC_EMPTY);
	if (access(empty, F_OK) < 0 && mkdir(empty, 0755) < 0 &&
	    errno != EEXIST) {
		warn("mkdir %s", empty);
		return -1;
	}
	return 0;
}

int selfexec_copy(const char *root)
{
	char empty[PATH_MAX];
	int exe, fd = -1;

	if (selfexec_empty(root) < 0)
		return -1;
	snprintf(empty, sizeof(empty), "%s/%s", root, SELFEXEC_EMPTY);
	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0) {
		warn("open /proc/self/exe");
		return -1;
	}
	/* Only a privileged mounter may make an overlay here; anyone else
	 * (rootless), or any failure, gets a private copy instead. */
	if (geteuid() == 0)
		fd = overlay_view(exe, empty);
	if (fd < 0)
		fd = selfcopy_make(exe);
	close(exe);
	return fd;
}

void selfexec_close(int copy)
{
	if (copy >= 0)
		close(copy);
	if (view_mnt >= 0)
		close(view_mnt);
	view_mnt = -1;
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
