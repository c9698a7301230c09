/*
 * 10-full/netearly.c - a new network namespace costs 0.4-0.6 ms of the
 * kernel's time (the namespace's lo, its sysctls, IPv6): made by a thread
 * of ours while the main thread prepares the run, it is off the path that
 * a start waits for.
 *
 * Claim: `container run` (--net none, as root, no --userns) runs its
 *        command in a network namespace of its own with lo up, as
 *        before, and leaves nothing of it behind; the namespace is made
 *        beside the data root, the sweep, the note, the container's dir
 *        and cgroup, not in clone().   (tested in tests/10-full.bats,
 *        "the network namespace holds only lo, and lo is up"; make
 *        bench, the run row)
 * Uses:  06-net (its netlink requests), fdpass.c
 * Read:  unshare(2) CLONE_NEWNET, setns(2), namespaces(7) (/proc/PID/ns),
 *        pthread_create(3), pthread_attr_setaffinity_np(3),
 *        sched_getaffinity(2), sched_getcpu(3)
 *
 * A network namespace is a thing of its own: a process (or a thread:
 * each has its own set of namespaces) enters it with unshare(), and an
 * fd of /proc/thread-self/ns/net keeps it alive after the thread is gone.
 * The child, clone()d without CLONE_NEWNET, enters it with setns() in
 * child_namespaces, after its cgroup and hostname (child.c, step 15).
 * Nothing is left behind: the last fd closed (the child's, at its exec,
 * or ours after clone()) ends the namespace with the container, as
 * clone()'s would; a kill -9 closes every fd. Only where the runtime
 * itself may own the namespace: as root without --userns (with a user
 * namespace, the network namespace must be the container's root's;
 * clone() makes it), and not with --net bridge, whose cable the parent
 * plugs into the child's namespace before "go".
 *
 * On this machine (2 vCPUs, a VM), a start took 0.4 ms less wall time
 * for it when a second CPU was free (README, "Speed").
 *
 * In the foreground the child does not wait for the thread either: it is
 * clone()d at once, makes its root, /dev and /proc, and enters the
 * namespace only before its /sys (sysfs shows the interfaces of its
 * mounter's namespace), most of a millisecond later. By then the parent
 * has joined the thread and handed the fd over a socket
 * (netearly_hand_over, fdpass.c), with what else it made after clone()
 * meanwhile: the container's cgroup (its dirs, in memory the two share:
 * struct late) and the sealed copy of the runtime (selfexec.c). 0.3-0.4
 * ms off a start (README, "Speed").
 * -d and `start` still join before their fork (a fork()ed child would
 * have no thread to wait for).
 *
 * A child clone()d beside a live thread is a copy of a threaded process's
 * memory, glibc's included, and glibc's bookkeeping of its threads then
 * lies to it: its list still holds our thread, which does not exist in
 * the child. glibc's setgroups(), setresgid() and setresuid() wait for
 * every thread of that list to change its ids too, and one that was
 * still starting when the child was made never answers: with two CPU
 * hogs beside it, runs with -u hung in a futex (gdb: __nptl_setxid), when
 * an earlier pass tried this. So the child changes its ids with the
 * system calls themselves (runas.c). A lock the thread held at that
 * instant would stay held in the child just as well: the thread takes
 * none (system calls only: no malloc(), no stdio, not even a warning).
 */
#include "netearly.h"

#include "fdpass.h"
#include "../06-net/net.h"
#include "../06-net/netlink.h"

#include <err.h>
#include <errno.h>

#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* 64 KiB: net_link_up needs a few KiB of stack; not the default 8 MiB
 * (address space only, but a mapping to make and remove). */
#define THREAD_STACK (64 * 1024)

static pthread_t thread;
static bool started;
static int ns_fd = -1; /* written by the thread, read after the join */
static int pair[2] = {-1, -1}; /* netearly_defer: [0] ours, [1] the child's */
static struct late *late;      /* and the memory we share with the child */

/* The thread keeps off the main thread's CPU, before its work begins. The
 * kernel usually starts a new thread on its creator's CPU, and this one's
 * 0.5 ms of kernel work there took that CPU from the main thread (perf
 * sched: 0.64 ms a run of the main thread runnable but waiting, mostly
 * for this one), while the other CPU ran the last run's namespace
 * teardown or nothing. It used to move itself, with sched_setaffinity()
 * as its first call: that waited first for its turn on our CPU, then for
 * the move. Given in its attributes, the set is applied by us, the
 * creator, right after clone(), while the new thread waits on a lock
 * before its start function runs; and the kernel moves a thread that is
 * not running at once. Its unshare() began 0.23 ms sooner, and our wait
 * for it before clone() went from 0.29 ms to none (medians of a paired
 * trace, 300 runs each, on the machine of the README's "Speed"). Where we
 * may run on one CPU only, nothing changes. musl (10-full/Makefile) has
 * no such attribute: there we move the thread just after
 * pthread_create(), as glibc would have, but with no lock holding it
 * back. */
