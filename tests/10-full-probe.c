/*
 * tests/10-full-probe.c - makes, with harmless arguments, each system call
 * that 10-full's seccomp filter refuses, a few it allows, and numbers it
 * does not know, and prints "call ERRNO" (or "call ok"). Built static by
 * tests/10-full-seccomp.bats; it travels into the container through
 * stdin, so it runs in any rootfs. `probe i386` tries only the i386 door
 * (int $0x80), which some machines do not have at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/kcmp.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *call, long r)
{
	printf("%s %s\n", call, r < 0 ? strerrorname_np(errno) : "ok");
	fflush(stdout);
}

/* clone() and clone3() return twice: the child leaves at once. */
static long reap(long r)
{
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid(r, NULL, 0);
	return r;
}

static void *thread(void *arg) { return arg; }

/* The i386 door: int $0x80, where 20 is getpid. In a child: the filter
 * kills it (SIGSYS); a machine without the door kills it too (SIGSEGV). */
static void i386_getpid(void)
{
	long r;
	int st;
	pid_t p;

	if ((p = fork()) == 0) {
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		_exit(r == getpid() ? 0 : 1);
	}
	waitpid(p, &st, 0);
	printf("i386-getpid %s\n", WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) :
				   WEXITSTATUS(st) ? "failed" : "ok");
}

int main(int argc, char **argv)
{
	struct clone_args ca = {.exit_signal = SIGCHLD};
	struct io_uring_params up = {0};
	char c = 'x', got;
	struct iovec mine = {&got, 1}, other = {&c, 1};
	pthread_t t;
	int st, fd;
	pid_t p;

	if (argc > 1 && strcmp(argv[1], "i386") == 0) {
		i386_getpid();
		return 0;
	}

	say("mount", syscall(SYS_mount, NULL, NULL, NULL, 0, NULL));
	say("umount2", syscall(SYS_umount2, "/no-such-dir", 0));
	say("pivot_root", syscall(SYS_pivot_root, "/no-such", "/no-such"));
	say("setns", syscall(SYS_setns, -1, 0));
	/* The new mount API. open_tree without OPEN_TREE_CLONE is an
	 * O_PATH open that anyone may make: unfiltered, "ok". */
	say("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
	say("open_tree", syscall(SYS_open_tree, -100 /* AT_FDCWD */, "/", 0));
	say("move_mount", syscall(SYS_move_mount, -1, "", -1, "", 0));
	say("mount_setattr", syscall(SYS_mount_setattr, -1, "", 0, NULL, 0));
	/* In a child: if it works, only the child is in the new one. */
	if ((p = fork()) == 0)
		_exit(syscall(SYS_unshare, CLONE_NEWUSER) < 0 ? errno : 0);
	waitpid(p, &st, 0);
	errno = WEXITSTATUS(st);
	say("unshare", errno ? -1 : 0);
	say("clone-newuser", reap(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
	say("clone-newnet", reap(syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0)));
	say("clone", reap(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)));
	say("clone3", reap(syscall(SYS_clone3, &ca, sizeof(ca))));
	errno = pthread_create(&t, NULL, thread, NULL);
	say("pthread_create", errno ? -1 : pthread_join(t, NULL));
	/* stdin is /dev/null, not a terminal: unfiltered, ENOTTY. */
	say("ioctl-TIOCSTI", syscall(SYS_ioctl, 0, TIOCSTI, &c));
	say("ioctl-TIOCSTI-high-bits", syscall(SYS_ioctl, 0, (1UL << 32) | TIOCSTI, &c));
	say("ioctl-TCGETS", syscall(SYS_ioctl, 0, TCGETS, NULL));
	say("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, ~0UL));
	say("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0));
	say("init_module", syscall(SYS_init_module, NULL, 0, ""));
	say("finit_module", syscall(SYS_finit_module, -1, "", 0));
	say("delete_module", syscall(SYS_delete_module, "no_such_module", 0));
	say("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));
	say("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0));
	say("add_key", syscall(SYS_add_key, NULL, NULL, NULL, 0, 0));
	say("request_key", syscall(SYS_request_key, NULL, NULL, NULL, 0));
	say("bpf", syscall(SYS_bpf, -1, NULL, 0));
	say("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
	say("ptrace", syscall(SYS_ptrace, 2 /* PEEKDATA */, 0x3ffffff0, 0, 0));
	say("process_vm_readv", syscall(SYS_process_vm_readv, getpid(), &mine, 1, &other, 1, 0));
	say("process_vm_writev", syscall(SYS_process_vm_writev, getpid(), &mine, 1, &other, 1, 0));
	say("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
	say("swapon", syscall(SYS_swapon, NULL, 0));
	say("swapoff", syscall(SYS_swapoff, NULL));
	say("settimeofday", syscall(SYS_settimeofday, NULL, NULL));
	say("clock_settime", syscall(SYS_clock_settime, 0, NULL));
	say("adjtimex", syscall(SYS_adjtimex, NULL));
	say("clock_adjtime", syscall(SYS_clock_adjtime, 0, NULL));
	say("acct", syscall(SYS_acct, "/no-such-file"));
	say("userfaultfd", syscall(SYS_userfaultfd, 1 /* USER_MODE_ONLY */));
	say("x32-getpid", syscall(0x40000000 | SYS_getpid));
	i386_getpid();
	/* Calls the old denylist did not name. Each works on the host, for
	 * anyone: only the filter stops them in the container. */
	say("io_uring_setup", syscall(SYS_io_uring_setup, 1, &up));
	say("personality-ADDR_NO_RANDOMIZE", syscall(SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE));
	say("personality-PER_LINUX", syscall(SYS_personality, PER_LINUX));
	say("personality-query", syscall(SYS_personality, 0xffffffffUL));
	say("kcmp-pid1", syscall(SYS_kcmp, 1, getpid(), KCMP_FILE, 0, 0));
	say("kcmp-self", syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, 0, 0));
	fd = syscall(SYS_pidfd_open, 1, 0);
	say("pidfd_getfd-pid1", syscall(SYS_pidfd_getfd, fd, 0, 0));
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	say("pidfd_getfd-self", syscall(SYS_pidfd_getfd, fd, 0, 0));
	/* Linux 6.15: the headers of this C library may not name it. */
	say("open_tree_attr", syscall(467, AT_FDCWD, "/", 0, NULL, 0));
	/* vsock (40) knows no network namespace: a --net none container
	 * would reach the hypervisor and take the host's vsock ports. Other
	 * families stay usable. */
	say("socket-vsock", fd = syscall(SYS_socket, 40, SOCK_STREAM, 0));
	if (fd >= 0)
		close(fd);
	say("socket-inet", fd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
	if (fd >= 0)
		close(fd);
	/* The first number after the table (listns in Linux 6.19), and one
	 * far beyond: unknown to the filter. */
	say("syscall-470", syscall(470, -1, 0, 0, 0, 0, 0));
	say("syscall-1000", syscall(1000, -1, 0, 0, 0, 0, 0));
	/* Probed by libc, which falls back on ENOSYS (and only on ENOSYS). */
	say("faccessat2", syscall(439, AT_FDCWD, "/", X_OK, AT_EACCESS));
	say("fchmodat2", syscall(452, AT_FDCWD, "/no-such-file", 0755, 0));
	say("faccessat-libc", faccessat(AT_FDCWD, "/", X_OK, AT_EACCESS));
	return 0;
}
