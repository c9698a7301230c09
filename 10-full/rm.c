/*
 * 10-full/rm.c - `container rm [-f] NAME...` and `container start [-a] [-i]
 * NAME`: the end of a container's life, and a second run of one that
 * exited.
 *
 * Claim: rm of an exited container removes its record, log, writable
 *        layer and name, and nothing is left; rm of a running one exits
 *        125 and changes nothing, unless -f, which kills it first; start
 *        runs the command again on the same writable layer (a file the
 *        first run wrote is there).   (tested in tests/10-full-life.bats)
 * Uses:  verb.c, store.c, state.c, names.c, run.c (run_start)
 * Read:  docker-container-rm(1), docker-container-start(1), flock(2)
 *
 * Two verbs on one container at once (a `stop` and an `rm -f`, two
 * `start`s) are put in a row by an exclusive flock(2) on the container's
 * dir (store_lock): the second waits, then reads the record again and
 * finds it as the first one left it. The supervisor of a run that just
 * ended takes no lock: both verbs wait for it (verb_settle).
 */
#include "names.h"
#include "note.h"
#include "run.h"
#include "userns.h"
#include "freeze.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* rm for one container. Returns 0, or -1 after saying why. */
static int rm_one(struct state *st, const char *ref, bool force)
{
	struct container *c = malloc(sizeof(*c));
	int lock = -1, ret = -1;

	if (!c || verb_find_now(st, ref, c) < 0)
		goto out;
	if (c->status == STATUS_RUNNING) {
		if (!force) {
			warnx("container %s is running: stop it first, or "
			      "use rm -f", ref);
			goto out;
		}
		freeze_forget(st->root, c->pid, c->id);
		if (verb_signal(c, SIGKILL, false) < 0 && errno == EPERM)
			goto out; /* said why: not ours */
		verb_wait_supervisor(c, -1);
		/* --rm: its supervisor removed it on the way out. */
		if (store_read(st->root, c->id, c) < 0 && errno == ENOENT) {
			printf("%s\n", ref);
			ret = 0;
			goto out;
		}
	}
	lock = store_lock(st->root, c->id);
	/* Read again under the lock: a `start` may have come first. */
	if (lock < 0 || verb_find_now(st, c->id, c) < 0)
		goto out;
	if (c->status == STATUS_RUNNING) {
		warnx("container %s was started again meanwhile", ref);
		goto out;
	}
	/* "Exited" may mean only that its init is gone (a `stop` beside
	 * us just ended it). */
	switch (verb_settle(st, c)) {
	case 1:
		printf("%s\n", ref); /* --rm: it removed itself */
		ret = 0;
		/* fall through */
	case -1:
		goto out;
	}
	snprintf(st->dir, sizeof(st->dir), "%s/containers/%s", st->root,
		 c->id);
	memcpy(st->id, c->id, sizeof(st->id));
	st->created = true;
	state_remove(st);
	if (c->name[0])
		names_forget(st->root, c->name, c->id);
	store_remove(st->root, c->id);
	userns_forget_range(c->id_range);
	printf("%s\n", ref);
	ret = 0;
out:
	if (lock >= 0)
		close(lock);
	free(c);
	return ret;
}

int cmd_rm(int argc, char **argv)
{
	struct state st = {0};
	bool force = false;
	int opt, ret = 0;

	while ((opt = verb_getopt(argc, argv, "f", NULL)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		force = true;
	}
	if (optind == argc) {
		warnx("rm: name a container (container ps -a lists them)");
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0)
		return EXIT_FAILED;
	for (int i = optind; i < argc; i++)
		if (rm_one(&st, argv[i], force) < 0)
			ret = EXIT_FAILED;
	return ret;
}

int cmd_start(int argc, char **argv)
{
	static struct container c;
	struct state st = {0};
	bool attach = false, input = false;
	const char *ref;
	char log[PATH_MAX];
	struct stat sb;
	int lock, ret, opt;

	while ((opt = verb_getopt(argc, argv, "ai", NULL)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		attach |= opt == 'a';
		input |= opt == 'i';
	}
	if (optind != argc - 1) {
		warnx("usage: container start [-a] [-i] NAME");
		return EXIT_FAILED;
	}
	ref = argv[optind];
	if (verb_open(&st) < 0 || verb_find_now(&st, ref, &c) < 0)
		return EXIT_FAILED;
	/* -a: what this run writes, from where the log ends now. */
	snprintf(log, sizeof(log), "%s/containers/%s.log", st.root, c.id);
	if (stat(log, &sb) < 0)
		sb.st_size = 0;
	lock = store_lock(st.root, c.id);
	if (lock < 0 || verb_find_now(&st, c.id, &c) < 0)
		return EXIT_FAILED;
	if (c.status == STATUS_RUNNING) {
		close(lock);
		printf("%s\n", ref); /* as docker: already running */
		return 0;
	}
	/* A `kill` just before us: its last supervisor may not be done. */
	if ((ret = verb_settle(&st, &c)) != 0) {
		if (ret > 0)
			warnx("no such container: %s (it was run with --rm)",
			      ref);
		close(lock);
		return EXIT_FAILED;
	}
	/* Its layer was mounted "volatile" (no sync, child.c): after a
	 * reboot, what it held may be torn. */
	if (strcmp(c.boot, note_boot_id()) != 0) {
		warnx("container %s ran before the host rebooted: its writable "
		      "layer may be incomplete; rm it and run a new one",
		      ref);
		close(lock);
		return EXIT_FAILED;
	}
	/* Held until the supervisor has written "running": a second start
	 * or an rm waits until then. The supervisor closes its copy. */
	ret = run_start(&c, lock);
	close(lock);
	/* -i: typed in too, as `attach` does (the record now names the
	 * new init). */
	if (ret == 0 && input && verb_find(&st, c.id, &c) == 0)
		return attach_session(&st, &c, sb.st_size, true);
	if (ret == 0 && attach)
		return logs_attach(&st, &c, sb.st_size);
	if (ret == 0)
		printf("%s\n", ref);
	return ret;
}
