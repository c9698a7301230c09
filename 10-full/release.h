/*
 * 10-full/release.h - what a finished container leaves to the kernel (its
 * mounts, the sealed binary's view) is let go by a thread, beside the
 * removal of its dir from the disk.
 *
 * Read: pthread_create(3), namespaces(7) (/proc/PID/ns/mnt)
 */
#ifndef RELEASE_H
#define RELEASE_H

#include "state.h"

#include <sys/types.h>

/* Parent, after clone(): holds the child's mount namespace, so that its
 * mounts outlive the container's last process until release_start().
 * Quiet: without it (no /proc), the last process tears them down. */
void release_hold_mounts(pid_t child);

/* Parent, in the foreground, once nothing of ours holds the write end
 * of PID 1's report pipe (report_fd: its read end, supervise.c): the
 * thread starts now, and removes overlayfs's volatile mark from st's
 * dir as soon as PID 1 has spoken (state_unlink_mark). Quiet: without
 * a thread, the end does it. */
void release_watch(int report_fd, struct state *st);

/* Once the container is gone: the thread (started now, or by
 * release_watch) closes the mount namespace and the sealed copy self_fd
 * (selfexec_close). Never fails: without a thread, here and now. */
void release_start(int self_fd);

/* Waits until release_watch's thread is done with st's dir (at once
 * without one). Call before removing the dir. */
void release_mark_wait(void);

/* Waits until the thread has let the container's mounts go (at once
 * without a thread: then they went with release_start, or with the
 * container). Call after release_start. */
void release_mounts_wait(void);

/* Waits for that thread. Call before returning from the run. */
void release_wait(void);

#endif
