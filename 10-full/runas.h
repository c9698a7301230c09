/*
 * 10-full/runas.h - the user the container's command runs as: `run -u`,
 * or the image's "User" (runas.c).
 *
 * Read: setresuid(2), setgroups(2), passwd(5), group(5)
 */
#ifndef RUNAS_H
#define RUNAS_H

#include <stdbool.h>

/* Checks the text of USER[:GROUP] (names or numbers) before anything is
 * made. Returns 0, or -1 after one line. */
int user_parse(const char *spec);

/* Whether spec is root, which needs no switch (and is all a rootless
 * container has). */
bool user_is_root(const char *spec);

/* In the container, after pivot_root and the capability bounding set:
 * becomes spec, names looked up in the image's /etc/passwd and
 * /etc/group; *home: the user's home dir from /etc/passwd, or NULL.
 * Returns 0, or -1 after one line. */
int user_switch(const char *spec, const char **home);

struct config;

/* The hardening's step for the user (child.c, spawn.c): c->user, if any
 * and not root, becomes ours, and its home dir HOME unless -e set one.
 * Returns 0, or -1 after one line. */
int runas_config(const struct config *c);

#endif
