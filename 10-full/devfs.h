/*
 * 10-full/devfs.h - the special filesystems a container sees: a minimal
 * /dev, a /proc with its dangerous corners masked, and a read-only /sys.
 *
 * All three are called in the new mount namespace BEFORE pivot_root, with
 * paths inside the new root (merged/dev, merged/proc, merged/sys).
 *
 * Read: devpts in the kernel's Documentation/filesystems, proc(5),
 *       sysfs(5), mount(2); the OCI runtime spec's default masked paths
 */
#ifndef DEVFS_H
#define DEVFS_H

#include <sys/mount.h>
#include <sys/types.h>

/* First makes every mount under dev's parent nodev (recursively: the new
 * root, which must be a mount point, and the volumes in it), so that an
 * image or a volume cannot bring a device node that opens; call it after
 * the volumes are mounted. Then mounts a minimal /dev at dev (made if
 * missing; a symlink is refused): a tmpfs (nosuid, nodev, noexec,
 * mode=755) holding null zero full random urandom tty, each bind-mounted
 * from the host's node (so it also works rootless, where mknod is not
 * allowed); pts (a new devpts instance, ptmxmode=0666) and ptmx ->
 * pts/ptmx; shm (tmpfs); mqueue; the symlinks fd -> /proc/self/fd and
 * stdin/stdout/stderr -> /proc/self/fd/0..2. Returns 0 or -1. */
int devfs_mount(const char *dev);

/* Given a fresh procfs mounted at proc: binds dev_null over the masked
 * files (kcore, keys, timer_list, sched_debug, latency_stats, ...),
 * mounts an empty read-only tmpfs over the masked directories (acpi, scsi,
 * ...), and makes sys, sysrq-trigger, irq, bus and fs read-only, as the
 * OCI default spec does. Paths this kernel lacks are skipped. Returns 0
 * or -1. */
int procfs_harden(const char *proc, const char *dev_null);

/* Mounts a fresh sysfs at sys (made if missing), read-only (nosuid,
 * nodev, noexec), with firmware masked; under sys/fs/cgroup, read-only,
 * the host's cgroup2 tree, or (v1) the hierarchies of the controllers
 * named in joined (NULL-terminated: those the container has a cgroup of
 * its own in; through its cgroup namespace they show only its part of the
 * tree). Needs a network namespace of its own when in a user namespace.
 * Returns 0 or -1. */
int sysfs_mount_readonly(const char *sys, const char *const *joined);

/* Helpers shared by devfs.c and procfs.c; each says what failed. */
#define NOSUID_NODEV_NOEXEC (MS_NOSUID | MS_NODEV | MS_NOEXEC)
/* Puts dir/name into buf (PATH_MAX bytes). Returns 0, or -1 if too long. */
int devfs_join(char *buf, const char *dir, const char *name);
/* Makes path a directory if missing; refuses a symlink. Returns 0 or -1. */
int devfs_need_dir(const char *path, mode_t mode);
/* mount(2), saying what failed. Returns 0 or -1. */
int devfs_do_mount(const char *src, const char *dst, const char *type,
		   unsigned long flags, const char *data);
/* Makes the mount at path read-only, keeping its other flags (a user
 * namespace refuses a remount that drops a locked one). Returns 0 or -1. */
int devfs_remount_readonly(const char *path);

#endif
