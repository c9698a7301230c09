/*
 * 08-chroot/chroot.h - a root filesystem of its own: chroot(2) or pivot_root(2).
 */
#ifndef CHROOT_H
#define CHROOT_H

#include "../07-cgroups/cgroups.h"

extern const struct lesson chroot_lesson;

#endif
