/*
 * 07-cgroups/cgroups.h - a cgroup of its own: CPU, memory and process limits.
 */
#ifndef CGROUPS_H
#define CGROUPS_H

#include "../06-net/net.h"

extern const struct lesson cgroups_lesson;

#endif
