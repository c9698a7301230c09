/*
 * 10-full/release.h - what a finished container leaves to the kernel (its
 * mounts, the sealed binary's view) is let go by a thread, beside the
 * removal of its dir from the disk.
 *
 * Read: pthread_create(3), namespaces(7) (/proc/PID/ns/mnt)
 */
#ifndef RELEASE_H
#define RELEASE_H

#include <sys/types.h>

/* Parent, after clone(): holds the child's mount namespace, so that its
 * mounts outlive the container's last process until release_start().
 * Quiet: without it (no /proc), the last process tears them down. */
void release_hold_mounts(pid_t child);

/* Once the container is gone: a thread closes the mount namespace and the
 * sealed copy self_fd (selfexec_close). Never fails: without a thread,
 * here and now. */
void release_start(int self_fd);

/* Waits for that thread. Call before returning from the run. */
void release_wait(void);

#endif
