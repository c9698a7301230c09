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

struct overlay_dirs {
	char lowers[OVERLAY_MAX_OPTIONS]; /* "L1:...:ROOTFS", absolute paths */
	char upper[PATH_MAX];
	char work[PATH_MAX];   /* UPPER.work-PID, made by the parent */
	char merged[PATH_MAX]; /* /tmp/lesson-merged-PID, the mount point */
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

#endif
