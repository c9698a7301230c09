/*
 * 10-full/reexec.h - `container exec` runs again from a sealed copy of
 * the runtime before it goes near the container.
 *
 * Read: execveat(2), CVE-2019-5736
 */
#ifndef REEXEC_H
#define REEXEC_H

#include "store.h"

/* Returns 0 when we run from a sealed copy of the runtime (selfexec.c's:
 * a memfd sealed against writes, or an unnamed file nobody may write).
 * Otherwise runs `container [--root DIR] exec ...` (argv: exec's, argv[0]
 * "exec") again from the copy that rec's init runs from (pidfd: for that
 * init, store_pidfd), else from one of our own; returns only on failure,
 * with the exit code. */
int reexec_sealed(int argc, char **argv, const struct container *rec,
		  int pidfd);

#endif
