/*
 * 10-full/options.h - what `container run` was asked to do, parsed and
 * checked before anything is created.
 *
 * Read: getopt_long(3), docker-run(1) for the option names
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <limits.h>
#include <stdbool.h>

#include "../09-overlay/overlay.h"
#include "bridge.h"
#include "ports.h"
#include "volumes.h"

#define MAX_ENV 64

/* The overlay's options beyond its dirs (child.c). volatile: no sync of
 * the disk when it goes; redirect_dir=nofollow and metacopy=off: a
 * renamed directory is copied up whole and a chown copies the data too,
 * so that the upper dir holds plain files that commit can copy (Linux
 * refuses redirect_dir=off with userxattr: off means "follow" there). */
#define RUN_OVERLAY_OPTIONS "volatile,redirect_dir=nofollow,metacopy=off"

/* The text of the limit options, NULL when not given. */
struct late; /* netearly.h */

struct limit_texts {
	const char *memory, *cpus, *quota, *period, *pids;
};

struct config {
	const char *rootfs;	    /* ROOTFS as given, for messages */
	char rootfs_real[PATH_MAX]; /* ROOTFS, absolute: the image layer */
	int rootfs_fd; /* ROOTFS opened by us for a --userns child, or -1 */
	int self_fd;   /* the sealed copy the init runs from (selfexec.c) */
	int net_fd;    /* the network namespace made early (netearly.c), or
			  -1: clone() makes it */
	struct late *late; /* or, with what else the runtime makes after
			      clone(): the child takes it later (child.c) */
	const char *name;	    /* --name, or NULL */
	const char *hostname;	    /* -h, or NULL: the short id */
	char workdir[PATH_MAX];	    /* -w, resolved inside the rootfs */
	const char *env[MAX_ENV];   /* -e: "KEY=VALUE" strings */
	int n_env;
	struct volume volumes[MAX_VOLUMES];
	int n_volumes;
	struct cgroup_limits limits;
	const char *memory_text; /* -m as given, for the OOM message */
	char user[256];		 /* -u, else the image's User; "": root */
	bool read_only;		 /* --read-only */
	bool net_host;		 /* --net host */
	bool net_bridge;	 /* --net bridge */
	struct netcfg net;	 /* --net bridge: the bridge, from the
				    environment (bridge.h); prepare() adds
				    the address (run.c) */
	struct ports ports;	 /* -p: bound by run before anything else
				    (ports.c); the proxy (proxy.c) accepts
				    in the process that waits */
	bool userns;		 /* --userns, or not root */
	bool tty;		 /* -t and stdin is a terminal */
	bool rootless;		 /* not root */
	bool detach;		 /* -d: a supervisor waits, output to a log */
	bool interactive;	 /* -i (with -d: stdin kept open) */
	bool auto_remove;	 /* --rm: nothing is kept once it exits */
	bool init;		 /* --init: 03's init is PID 1, the command
				    its child; else the command is PID 1 */
	bool oom_given;		 /* --oom-score-adj given: */
	int oom_score_adj;	 /* its value (oomscore.c) */
	int report_fd; /* the start report (supervise.c), or -1 */
	/* An image (runimage.c) instead of a rootfs directory: rootfs is
	 * then its top layer, for the early checks only. */
	bool from_image;
	const char *image_pin;	 /* `start`: the image id the container
				    was made of (no tag looked up again) */
	char image_id[72];	 /* "sha256:<64 hex>" */
	char image_name[256];	 /* "base:latest", or "" (by id) */
	char layers_dir[PATH_MAX]; /* ROOT/images/layers: the child
				      mounts from there (fchdir) */
	char image_lowers[4096]; /* "Ln/diff:...:L1/diff", relative */
	char stop_signal[32];	 /* the image's StopSignal, or "" */
	int image_lock_fd; /* the store's lock, shared, until the record
			      names the image (run.c), or -1 */
	char **args;		 /* run's arguments as given, kept in the */
	int n_args;		 /* record for `start` (store.h) */
	char **argv;		 /* the command; /bin/sh when none */
};

/* Turns the limit options into c->limits with 07's parsers, and, when
 * the run is rootless, refuses them unless the cgroup tree is ours to
 * write (naming each refused option). Returns 0, or -1 after saying why.
 * (limits.c) */
int limits_parse(const struct limit_texts *t, struct config *c);

/* -e KEY=VALUE, or -e KEY: the host's KEY=VALUE string, if it has one
 * (as docker, an unset KEY is left out), appended to c->env. `exec`
 * takes its own -e with it too. Returns 0, or -1 after saying why. */
int options_add_env(struct config *c, const char *arg);

/* Parses `run`'s arguments (argv[0] is "run") into c and checks all of
 * them: rootfs, volumes, -w, sizes, hostname. Returns 0 to run, 1 when
 * --help was printed, -1 after one line on stderr saying what is wrong. */
int options_parse(int argc, char **argv, struct config *c);

/* The run argument ref names an image, not a directory (it has no '/'):
 * its layers, config and the store's shared lock into c; its Entrypoint
 * and Cmd (or the command given, cmd, n of them) into *argv, its Env
 * before -e's, its WorkingDir into *workdir unless -w gave one. Refuses
 * an image with more layers than one mount takes, and --userns as root.
 * Returns 0, or -1 after one line. (runimage.c) */
int options_image(struct config *c, const char *ref, char **cmd, int n,
		  char ***argv, const char **workdir);

#endif
