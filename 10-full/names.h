/*
 * 10-full/names.h - `--name NAME`: one container per name, until rm.
 *
 * Read: flock(2), symlink(2), names.c
 */
#ifndef NAMES_H
#define NAMES_H

#include "state.h"

/* Takes st->name for container st->id: ROOT/names/NAME becomes a symlink
 * to the id, under the names lock. Refused (one line naming the container
 * that holds it) while that container's owner runs; the name of a dead
 * owner is taken over. Call after note_write (the note is what says
 * whether a holder runs). Returns 0, or -1 after saying why. */
int names_take(struct state *st);

/* Gives st's name back, if it holds one. */
void names_release(struct state *st);

/* Removes ROOT/names/NAME if it still names container id (the sweep). */
void names_forget(const char *root, const char *name, const char *id);

#endif
