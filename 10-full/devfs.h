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
 * nodev, noexec), with firmware masked; under sys/fs/cgroup, the host's
 * cgroup hierarchies mounted again, read-only (through the caller's
 * cgroup namespace, they show its own part of the tree). Needs a network
 * namespace of its own when in a user namespace. Returns 0 or -1. */
int sysfs_mount_readonly(const char *sys);

#endif
