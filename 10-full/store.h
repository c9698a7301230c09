/*
 * 10-full/store.h - a container's record: what it was asked to run, and
 * what became of it. Written by `run` and its supervisor, read by every
 * other verb.
 *
 *   ROOT/containers/ID.json    the record (below), replaced whole
 *   ROOT/containers/ID.log     its output (logfile.h), ID.log.1 before
 *   ROOT/containers/ID.sock    -i -d: where `attach` types in (attach.c)
 *   ROOT/containers/ID/        its layers (state.h); flock'ed by a verb
 *                              that changes the container
 *
 * Read: rename(2) (atomic replace), flock(2), pidfd_open(2), proc(5)
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <sys/types.h>

#define STORE_MAX_ARGS 128

enum store_status { STATUS_CREATED, STATUS_RUNNING, STATUS_EXITED };

/* One container, as its record says. Times are RFC 3339 in UTC, with
 * nanoseconds, as docker's ("2026-11-29T23:05:01.123456789Z"). */
struct container {
	char id[13];
	char name[72];		 /* "" without --name */
	char created[40];
	char cwd[4096];		 /* where `run` was typed: its paths are
				    relative to it (`start` parses again) */
	int argc;		 /* run's arguments, after "run" */
	char *argv[STORE_MAX_ARGS + 1];
	int n_cmd;		 /* the command, as run's options_parse */
	char *cmd[STORE_MAX_ARGS + 1]; /* found it (/bin/sh when none) */
	char image[4096];	 /* ROOTFS, absolute; or the image's name
				    ("base:latest"), or its id */
	char image_id[72];	 /* an image's id ("sha256:..."), or "" */
	char stop_signal[32];	 /* the image's StopSignal, or "" */
	int n_env;		 /* -e, resolved (KEY alone: the value
				    the host had at `run`) */
	char *env[STORE_MAX_ARGS + 1];
	int n_ports;		 /* -p, as "0.0.0.0:8080:80/tcp" */
	char *ports[STORE_MAX_ARGS + 1]; /* (ports.h's text) */
	bool auto_remove;	 /* --rm */
	unsigned id_range;	 /* --userns as root: its host ids from here
				    (userns.h), kept until rm; or 0 */
	bool detached;		 /* -d */
	bool tty;		 /* -t: a pty (its master with the supervisor) */
	bool open_stdin;	 /* -i: stdin kept open; `attach` types into it */
	enum store_status status;
	pid_t pid;		 /* the init's host PID, while it runs */
	unsigned long long pid_start; /* its start time (proc(5) field 22):
					 a reused PID has another */
	pid_t supervisor;	 /* the runtime process that waits for it */
	unsigned long long supervisor_start;
	char boot[40];		 /* the boot it ran in: after a reboot,
				    no PID of it means anything */
	int exit_code;
	/* --net bridge, while it runs ("" and 0 otherwise: the address
	 * is given back when it exits): written by the runtime that waits
	 * for it (life.c), from what bridge_join() gave it. */
	char bridge[16], ip[16], gateway[16];
	int prefix;
	char started_at[40], finished_at[40];
	char strings[16384];	 /* what argv and env point into */
};

/* Clears c's --net bridge fields: its address was given back. */
void store_forget_address(struct container *c);

/* The time now, as the record writes it, into buf (40 bytes). */
void store_now(char *buf);

/* Writes c as ROOT/containers/ID.json: a temporary file, then rename(2),
 * so that a reader sees the old record or the new one, never half of
 * one. Returns 0, or -1 after saying why. */
int store_write(const char *root, const struct container *c);

/* Reads ROOT/containers/ID.json into c. Returns 0, or -1 (quietly: no
 * such container) with errno set. */
int store_read(const char *root, const char *id, struct container *c);

/* Removes the record and the logs of id. */
void store_remove(const char *root, const char *id);

/* ref: a whole id, a name, or a unique prefix of an id, tried in that
 * order (docker's rule: a name cannot hide a container's id). Puts
 * the id into id (13 bytes). Returns 0, or -1 after one line saying that
 * there is no such container, or that the prefix is ambiguous. */
int store_find(const char *root, const char *ref, char *id);

/* The ids of every recorded container, oldest first, at most max.
 * Returns how many, or -1 after saying why. */
int store_list(const char *root, char (*ids)[13], int max);

/* Locks container id for a change (an exclusive flock(2) on its dir,
 * which exists as long as the container does); the kernel drops it when
 * we die. Returns the fd to close to unlock, or -1 after saying why. */
int store_lock(const char *root, const char *id);

/* Whether c's init is alive: same PID, same start time, same boot. A
 * record that says running while its init is gone (the supervisor was
 * killed) reads as exited. */
bool store_running(const struct container *c);

/* Opens a pidfd for c's init, checked against its start time (so that a
 * signal cannot reach a process that reused the PID). Returns the fd, or
 * -1 when it is not running. */
int store_pidfd(const struct container *c);

#endif
