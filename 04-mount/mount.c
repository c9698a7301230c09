/*
 * 04-mount/mount.c - a new mount namespace, made private, with its own /proc.
 *
 * Claim: inside clone(CLONE_NEWNS|CLONE_NEWPID) a fresh procfs on /proc
 *        shows only the container's processes (`ps -e` lists the command
 *        alone), and that mount never reaches the host: its mountinfo is
 *        the same before, during and after, even where "/" is shared.
 *        (tested in tests/04-mount.bats)
 * Uses:  03-pid (the PID namespace the new /proc shows), 01-uts (the run)
 * Read:  mount_namespaces(7), mount(2) (MS_PRIVATE, MS_REC), proc(5),
 *        Documentation/filesystems/sharedsubtree.rst
 *
 * clone(CLONE_NEWNS) gives the child a copy of our mount table. The copy is
 * not enough on its own: every mount also has a propagation type, and a
 * mount that is "shared" forwards mount and unmount events to its peers --
 * and the copies in a new namespace ARE its peers. systemd makes "/" (and
 * so everything below it) shared at boot, so on most hosts the notes'
 *
 *	mount -t proc proc /proc
 *
 * run in a "new" mount namespace propagates to the host's /proc: the host
 * gets a procfs of a dead PID namespace stacked on its own (ps shows
 * nothing, and it stays after the container is gone). The notes never
 * meet this because their test machine is not systemd. Docker, runc,
 * unshare(1) and bwrap all start with the same step we do: mark every
 * mount private (or slave), recursively, before mounting anything.
 */
#include "mount.h"

#include <sched.h>
#include <stddef.h>
#include <sys/mount.h>

int mount_make_private(void)
{
	/* Changes only the propagation type: source, fstype and data are
	 * ignored. MS_REC walks every mount under "/", not just "/". */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		warn("make / private (mount --make-rprivate /)");
		return -1;
	}
	return 0;
}

int mount_proc(const char *target)
{
	/* A procfs shows the PID namespace of the process that mounts it,
	 * so this must run in the child, after clone(CLONE_NEWPID). The
	 * flags are the ones every distribution uses for /proc. */
	if (mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0) {
		warn("mount proc on %s", target);
		return -1;
	}
	return 0;
}

/* First thing in the new mount namespace: cut it off from the host's
 * mount events, in both directions, before any lesson mounts anything. */
static int mount_child_ns(void)
{
	return mount_make_private();
}

/* Runs after 08/09 got the new root ready and before they switch to it,
 * so /proc is mounted at lesson_path("/proc"): ROOTFS/proc then, plain
 * /proc without them. Before the switch, because a user namespace (05)
 * may mount a proc only while the host's is still in sight (see 01-uts's
 * lesson.c). Without 08/09 the host's /proc is hidden underneath, not
 * unmounted: it goes when the namespace goes, with its last process. */
static int mount_child_fs(void)
{
	const char *proc = lesson_path("/proc");

	return proc ? mount_proc(proc) : -1;
}

const struct lesson mount_lesson = {
	.name = "04-mount",
	.summary = "a new mount namespace, made private, with its own /proc",
	.prev = &pid_lesson,
	.clone_flags = CLONE_NEWNS,
	.child_ns = mount_child_ns,
	.child_fs = mount_child_fs,
};
