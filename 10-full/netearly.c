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
 * Uses:  06-net (net_link_up)
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
 * The thread is always joined before clone(), though the child could
 * enter the namespace as late as its /sys mount, a millisecond later
 * (tried, and taken out: the fd sent over a socket instead, 0.04-0.07 ms
 * a start faster). A child clone()d beside a live thread is a copy of a
 * threaded process's memory, glibc's included, and glibc's bookkeeping of
 * its threads then lies to it: its list still holds our thread, which
 * does not exist in the child. glibc's setgroups(), setresgid() and
 * setresuid() (runas.c, for -u) wait for every thread of that list to
 * change its ids too, and one that was still starting when the child was
 * made never answers: with two CPU hogs beside it, runs with -u hung in a
 * futex (gdb: __nptl_setxid). A lock the thread held at that instant
 * (malloc's, stdio's) would stay held in the child just as well. glibc's
 * fork() repairs its own state for its child; a raw clone() does not, and
 * our child calls much that is not async-signal-safe (all that POSIX
 * allows even after fork() in a threaded process). One thread at clone()
 * time keeps it safe.
 */
#include "netearly.h"

#include "../06-net/net.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <unistd.h>

/* 64 KiB: net_link_up needs a few KiB of stack; not the default 8 MiB
 * (address space only, but a mapping to make and remove). */
#define THREAD_STACK (64 * 1024)

static pthread_t thread;
static bool started;
static int ns_fd = -1; /* written by the thread, read after the join */

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
 * may run on one CPU only, nothing changes. */
static void keep_off_main_cpu(pthread_attr_t *attr)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0 || sched_getaffinity(0, sizeof(set), &set) < 0 ||
	    !CPU_ISSET(cpu, &set))
		return;
	CPU_CLR(cpu, &set);
	if (CPU_COUNT(&set) > 0)
		pthread_attr_setaffinity_np(attr, sizeof(set), &set);
}

/* The thread: quietly, since clone() then does the work again and says
 * what is wrong (unshare and clone fail alike). */
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
	 * unreachable (net_link_up says why, if it fails). */
	if (net_link_up("lo") < 0) {
		close(fd);
		return NULL;
	}
	ns_fd = fd;
	return NULL;
}

void netearly_start(void)
{
	pthread_attr_t attr;

	if (started || pthread_attr_init(&attr) != 0)
		return;
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	keep_off_main_cpu(&attr);
	started = pthread_create(&thread, &attr, make_netns, NULL) == 0;
	pthread_attr_destroy(&attr);
}

int netearly_join(void)
{
	if (started) {
		pthread_join(thread, NULL);
		started = false;
	}
	return ns_fd;
}
