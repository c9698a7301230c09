/*
 * 10-full/harden.c - what the container's first process gives up before it
 * runs anything from the image: capabilities, the right to gain privileges,
 * and file descriptors it inherited from the host.
 *
 * Claim: inside the container /proc/self/status shows CapBnd and CapEff
 *        00000000a00425fb (Docker's default set without CAP_MKNOD), CapInh
 *        and CapAmb 0, NoNewPrivs 1, and only fds 0-2 are open, even when
 *        the host left others open.   (tested in tests/10-full.bats)
 * Uses:  nothing but libc and the kernel's UAPI headers
 * Read:  capabilities(7), prctl(2) PR_CAPBSET_DROP PR_CAP_AMBIENT
 *        PR_SET_NO_NEW_PRIVS, capget(2), close_range(2)
 *
 * Root inside a PID, mount and network namespace is still the host's
 * root: the kernel checks capabilities, not uid 0, and root holds them
 * all. A process has five sets of them. Effective is what the kernel checks
 * now; permitted is what it may make effective; inheritable and ambient
 * are what it may pass through execve(); the bounding set is the ceiling
 * on what any execve() can ever grant again, even for a setuid-root or
 * file-capability binary. We cut the bounding set first (it needs
 * CAP_SETPCAP, which we keep), clear ambient and inheritable so that
 * nothing rides through execve() on the side, and then set permitted and
 * effective to the same short list. When the command then execs as uid 0,
 * the kernel gives it exactly the bounding set, no more.
 *
 * The list is Docker's default, the set that years of images have been
 * tested against, minus CAP_MKNOD. Docker keeps MKNOD and pays for it with
 * a device cgroup: a container may create /dev/sda, so the devices
 * controller must stop it from opening it. Without CAP_MKNOD nobody in the
 * container can make a device node at all, and devfs.c mounts the image
 * and the volumes nodev, so none can be brought in either: the only nodes
 * that open are the six devfs.c made (or bound) in /dev. No device cgroup
 * is needed (and cgroup v2 has none without BPF). Everything dropped
 * (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, SYS_TIME, ...) is what
 * an escape needs.
 *
 * no_new_privs is a one-way bit: once set, execve() never raises
 * privileges again (setuid bits and file capabilities are ignored), and
 * it is inherited by every child. seccomp.c needs it set first.
 *
 * An fd is a capability too: a descriptor for a host directory, a socket
 * or a terminal opened before clone() survives pivot_root and execve()
 * unless it was close-on-exec, and an fd of a host directory is a way out
 * of any chroot (openat(fd, "..")). So every fd above 2 is closed.
 */
#include "harden.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BIT(cap) ((uint64_t)1 << (cap))

/* Docker's default capabilities, without CAP_MKNOD: 0xa00425fb. */
static const uint64_t keep =
	BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) |
	BIT(CAP_FOWNER) | BIT(CAP_NET_RAW) | BIT(CAP_SETGID) |
	BIT(CAP_SETUID) | BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) |
	BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SYS_CHROOT) | BIT(CAP_KILL) |
	BIT(CAP_AUDIT_WRITE);

/* Drops from the bounding set every capability this kernel knows that is
 * not in keep. Returns 0 or -1. */
static int drop_bounding_set(void)
{
	for (int cap = 0; cap < 64; cap++) {
		if (keep & BIT(cap))
			continue;
		/* EINVAL past the kernel's last capability: the loop needs
		 * no table of how many exist (every kept one is older). */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;
			warn("prctl(PR_CAPBSET_DROP, %d)", cap);
			return -1;
		}
	}
	return 0;
}

int harden_capabilities(void)
{
	struct __user_cap_header_struct head = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	uint64_t permitted, want;

	if (drop_bounding_set() < 0)
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		warn("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
		return -1;
	}
	/* glibc has no wrapper for capget(2)/capset(2) (libcap does). */
	if (syscall(SYS_capget, &head, data) < 0) {
		warn("capget");
		return -1;
	}
	/* capset may only shrink permitted: keep what we have of the list. */
	permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
	want = keep & permitted;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		data[i].permitted = (uint32_t)(want >> 32 * i);
		data[i].effective = data[i].permitted;
		data[i].inheritable = 0;
	}
	if (syscall(SYS_capset, &head, data) < 0) {
		warn("capset");
		return -1;
	}
	return 0;
}

/* The per-user budgets a container's root shares with the host's root
 * (it is the host's uid 0, or, with --userns, charged to it as the
 * namespace's owner): how much of each it may take. The kernel counts
 * each per user and checks the count against the limit of the process
 * that takes more, so these cap the container's share, not the host's. */
static const struct {
	int resource;
	rlim_t most;
	const char *name;
} budgets[] = {
	/* Signals queued and not yet taken, and POSIX timers (each holds
	 * one in reserve): the host's root had 96365 on the VM of the
	 * README, and a container took them all, so that the host's
	 * timer_create() and sigqueue() failed with EAGAIN. */
	{RLIMIT_SIGPENDING, 4096, "RLIMIT_SIGPENDING"},
	/* POSIX message queues' bytes: 800 KiB for the user, all taken by
	 * 12 queues in a container, after which the host's mq_open()
	 * failed (EMFILE). 256 KiB: three queues of the default size. */
	{RLIMIT_MSGQUEUE, 256 * 1024, "RLIMIT_MSGQUEUE"},
};

int harden_rlimits(void)
{
	struct rlimit r;

	for (size_t i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
		if (getrlimit(budgets[i].resource, &r) < 0) {
			warn("getrlimit(%s)", budgets[i].name);
			return -1;
		}
		/* Lowered only: a lower limit set for the caller stays. */
		if (r.rlim_max > budgets[i].most)
			r.rlim_max = budgets[i].most;
		if (r.rlim_cur > r.rlim_max)
			r.rlim_cur = r.rlim_max;
		if (setrlimit(budgets[i].resource, &r) < 0) {
			warn("setrlimit(%s)", budgets[i].name);
			return -1;
		}
	}
	return 0;
}

int harden_no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		warn("prctl(PR_SET_NO_NEW_PRIVS)");
		return -1;
	}
	return 0;
}

/* The fallback for kernels before 5.9: close what /proc/self/fd lists,
 * but keep. Returns 0 or -1. */
static int close_fds_by_walking(int first, int keep)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d) {
		warn("opendir /proc/self/fd");
		return -1;
	}
	/* Closing an fd while reading the directory is safe: procfs builds
	 * each entry from the fd table as it goes. */
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (fd >= first && fd != dirfd(d) && fd != keep)
			close(fd);
	}
	closedir(d);
	return 0;
}

int harden_close_fds(int first, int keep)
{
	/* Raw syscall: glibc before 2.34 has no close_range(). Two ranges,
	 * around keep. */
	if ((keep <= first ||
	     syscall(SYS_close_range, first, keep - 1, 0) == 0) &&
	    syscall(SYS_close_range, keep < first ? first : keep + 1, ~0U,
		    0) == 0)
		return 0;
	if (errno != ENOSYS) {
		warn("close_range");
		return -1;
	}
	return close_fds_by_walking(first, keep);
}
