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
 * left in the namespace by then (the PID namespace ended with its init),
 * so nothing can use the mounts meanwhile; the thread is waited for
 * before `container` returns, and a kill -9 closes the fd as any exit.
 * The sealed binary's view (selfexec.c) goes in the same thread: its
 * last close waits for two grace periods more.
 */
#include "release.h"
#include "selfexec.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

static int mnt_ns = -1; /* the container's mount namespace, or -1 */
static int self = -1;	/* the sealed copy */
static pthread_t thread;
static bool running;

void release_hold_mounts(pid_t child)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)child);
	mnt_ns = open(path, O_RDONLY | O_CLOEXEC);
}

static void *release(void *arg)
{
	(void)arg;
	if (mnt_ns >= 0)
		close(mnt_ns); /* the container's mounts go now */
	selfexec_close(self);
	mnt_ns = self = -1;
	return NULL;
}

void release_start(int self_fd)
{
	sigset_t all, old;

	if (running)
		return;
	self = self_fd;
	/* No signal for the thread: they are the main thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	running = pthread_create(&thread, NULL, release, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!running)
		release(NULL); /* here, then */
}

void release_wait(void)
{
	if (running)
		pthread_join(thread, NULL);
	running = false;
}
