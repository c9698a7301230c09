/*
 * 05-user/user.h - a new user namespace: root inside, the caller outside.
 *
 * Read: user_namespaces(7), capabilities(7)
 */
#ifndef USER_H
#define USER_H

#include "../04-mount/mount.h"

/* One line of /proc/PID/uid_map: ids [inside, inside+count) in the
 * namespace are [outside, outside+count) outside it. */
struct user_map {
	unsigned inside, outside, count;
};

/* Parses "INSIDE:OUTSIDE:COUNT" (e.g. "0:1000:1"). Returns 0, or -1 after
 * saying why. */
int user_parse_map(const char *text, struct user_map *map);

/* Writes uid_map, then (denying setgroups first when we are not root, as
 * the kernel requires) gid_map of process pid. Returns 0 or -1. */
int user_write_maps(pid_t pid, const struct user_map *uid,
		    const struct user_map *gid);

/* In a user namespace whose maps are written: become its root (uid and
 * gid 0, and the parent-death signal set again), dropping supplementary
 * groups first if drop_groups (only allowed where setgroups is not denied,
 * i.e. when root made the namespace). Returns 0 or -1. */
int user_become_root(bool drop_groups);

/* True: always make a user namespace (the 05-user program). False (the
 * default): only when not root or when --userns is given, as 06-10 do. */
extern bool user_ns_always;

/* True when this run makes a user namespace (valid after parsing). */
bool user_ns_enabled(void);

/* CLONE_NEWUSER when enabled; the parent writes the maps while the child
 * waits. Options --uid-map, --gid-map, --userns. */
extern const struct lesson user_lesson;

#endif
