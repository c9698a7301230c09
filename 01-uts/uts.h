/*
 * 01-uts/uts.h - a UTS namespace gives the container its own hostname.
 *
 * Read: uts_namespaces(7), sethostname(2)
 */
#ifndef UTS_H
#define UTS_H

#include "lesson.h"

/* Sets the hostname of the calling process's UTS namespace.
 * Returns 0, or -1 after saying why (e.g. a name longer than 64 bytes). */
int uts_set_hostname(const char *name);

/* Checks a hostname before anything is created: 1-64 bytes of letters,
 * digits, '-' and '.'. Returns 0, or -1 after saying why. */
int uts_check_hostname(const char *name);

/* CLONE_NEWUTS, and --hostname NAME applied inside. The base of every
 * later lesson. */
extern const struct lesson uts_lesson;

#endif
