/*
 * 10-full/note.h - the owner note: the first thing a run writes and the
 * last it removes, so that whatever a kill -9 leaves, a later run knows
 * whose it was and whether that owner is gone.
 *
 * Read: proc(5) (/proc/PID/stat: state, num_threads, starttime),
 *       open(2) (O_TMPFILE), linkat(2)
 */
#ifndef NOTE_H
#define NOTE_H

#include "../07-cgroups/cgroup_backend.h" /* CG_COUNT */
#include "state.h"

/* The note of ROOT/containers/ID.owner, read back. */
struct note {
	int pid;		   /* the runtime that made the container */
	unsigned long long start;  /* its start time (/proc/PID/stat) */
	unsigned long long pidns;  /* the inode of its PID namespace */
	char boot[40];		   /* the boot it ran in */
	char name[72];		   /* its --name, or "" */
	bool cgroups;		   /* it meant to make cgroups ... */
	bool complete;		   /* ... and listed each one it made */
	char text[CG_COUNT * (PATH_MAX + 8) + 256]; /* all of it */
};

enum note_owner {
	NOTE_ALIVE,   /* the owner runs: its container is in use */
	NOTE_DEAD,    /* the owner is gone: what it left is leftovers */
	NOTE_FOREIGN, /* written in another PID namespace: not ours to judge */
};

/* Before anything else of the container exists: writes the note (who we
 * are, st->name, whether cgroups will follow) so that it appears whole or
 * not at all (O_TMPFILE, then linkat). Returns 0, or -1 after saying
 * why. */
int note_write(struct state *st, bool cgroups);

/* Appends the cgroup dirs of cg, and the line that says the list is
 * complete, in one write. Returns 0, or -1 after saying why. */
int note_add_cgroups(const struct state *st, const struct cgroup *cg);

/* Unlinks the note, the last thing a run removes: only when the dir and
 * the name it covers are gone (st->created, st->named false). */
void note_remove(struct state *st);

/* Opens and reads ID.owner in dirfd (ROOT/containers), checking that we
 * own it. Returns the open fd (to lock, and to see whether it was
 * unlinked meanwhile), or -1 quietly when there is no such note of ours
 * or it cannot be read. */
int note_read(int dirfd, const char *id, struct note *n);

/* The id of this boot (/proc/sys/kernel/random/boot_id): a PID and a
 * start time mean something only within one boot. */
const char *note_boot_id(void);

/* Our own start time (/proc/self/stat), read once per process: the note
 * and the record both name it. */
unsigned long long note_self_start(void);

/* Whether the owner of n still runs. */
enum note_owner note_judge(const struct note *n);

#endif
