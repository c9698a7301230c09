/*
 * 09-overlay/overlay.h - an overlay of image layers as the root filesystem.
 */
#ifndef OVERLAY_H
#define OVERLAY_H

#include "../07-cgroups/cgroups.h"

extern const struct lesson overlay_lesson;

#endif
