/*
 * 04-mount/mount.h - a new mount namespace, made private, with its own
 * /proc.
 *
 * Read: mount_namespaces(7), mount(2), proc(5)
 */
#ifndef MOUNT_H
#define MOUNT_H

#include "../03-pid/pid.h"

/* Marks every mount in our namespace private (MS_REC|MS_PRIVATE on "/"),
 * so nothing we mount propagates back to the host. Returns 0 or -1. */
int mount_make_private(void);

/* Mounts a fresh procfs at target (which must exist), showing the PID
 * namespace of the caller. Returns 0 or -1. */
int mount_proc(const char *target);

/* CLONE_NEWNS: private propagation, then a new /proc. */
extern const struct lesson mount_lesson;

#endif
