/*
 * 10-full/child.h - the container's side of `container run`: what the
 * cloned child does, in order, between the parent's "go" and exec.
 *
 * Read: the order in run.c's header comment, then child.c
 */
#ifndef CHILD_H
#define CHILD_H

#include "options.h"
#include "state.h"

/* In the new namespaces: joins the cgroup enter (unless NULL: then the
 * parent has put us in ours), makes a cgroup namespace rooted there, sets
 * the hostname, brings lo up. Returns 0 or -1. */
int child_namespaces(const struct config *c, struct cgroup *enter);

/* Builds the root filesystem in st->dir/merged (overlay, volumes, /dev,
 * /proc, /sys, --read-only) and pivots into it. Returns 0 or -1. */
int child_root(struct config *c, const struct state *st);

/* Makes environ the command's: PATH, HOSTNAME (c->hostname), HOME, TERM
 * with c->tty, then c->env, a later KEY replacing an earlier one. `exec`
 * gives its process the same. */
void child_set_environment(const struct config *c);

/* Inside the new root: working directory, environment, then the
 * hardening, last of all seccomp; then runs argv under 03-pid's init.
 * Returns the exit code (only after the command has ended, or on
 * failure). */
int child_exec(const struct config *c, char **argv);

#endif
