/*
 * 10-full/release.c - the end of a run waits for the kernel twice: for
 * the container's mounts to go, and for the disk to discard the blocks of
 * the dirs we remove. A thread does the first while we do the second.
 *
 * Claim: everything a run mounted, and its dir on the disk, is gone when
 *        `container run` returns, as before (the leak check after every
 *        test in tests/10-full*.bats); the wait for the mounts is spent
 *        beside the disk's (make bench, the run row).
 * Uses:  selfexec.c (selfexec_close)
 * Read:  namespaces(7) (an open fd of /proc/PID/ns/mnt keeps it),
 *        pthread_create(3), and in the kernel: namespace_unlock(),
 *        kern_unmount_array() (synchronize_rcu_expedited)
 *
 * When the container's last process exits, its mount namespace goes with
 * it, inside that exit: ~30 mounts unmounted, and two RCU grace periods
 * waited for (the namespace's, and the overlay's own private mounts),
 * before its parent learns that it is gone: 0.2-0.3 ms of every run on
 * this VM (perf sched). An fd of the namespace, opened by the parent
 * after clone(), keeps the mounts until it is closed: the exit is quick,
 * and the thread here closes the fd while the main thread removes the
 * container's dir. The dirs the overlay still holds (upper/, work/) are
 * emptied and unlinked by the main thread; their blocks are freed, and
 * discarded, when the thread's close lets the overlay go. No process is
 * left in the namespace by then (the PID namespace ended with its PID 1),
 * so nothing of the container uses the mounts meanwhile (an fd it passed
 * out through a volume would: spare.c); the thread is waited for
 * before `container` returns, and a kill -9 closes the fd as any exit.
 * The sealed binary's view (selfexec.c) goes in the same thread: its
 * last close waits for two grace periods more.
 *
 * In the foreground the thread starts earlier, once the container is on
 * its way (release_watch), for a third wait of the disk's: overlayfs
 * marks a `volatile` mount with two dirs and a file in work/work
 * (incompat/volatile/dirty), which it only looks for when it mounts.
 * Removed at the end, they were two of the six dirs whose blocks the disk
 * discards there; removed while the command runs, once PID 1 says it
 * does (a byte readable on its report pipe, supervise.c: the sealed
 * copy's 'X', or --init's 'S' or 'F'; the overlay is mounted by then),
 * that wait is spent beside the container's own time. Without that word
 * (the container died before its command), the end removes them, as
 * before. Then, until the end begins, the thread removes the scratch
 * dirs that earlier runs left in ROOT/removing (spare.c): their disk's
 * wait too is spent beside the container's.
 */
#include "release.h"
#include "selfexec.h"
#include "spare.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

static int mnt_ns = -1; /* the container's mount namespace, or -1 */
static int self = -1;	/* the sealed copy */
static pthread_t thread;
static bool running;
/* release_watch(): PID 1's report pipe, and the container's dir. The
 * thread says when it is past the mark (marked), and waits for the go
 * (release_start) under the lock. */
static int report = -1;
static struct state *watched;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static bool marked, go, unmounted;

void release_hold_mounts(pid_t child)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)child);
	mnt_ns = open(path, O_RDONLY | O_CLOEXEC);
}

/* Whether the end has begun (release_start). */
static bool gone(void)
{
	bool g;

	pthread_mutex_lock(&lock);
	g = go;
	pthread_mutex_unlock(&lock);
	return g;
}

static void *release(void *arg)
{
	struct pollfd p = {.fd = report, .events = POLLIN};

	(void)arg;
	if (report >= 0) {
		/* Readable once PID 1 has spoken (the byte stays there
		 * for supervise_ran), or when it died without a word. */
		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
		if (p.revents & POLLIN)
			state_unlink_mark(watched);
		pthread_mutex_lock(&lock);
		marked = true;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
		/* And what earlier runs left to remove (spare.c), until the
		 * container ends: its end needs us then. */
		spare_remove_old(watched->root, gone);
		pthread_mutex_lock(&lock);
		while (!go)
			pthread_cond_wait(&changed, &lock);
		pthread_mutex_unlock(&lock);
	}
	if (mnt_ns >= 0)
		close(mnt_ns); /* the container's mounts go now */
	mnt_ns = -1;
	pthread_mutex_lock(&lock);
	unmounted = true;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	selfexec_close(self);
	self = -1;
	return NULL;
}

static void start(void)
{
	sigset_t all, old;

	/* No signal for the thread: they are the main thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	running = pthread_create(&thread, NULL, release, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void release_watch(int report_fd, struct state *st)
{
	if (running || report_fd < 0)
		return;
	report = report_fd;
	watched = st;
	start();
	if (!running)
		report = -1; /* the end removes the mark, as before */
}

void release_start(int self_fd)
{
	if (running && report >= 0) { /* watching since release_watch */
		pthread_mutex_lock(&lock);
		self = self_fd;
		go = true;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
		return;
	}
	if (running)
		return;
	self = self_fd;
	start();
	if (!running)
		release(NULL); /* here, then */
}

void release_mark_wait(void)
{
	if (!running || report < 0)
		return;
	pthread_mutex_lock(&lock);
	while (!marked)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
}

void release_mounts_wait(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	while (!unmounted)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
}

void release_wait(void)
{
	if (running)
		pthread_join(thread, NULL);
	running = false;
	report = -1;
}
