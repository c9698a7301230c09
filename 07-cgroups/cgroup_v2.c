/*
 * 07-cgroups/cgroup_v2.c - the v2 backend: one tree for every controller.
 *
 * Claim: under v2 the per-run cgroup is one directory under the root, after
 *        the root's cgroup.subtree_control enabled the controllers it
 *        needs, with cpu.max "QUOTA PERIOD", memory.max, memory.swap.max 0
 *        and pids.max.   (tested in tests/07-cgroups.bats on a scratch
 *        directory laid out like a v2 root; no v2 host was available)
 * Uses:  cgroup_core.c, cgroup_files.c
 * Read:  Documentation/admin-guide/cgroup-v2.rst ("Controlling
 *        Controllers", "No Internal Process Constraint")
 *
 * v2 has a single hierarchy. A controller works in a cgroup only when the
 * parent lists it in cgroup.subtree_control, and a cgroup that does so
 * may not hold processes itself: the "no internal processes" rule. The
 * root is exempt, so the per-run cgroup is a leaf right under the root,
 * and the only other file we touch is the root's subtree_control.
 */
#include "cgroup_backend.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The v2 controllers our limits use (cpuacct is v1 only: v2's cpu.stat
 * counts usage in every cgroup, controller or not). */
static const enum cgroup_controller v2_controllers[] = {CG_CPU, CG_MEMORY,
							CG_PIDS};

/* True when the space-separated list holds word. */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

int cgroup_v2_locate(struct cgroup *cg, const struct cgroup_limits *limits,
		     bool quiet)
{
	const char *root = cgroup_detect()->root;
	char list[1024];

	if (cgroup_read(root, "cgroup.controllers", list, sizeof(list)) < 0) {
		if (!quiet)
			warn("%s/cgroup.controllers: not a cgroup v2 tree",
			     root);
		return -1;
	}
	list[strcspn(list, "\n")] = '\0';
	for (size_t i = 0; i < sizeof(v2_controllers) / sizeof(*v2_controllers);
	     i++) {
		enum cgroup_controller c = v2_controllers[i];
		const char *ctrl = cgroup_controller_name[c];

		if (cgroup_needs(c, limits) && !has_word(list, ctrl)) {
			if (!quiet)
				warnx("the %s controller is missing: %s/"
				      "cgroup.controllers lists only '%s' (the "
				      "parent must enable it for us)",
				      ctrl, root, list);
			return -1;
		}
	}
	snprintf(cg->parent[0], PATH_MAX, "%s", root);
	cg->ndirs = 1;
	for (int c = 0; c < CG_COUNT; c++)
		cg->of[c] = 0;
	return 0;
}

int cgroup_v2_create(struct cgroup *cg, const char *name,
		     const struct cgroup_limits *limits)
{
	char enable[64] = "", text[64];
	const char *dir = cg->dir[0];

	/* "+cpu +memory +pids": the children of the root get these
	 * controllers' files. Enabling one that is on already is a no-op. */
	for (size_t i = 0; i < sizeof(v2_controllers) / sizeof(*v2_controllers);
	     i++)
		if (cgroup_needs(v2_controllers[i], limits))
			snprintf(enable + strlen(enable),
				 sizeof(enable) - strlen(enable), "%s+%s",
				 enable[0] ? " " : "",
				 cgroup_controller_name[v2_controllers[i]]);
	if (enable[0] &&
	    cgroup_write(cg->parent[0], "cgroup.subtree_control", enable) < 0) {
		/* The root is exempt from the no-internal-processes rule, but
		 * a cgroup namespace's root (inside a container) is not. */
		if (errno == EBUSY)
			warnx("%s holds processes, so it may not enable "
			      "controllers for children (the no internal "
			      "processes rule): move them into a child cgroup "
			      "first, or run on the host",
			      cg->parent[0]);
		return -1;
	}

	if (cgroup_make_dirs(cg, name) < 0)
		return -1;

	/* v1's two CPU files are one here: "QUOTA PERIOD" ("max" = none). */
	if (limits->cpu_quota_us > 0) {
		snprintf(text, sizeof(text), "%lld %lld", limits->cpu_quota_us,
			 limits->cpu_period_us);
		if (cgroup_write(dir, "cpu.max", text) < 0)
			return -1;
	}

	/* v2 counts swap apart from memory: memory.swap.max 0 means no swap
	 * on top of memory.max. It exists only when swap is accounted. */
	if (limits->memory_bytes > 0) {
		if (cgroup_write_number(dir, "memory.max",
					limits->memory_bytes) < 0)
			return -1;
		if (cgroup_has_file(dir, "memory.swap.max") &&
		    cgroup_write(dir, "memory.swap.max", "0") < 0)
			return -1;
	}

	if (limits->pids_max > 0 &&
	    cgroup_write_number(dir, "pids.max", limits->pids_max) < 0)
		return -1;
	return 0;
}
