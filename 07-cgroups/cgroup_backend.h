/*
 * 07-cgroups/cgroup_backend.h - what cgroup_core.c shares with its two
 * backends, cgroup_v1.c and cgroup_v2.c. Below the interface (cgroups.h):
 * only code that must touch a cgroup's files itself includes it (10-full's
 * cgroup_enter.c).
 *
 * Read: cgroups(7)
 */
#ifndef CGROUP_BACKEND_H
#define CGROUP_BACKEND_H

#include "cgroups.h"

#include <limits.h>

enum cgroup_mode { CGROUP_NONE, CGROUP_V1, CGROUP_V2 };

/* v1 keeps one tree per controller; we use at most these four. */
enum cgroup_controller { CG_CPU, CG_CPUACCT, CG_MEMORY, CG_PIDS, CG_COUNT };

/* The host, as cgroup_detect() found it. */
struct cgroup_host {
	enum cgroup_mode mode;
	bool hybrid;	 /* v1 controllers plus an empty cgroup2 tree */
	bool scratch;	 /* root is a plain directory playing cgroupfs */
	const char *root; /* /sys/fs/cgroup, or $LESSON_CGROUP_ROOT */
};

struct cgroup {
	int ndirs;
	/* The per-run cgroup in each tree it lives in (v2: just one), and
	 * the parent it was made under. */
	char dir[CG_COUNT][PATH_MAX];
	char parent[CG_COUNT][PATH_MAX];
	/* Which of dir[] holds each controller's files, or -1. */
	int of[CG_COUNT];
};

extern const char *const cgroup_controller_name[CG_COUNT];

/* Finds out, once, which mode the host runs. Returns the result. */
const struct cgroup_host *cgroup_detect(void);

/* statfs(2)'s f_type of path (CGROUP_SUPER_MAGIC...), 0 if none. */
long cgroup_fs_type(const char *path);

/* True when the limits need controller c (cpuacct: never, it measures). */
bool cgroup_needs(enum cgroup_controller c, const struct cgroup_limits *l);

/* mkdir parent[i]/name for each tree, recording each in dir[i] once
 * made. Returns 0, or -1 after saying which failed. */
int cgroup_make_dirs(struct cgroup *cg, const char *name);

/* Writes value to dir/file. A scratch root creates the file, as the kernel
 * would have had it ready. Returns 0, or -1 after saying which file. */
int cgroup_write(const char *dir, const char *file, const char *value);

/* The same, for a number. */
int cgroup_write_number(const char *dir, const char *file, long long value);

/* True when dir/file exists (always, on a scratch root). */
bool cgroup_has_file(const char *dir, const char *file);

/* Reads dir/file into buf (NUL-terminated). Returns 0, or -1 quietly. */
int cgroup_read(const char *dir, const char *file, char *buf, size_t size);

/* The number after "key " in a flat keyed file such as memory.events,
 * or -1 when the file or the key is missing. */
long long cgroup_read_key(const char *dir, const char *file, const char *key);

/* Kills every process in the cgroup dir: cgroup.kill where the kernel
 * has it, else SIGKILL to each PID in cgroup.procs until none is left. */
void cgroup_kill_all(const char *dir);

/* rmdir dir, retrying while killed processes are still leaving it.
 * Returns 0, 1 if it was gone already, or -1 after saying so. */
int cgroup_remove_dir(const char *dir);

/* Which directories a cgroup for these limits would use (cg->parent,
 * cg->of). Changes nothing. Returns 0, or -1 after saying why (unless
 * quiet). */
int cgroup_locate(struct cgroup *cg, const struct cgroup_limits *limits,
		  bool quiet);

/* The backends. locate() fills cg->parent and cg->of, changing nothing;
 * a controller the limits need and the host lacks is named (unless
 * quiet). create() makes the directories and writes the limits. Each
 * returns 0, or -1 after saying why. */
int cgroup_v1_locate(struct cgroup *cg, const struct cgroup_limits *limits,
		     bool quiet);
int cgroup_v1_create(struct cgroup *cg, const char *name,
		     const struct cgroup_limits *limits);
int cgroup_v2_locate(struct cgroup *cg, const struct cgroup_limits *limits,
		     bool quiet);
int cgroup_v2_create(struct cgroup *cg, const char *name,
		     const struct cgroup_limits *limits);

#endif
