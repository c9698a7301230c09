/*
 * 10-full/devfs.h - the special filesystems a container sees: a minimal
 * /dev, a /proc with its dangerous corners masked, and a read-only /sys.
 *
 * All are called in the new mount namespace BEFORE pivot_root, with an
 * O_PATH fd of the new root (merged/): each target is opened inside it
 * at the moment it is mounted (resolve.c), and mounted through its fd
 * (mountfd.c), never through a path string.
 *
 * Read: devpts in the kernel's Documentation/filesystems, proc(5),
 *       sysfs(5), mount(2); the OCI runtime spec's default masked paths
 */
#ifndef DEVFS_H
#define DEVFS_H

#include <stdbool.h>
#include <sys/mount.h>
#include <sys/types.h>

/* First makes every mount under rootfd nodev (recursively: the new root,
 * which must be a mount point, and the volumes in it), so that an image
 * or a volume cannot bring a device node that opens; call it after the
 * volumes are mounted. Then mounts a minimal /dev (made if missing; a
 * symlink is refused): a tmpfs (nosuid, noexec, mode=755) holding null
 * zero full random urandom tty: with make_nodes (root, no user
 * namespace), made with mknod(2); else, or where mknod is refused (EPERM),
 * each bind-mounted read-only from the host's node on a nodev tmpfs
 * (rootless, --userns); pts (a new devpts instance, ptmxmode=0666) and
 * ptmx -> pts/ptmx; shm (tmpfs); mqueue; the symlinks fd -> /proc/self/fd
 * and stdin/stdout/stderr -> /proc/self/fd/0..2. Returns 0 or -1. */
int devfs_mount(int rootfd, bool make_nodes);

/* Mounts a fresh procfs of our PID namespace at /proc (made if missing; a
 * symlink is refused), then binds /dev/null over the masked files (kcore,
 * keys, timer_list, sched_debug, latency_stats, ...), mounts an empty
 * read-only tmpfs over the masked directories (acpi, scsi, ...), and makes
 * sys, sysrq-trigger, irq, bus and fs read-only, as the OCI default spec
 * does. Paths this kernel lacks are skipped. Returns 0 or -1. */
int procfs_mount(int rootfd);

/* Mounts a fresh sysfs at /sys (made if missing; a symlink is refused),
 * read-only (nosuid, nodev, noexec), with firmware masked; under
 * sys/fs/cgroup, read-only, the host's cgroup2 tree, or (v1) the
 * hierarchies of the controllers named in joined (NULL-terminated: those
 * the container has a cgroup of its own in; through its cgroup namespace
 * they show only its part of the tree). Needs a network namespace of its
 * own when in a user namespace. Returns 0 or -1. (sysfs.c) */
int sysfs_mount_readonly(int rootfd, const char *const *joined);

/* The host's cgroup hierarchies under /sys/fs/cgroup, as mountinfo
 * names them: mount point, type (cgroup or cgroup2), super options. */
#define SYSFS_MAX_HIERARCHIES 24
struct sysfs_cgroups {
	int n; /* how many; -1: not read yet */
	struct sysfs_hierarchy {
		char mp[128], type[8], super[512];
	} h[SYSFS_MAX_HIERARCHIES];
};

/* Finds the cgroup hierarchies the host mounts under /sys/fs/cgroup (in
 * /proc/self/mountinfo), for sysfs_mount_readonly. The runtime calls it
 * before clone(), and the child inherits what it found, or (in the
 * foreground, as root) after clone(), into memory it shares with the
 * child (sysfs_cgroups_in): read there, the host's mount table is a
 * short one, beside the child's setup; read by the child (which does so
 * when this was not called), it holds the child's 30 new mounts too,
 * overlayfs's long options among them (0.1 ms of its start, on the
 * machine of the README's "Speed"). Returns 0, or -1 after saying why.
 * (sysfs.c) */
int sysfs_find_cgroups(void);

/* From now on the table is t (marked not read yet), not sysfs.c's own:
 * memory the runtime shares with its child (netearly.h). (sysfs.c) */
void sysfs_cgroups_in(struct sysfs_cgroups *t);

/* Helpers shared by devfs.c, procfs.c and sysfs.c; each says what
 * failed. */
#define NOSUID_NODEV_NOEXEC (MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* Opens the runtime's own mount point name ("dev", "proc", "sys") in the
 * new root, made if missing. A symlink, or anything not a directory, is
 * refused: the image could point it anywhere. Returns an O_PATH fd, or -1
 * after saying why. */
int devfs_mount_point(int rootfd, const char *name);

/* Hides name (a path under the filesystem whose root is the fd dir; in
 * names that root for messages): the O_PATH fd null (a /dev/null) bound
 * read-only over a file, an empty read-only tmpfs over a directory; one
 * this kernel lacks is skipped. Never follows a symlink or leaves dir's
 * filesystem. Returns 0 or -1. (procfs.c) */
int procfs_mask(int dir, const char *in, const char *name, int null);

#endif
