/*
 * 10-full/names.c - a container name is held by one running container at
 * a time, even when two runs ask for it at the same instant.
 *
 * Claim: `--name x` while a container named x exists (runs, or has
 *        exited and was not removed) exits 125 naming that container; of
 *        two started at once exactly one runs; once it is removed (rm,
 *        --rm), or its owner was killed before it ran, the name is free.
 *        (tested in tests/10-full-disk.bats)
 * Uses:  note.c (whether the holder's owner runs), state.c
 * Read:  flock(2), symlinkat(2), readlinkat(2)
 *
 * ROOT/names/NAME is a symlink whose target is the holder's id: one
 * system call creates it with its content (a file would exist empty for
 * a moment). Deciding "free or not" and taking the name must happen as
 * one step, or two runs both find it free: so both happen under an
 * exclusive flock(2) on ROOT/names itself, held for microseconds. The
 * kernel drops a flock when its holder dies, so a kill -9 cannot leave
 * the lock held; and the link of a killed holder is judged by its owner
 * note, like any leftover: a dead owner's name is taken over.
 */
#include "names.h"
#include "note.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Opens ROOT/sub as a directory. Returns the fd, or -1. */
static int open_in_root(const char *root, const char *sub)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, sub);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Under the lock on names (the fd of ROOT/names): the id NAME points
 * to, in id (13 bytes), or "" when NAME is free. */
static void holder(int names, const char *name, char *id)
{
	ssize_t n = readlinkat(names, name, id, 12);

	id[n == 12 ? 12 : 0] = '\0';
}

int names_take(struct state *st)
{
	int names, containers = -1, fd, ret = -1;
	char id[13], record[24];
	struct note *n = NULL;
	static struct note note; /* large: not on the stack */

	names = open_in_root(st->root, "names");
	if (names < 0 || flock(names, LOCK_EX) < 0) {
		warn("%s/names", st->root);
		goto out;
	}
	holder(names, st->name, id);
	if (id[0]) {
		snprintf(record, sizeof(record), "%s.json", id);
		containers = open_in_root(st->root, "containers");
		fd = containers < 0 ? -1 : note_read(containers, id, &note);
		if (fd >= 0) {
			n = &note;
			close(fd);
		}
		/* In use while its container exists: its owner runs (or
		 * cannot be judged), or its record is kept (exited, until
		 * rm). A link with neither is a leftover. */
		if ((n && note_judge(n) != NOTE_DEAD) ||
		    faccessat(containers, record, F_OK, 0) == 0) {
			warnx("--name %s: the name is in use by container %s; "
			      "choose another name",
			      st->name, id);
			goto out;
		}
		unlinkat(names, st->name, 0);
	}
	if (symlinkat(st->id, names, st->name) < 0) {
		warn("%s/names/%s", st->root, st->name);
		goto out;
	}
	st->named = true;
	ret = 0;
out:
	if (containers >= 0)
		close(containers);
	if (names >= 0)
		close(names); /* and with it the lock */
	return ret;
}

void names_forget(const char *root, const char *name, const char *id)
{
	int names = open_in_root(root, "names");
	char held[13];

	if (names < 0)
		return;
	if (flock(names, LOCK_EX) == 0) {
		holder(names, name, held);
		if (strcmp(held, id) == 0)
			unlinkat(names, name, 0);
	}
	close(names);
}

void names_release(struct state *st)
{
	if (st->named) {
		names_forget(st->root, st->name, st->id);
		st->named = false;
	}
}
