/*
 * 10-full/life.c - a container's life as its record tells it: created,
 * running, exited; then kept until `rm`, or removed at once with --rm.
 *
 * Claim: without --rm an exited container stays, with its writable layer,
 *        its log, its name and its exit code, until `rm`; with --rm, or
 *        when it never got to run its command, nothing of it stays. Its
 *        cgroup and mounts go as soon as it stops, either way.
 *        (tested in tests/10-full-life.bats)
 * Uses:  store.c, state.c, names.c, logfile.c, 07-cgroups (start times)
 * Read:  docker-run(1) (--rm), docker-container-rm(1)
 *
 * The steps run.c calls, in order: life_created() once the container's
 * dir exists, life_running() once its init exists (the PID and its start
 * time: what every other verb checks before it believes the PID), and
 * life_ended() from the cleanup, after the cgroup is gone.
 */
#include "life.h"
#include "logfile.h"
#include "names.h"
#include "note.h"
#include "store.h"

#include "../07-cgroups/stale.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct container rec;

/* Copies the strings of list into rec's pool, as dst. Returns the count
 * copied, or -1 when they do not fit. */
static int keep_list(char **dst, const char *const *list, int n, size_t *used)
{
	if (n > STORE_MAX_ARGS)
		return -1;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(list[i]) + 1;

		if (*used + len > sizeof(rec.strings))
			return -1;
		dst[i] = memcpy(rec.strings + *used, list[i], len);
		*used += len;
	}
	dst[n] = NULL;
	return n;
}

/* -p, as text (ports.h), into rec.ports. Returns the count, or -1. */
static int keep_ports(const struct ports *p, size_t *used)
{
	char text[MAX_PORTS][48];
	const char *list[MAX_PORTS];

	for (int i = 0; i < p->n; i++)
		list[i] = ports_text(&p->map[i], text[i], sizeof(text[i]));
	return keep_list(rec.ports, list, p->n, used);
}

int life_created(const struct state *st, const struct config *c,
		 unsigned id_range)
{
	char log[PATH_MAX];
	size_t used = 0;

	if (st->restart) {
		/* `start`: the record is there; only its run is new. */
		if (store_read(st->root, st->id, &rec) < 0) {
			warn("the record of %s", st->id);
			return -1;
		}
	} else {
		memset(&rec, 0, sizeof(rec));
		memcpy(rec.id, st->id, sizeof(rec.id));
		snprintf(rec.name, sizeof(rec.name), "%s",
			 st->name ? st->name : "");
		store_now(rec.created);
		if (!getcwd(rec.cwd, sizeof(rec.cwd)))
			rec.cwd[0] = '\0';
		rec.argc = keep_list(rec.argv, (const char *const *)c->args,
				     c->n_args, &used);
		rec.n_env = keep_list(rec.env, c->env, c->n_env, &used);
		for (rec.n_cmd = 0; c->argv[rec.n_cmd]; rec.n_cmd++)
			;
		rec.n_cmd = keep_list(rec.cmd, (const char *const *)c->argv,
				      rec.n_cmd, &used);
		snprintf(rec.image, sizeof(rec.image), "%s",
			 !c->from_image	     ? c->rootfs_real
			 : c->image_name[0] ? c->image_name
					     : c->image_id);
		memcpy(rec.image_id, c->image_id, sizeof(rec.image_id));
		memcpy(rec.stop_signal, c->stop_signal,
		       sizeof(rec.stop_signal));
		rec.n_ports = keep_ports(&c->ports, &used);
		if (rec.argc < 0 || rec.n_env < 0 || rec.n_cmd < 0 ||
		    rec.n_ports < 0) {
			warnx("the command line is too long to keep");
			return -1;
		}
		rec.auto_remove = c->auto_remove;
	}
	rec.detached = c->detach;
	rec.tty = c->tty;
	rec.open_stdin = c->interactive;
	rec.id_range = id_range;
	/* --net bridge: its address, from bridge_join() (run.c), until it
	 * exits. */
	store_forget_address(&rec);
	if (c->net_bridge) {
		memcpy(rec.bridge, c->net.bridge, sizeof(rec.bridge));
		memcpy(rec.ip, c->net.ip, sizeof(rec.ip));
		memcpy(rec.gateway, c->net.gateway, sizeof(rec.gateway));
		rec.prefix = c->net.prefix;
	}
	rec.status = STATUS_CREATED;
	rec.pid = 0;
	rec.supervisor = getpid();
	rec.supervisor_start = note_self_start(); /* ours */
	snprintf(rec.boot, sizeof(rec.boot), "%s", note_boot_id());
	/* Its output is kept when it is: detached, or not --rm. */
	snprintf(log, sizeof(log), "%s/containers/%s.log", st->root, st->id);
	if ((c->detach || !c->auto_remove) && logfile_open(log) < 0)
		return -1;
	/* A --rm container in the foreground is written once, running:
	 * nobody waits on its "created" (`start` has nothing to start, it
	 * is gone at its end), and before it runs, a kill -9 of ours is
	 * covered by the note (sweep.c). One file less made and removed on
	 * the disk before clone() ("Speed" in the README). */
	if (c->auto_remove && !c->detach && !st->restart)
		return 0;
	return store_write(st->root, &rec);
}

int life_running(const struct state *st, pid_t init)
{
	rec.status = STATUS_RUNNING;
	rec.pid = init;
	rec.pid_start = stale_start_time(init);
	store_now(rec.started_at);
	rec.finished_at[0] = '\0';
	return store_write(st->root, &rec);
}

void life_ended(struct state *st, int status, bool ran)
{
	ran = ran && rec.status == STATUS_RUNNING;

	logfile_close();
	if (!rec.id[0])
		return; /* never recorded: nothing of it is kept */
	if (ran && !rec.auto_remove) {
		rec.status = STATUS_EXITED;
		store_forget_address(&rec); /* given back (run.c) */
		rec.exit_code = status;
		store_now(rec.finished_at);
		if (store_write(st->root, &rec) < 0)
			/* A full disk (the container may have filled it
			 * itself): its layer and log are still worth more
			 * than the new record. Kept as a run killed with -9
			 * is: read as exited, without its code. */
			warnx("container %s is kept, its record not updated "
			      "(container rm %s removes it)",
			      st->id, st->id);
		/* Kept: the dir and the name stay, until `rm`. */
		st->created = st->named = false;
		return;
	}
	if (st->restart)
		return; /* `start` that failed: the container stays as it was */
	store_remove(st->root, st->id);
	state_remove(st);
	names_release(st);
}