static bool other_cpus(cpu_set_t *set)
{
	int cpu = sched_getcpu();

	if (cpu < 0 || sched_getaffinity(0, sizeof(*set), set) < 0 ||
	    !CPU_ISSET(cpu, set))
		return false;
	CPU_CLR(cpu, set);
	return CPU_COUNT(set) > 0;
}

/* lo up, as net_link_up("lo") does, but without a word on failure. Its
 * index is 1 in every network namespace (the kernel's LOOPBACK_IFINDEX):
 * no lookup by name. Returns 0 or -1. */
static int lo_up_quietly(void)
{
	struct nl_request req;
	struct ifinfomsg *ifi = nl_begin(&req, RTM_NEWLINK, 0, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 1;
	ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	return nl_send(&req, NULL); /* NULL: quiet */
}

/* The thread: system calls only, and quietly. A child clone()d while it
 * runs gets a copy of our memory with whatever lock the thread held at
 * that instant held for good: so no malloc(), no stdio (a warning takes
 * stderr's lock). If it fails, whoever makes the namespace instead (the
 * child, or clone()) does it again and says what is wrong. */
static void *make_netns(void *arg)
{
	int fd;

	(void)arg;
	if (unshare(CLONE_NEWNET) < 0)
		return NULL;
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	/* A new namespace's lo is down: without it even 127.0.0.1 is
	 * unreachable. */
	if (lo_up_quietly() < 0) {
		close(fd);
		return NULL;
	}
	ns_fd = fd;
	return NULL;
}

void netearly_start(void)
{
	pthread_attr_t attr;
	cpu_set_t set;
	bool move;

	if (started || pthread_attr_init(&attr) != 0)
		return;
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	move = other_cpus(&set);
#ifdef __GLIBC__
	if (move)
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
#endif
	started = pthread_create(&thread, &attr, make_netns, NULL) == 0;
#ifndef __GLIBC__
	if (started && move)
		pthread_setaffinity_np(thread, sizeof(set), &set);
#endif
	pthread_attr_destroy(&attr);
}

int netearly_join(void)
{
	int fd = ns_fd;

	if (started) {
		pthread_join(thread, NULL);
		started = false;
		fd = ns_fd;
	}
	ns_fd = -1; /* the caller's now */
	return fd;
}

struct late *netearly_defer(void)
{
	void *mem;

	if (!started || late)
		return NULL;
	/* Zeros, and shared with the child across clone() (not a copy). */
	mem = mmap(NULL, sizeof(*late), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return NULL; /* then joined before clone(), as before */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		munmap(mem, sizeof(*late));
		return NULL;
	}
	late = mem;
	late->sock = pair[1];
	return late;
}

void netearly_share_cgroup(const struct cgroup *cg)
{
	/* What cgroup_enter() and cgroup_enter_controllers() read: a few
	 * pages of the 32 KiB struct, not all of it. */
	late->cgroup.ndirs = cg->ndirs;
	for (int i = 0; i < cg->ndirs; i++)
		strcpy(late->cgroup.dir[i], cg->dir[i]);
	memcpy(late->cgroup.of, cg->of, sizeof(cg->of));
	late->has_cgroup = true;
}

int netearly_hand_over(int self_fd)
{
	int fd = netearly_join(), ret;

	close(pair[1]); /* the child's end: its copy is the child's */
	/* The namespace, or a word without it: make your own; then the
	 * sealed copy of the runtime. */
	ret = fdpass_send(pair[0], fd);
	if (ret == 0)
		ret = fdpass_send(pair[0], self_fd);
	if (ret < 0 && errno == EPIPE)
		ret = 0; /* the child is gone: it said why, and we learn it */
	else if (ret < 0)
		warn("hand the network namespace to the container");
	close(pair[0]);
	pair[0] = pair[1] = -1;
	if (fd >= 0)
		close(fd);
	return ret;
}

void netearly_finish(void)
{
	int fd = netearly_join(); /* -1 once someone took it */

	for (int i = 0; i < 2; i++)
		if (pair[i] >= 0)
			close(pair[i]);
	pair[0] = pair[1] = -1;
	if (fd >= 0)
		close(fd);
	/* The shared memory stays mapped until we exit: an munmap() now,
	 * at the end of a run, makes the kernel flush the other CPU's TLB
	 * (our release thread runs there), 0.02 ms of every --rm run's end;
	 * an exit tears the whole address space down without it. */
	late = NULL;
}

int netearly_enter(int sock, int *self_fd)
{
	int fd, self, n = fdpass_recv(sock, &fd);

	if (n == 1 && fdpass_recv(sock, &self) == 1 && self >= 0) {
		*self_fd = self;
	} else if (n == 1) {
		n = 0;
		if (fd >= 0)
			close(fd);
	}
	close(sock);
	if (n != 1) {
		warnx("the runtime went away before it handed over the "
		      "network namespace");
		return -1;
	}
	if (fd < 0) {
		/* The thread could not: we make it, and say why not. */
		if (unshare(CLONE_NEWNET) < 0) {
			warn("unshare(CLONE_NEWNET)");
			return -1;
		}
		return net_link_up("lo");
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		warn("setns(CLONE_NEWNET)");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
