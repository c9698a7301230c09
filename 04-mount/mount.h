/*
 * 04-mount/mount.h - a new mount namespace with its own /proc.
 */
#ifndef MOUNT_H
#define MOUNT_H

#include "../03-pid/pid.h"

extern const struct lesson mount_lesson;

#endif
