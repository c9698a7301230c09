/*
 * 10-full/hosts.h - `--net bridge`: the container's /etc/hostname,
 * /etc/hosts and /etc/resolv.conf, files of its own on the host,
 * bind-mounted over the image's, as docker does.
 *
 *   ROOT/containers/ID/hostname, hosts, resolv.conf
 *
 * Read: hosts(5), resolv.conf(5), hostname(5)
 */
#ifndef HOSTS_H
#define HOSTS_H

#include "bridge.h"

#include <stdbool.h>

/* The names of the three files, in the container's dir and in /etc. */
extern const char *const hosts_files[3];

/* Writes text over ROOT/containers/ID/name in place (the inode a bind
 * mount holds stays: hosts.c says why); creates it only with create.
 * Returns 0, or -1 (quietly when it is not there and not to be made). */
int hosts_put(const char *root, const char *id, const char *name,
	      const char *text, bool create);

/* Before bridge_join(): writes ROOT/containers/ID/hostname and
 * resolv.conf (the host's name servers that a container can reach).
 * Returns 0, or -1 after saying why. (resolv.c) */
int hosts_write(const char *root, const char *id, const char *hostname);

/* Under the allocator's lock: rewrites, in place, the hosts file of
 * every container that has an address in allocator dir d (n's bridge):
 * each lists itself and every other one, by id, name and hostname. The
 * file of new_id is created; the others' only rewritten if they are
 * there. Returns 0, or -1 after saying why. */
int hosts_update(const char *root, int d, const struct netcfg *n,
		 const char *new_id);

/* In the container's mount namespace, before pivot_root: binds each of
 * dir/hostname, hosts, resolv.conf (dir: the container's, on the host)
 * onto /etc/NAME inside rootfd, opened there without leaving the root.
 * Returns 0, or -1 after saying why. */
int hosts_mount(int rootfd, const char *dir);

#endif
