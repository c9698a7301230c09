/*
 * 09-overlay/layers.h - the directories of one overlay, checked before
 * anything is made (layers.c). Internal to 09-overlay.
 */
#ifndef LAYERS_H
#define LAYERS_H

#include <limits.h>
#include <stdbool.h>

/* mount(2) copies at most one page of options. */
#define OVERLAY_MAX_OPTIONS 4096
/* fs/overlayfs: OVL_MAX_STACK lower layers, the rootfs included. */
#define OVERLAY_MAX_LOWERS 500

/* The mount points: OVERLAY_MERGED-PID-START, one per run. */
#define OVERLAY_MERGED "/tmp/lesson-merged"

struct overlay_dirs {
	char lowers[OVERLAY_MAX_OPTIONS]; /* "L1:...:ROOTFS", absolute paths */
	char upper[PATH_MAX];
	char work[PATH_MAX];   /* UPPER.work-PID-START, made by the parent */
	char merged[PATH_MAX]; /* OVERLAY_MERGED-PID-START, the mount point */
	bool made_work, made_merged;
};

/* Resolves and checks rootfs (NULL: build/rootfs next to this program),
 * the ':'-separated layers (may be NULL) and upper, and fills d. Says what
 * is wrong and returns -1 for a missing layer, an upper dir on a
 * filesystem overlayfs cannot write to, overlapping dirs, too many layers.
 * Creates nothing. */
int overlay_plan(const char *rootfs, const char *layers, const char *upper,
		 struct overlay_dirs *d);

/* Removes the work dir (and what overlayfs left in it) and the mount point,
 * if they were made. */
void overlay_unplan(struct overlay_dirs *d);

/* Removes a work dir and what overlayfs left in it. Returns 0 or -1. */
int overlay_remove_work(const char *work);

/* Takes the upper dir for this run: a second run on the same upper dir is
 * refused, naming the first. Returns 0, or -1 after saying so (upper.c). */
int overlay_lock_upper(const char *upper);

/* Removes the mount points and work dirs (next to d->upper) that runs of
 * our user killed with SIGKILL left behind, and says so (upper.c). */
void overlay_sweep(const struct overlay_dirs *d);

#endif
