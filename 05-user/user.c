/*
 * 05-user/user.c - a new user namespace: root inside, the caller outside.
 *
 * Claim: in the child of clone(CLONE_NEWUSER) `id -u` is 0 and CapEff is
 *        full, while the host sees the caller's uid in /proc/PID/status and
 *        those capabilities open nothing of the host's (/etc/shadow stays
 *        unreadable); ids without a mapping show as 65534 (nobody); and run
 *        by an ordinary user, with no root at all, the whole chain works:
 *        hostname, PID 1 and /proc inside.   (tested in tests/05-user.bats)
 * Uses:  04-mount (and 01-03 through it); lesson.c's sync pipe
 * Read:  user_namespaces(7), capabilities(7), credentials(7),
 *        /proc/PID/uid_map, gid_map and setgroups in proc(5)
 *
 * A user namespace owns the other namespaces created with it: the child's
 * capabilities, all of them, count there and in nothing the host owns.
 * That is why the kernel lets anyone create one (since 3.8), and why,
 * created first, it lets an ordinary user create the UTS, IPC, PID and
 * mount namespaces of lessons 01-04, which need CAP_SYS_ADMIN.
 *
 * An id means something inside only once /proc/PID/uid_map says which host
 * id it stands for; until then every id is the overflow id, 65534, which
 * is what the notes' `id` printed. The map can be written once, by a
 * process outside, so the parent writes it after clone() while the child
 * waits on the sync pipe (lesson.c) before it runs a line of setup.
 * Without root, the kernel allows one line, mapping the caller's own uid,
 * and the gid map only after setgroups(2) is denied for the namespace:
 * else a user could drop a group that a file's ACL uses to shut it out.
 */
#include "user.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool user_ns_always;
static bool userns_option;
static bool uid_given, gid_given;
static struct user_map uid_map, gid_map;
/* setgroups(2) is denied in the namespace: decided before clone(). */
static bool setgroups_denied;

int user_parse_map(const char *text, struct user_map *map)
{
	unsigned long long v[3];
	const char *p = text;
	char *end;

	for (int i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			goto bad;
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (*end != (i < 2 ? ':' : '\0'))
			goto bad;
		if (errno || v[i] > UINT32_MAX) /* the range check says so */
			v[i] = (unsigned long long)UINT32_MAX + 1;
		p = end + 1;
	}
	/* (uid_t)-1 means "no id" to the kernel: ranges end below it. */
	if (v[2] == 0 || v[0] + v[2] > UINT32_MAX || v[1] + v[2] > UINT32_MAX) {
		warnx("map '%s': COUNT must be at least 1, and both ranges "
		      "end below 4294967295",
		      text);
		return -1;
	}
	*map = (struct user_map){v[0], v[1], v[2]};
	return 0;
bad:
	warnx("map '%s': expected INSIDE:OUTSIDE:COUNT, e.g. 0:%u:1", text,
	      (unsigned)geteuid());
	return -1;
}

/* A map given on the command line asks for a namespace too (06-10). */
bool user_ns_enabled(void)
{
	return user_ns_always || userns_option || uid_given || gid_given ||
	       geteuid() != 0;
}

/* Writes text to /proc/pid/name. Returns 0 or -1 after saying why. */
static int write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		warn("open %s", path);
		return -1;
	}
	/* One write(2): the kernel parses the map from a single write. */
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	if (!ok)
		warn("write '%.*s' to %s", (int)strcspn(text, "\n"), text, path);
	close(fd);
	return ok ? 0 : -1;
}

int user_write_maps(pid_t pid, const struct user_map *uid,
		    const struct user_map *gid)
{
	char line[64];

	snprintf(line, sizeof(line), "%u %u %u\n", uid->inside, uid->outside,
		 uid->count);
	if (write_proc(pid, "uid_map", line) < 0)
		return -1;
	if (geteuid() != 0 && write_proc(pid, "setgroups", "deny\n") < 0)
		return -1;
	snprintf(line, sizeof(line), "%u %u %u\n", gid->inside, gid->outside,
		 gid->count);
	return write_proc(pid, "gid_map", line);
}

static int set_uid_map(const char *value)
{
	uid_given = true;
	return user_parse_map(value, &uid_map);
}

static int set_gid_map(const char *value)
{
	gid_given = true;
	return user_parse_map(value, &gid_map);
}

/* Checks one map against what the kernel will accept from us, so that a
 * map it would refuse stops the run before anything is created. */
static int check_map(const char *what, const struct user_map *m, unsigned own)
{
	if (m->inside > 0) {
		warnx("--%s-map %u:%u:%u maps nothing to %s 0, the command's "
		      "%s inside: start the range at 0",
		      what, m->inside, m->outside, m->count, what, what);
		return -1;
	}
	if (geteuid() != 0 && (m->outside != own || m->count != 1)) {
		warnx("--%s-map %u:%u:%u: without root you may map only your "
		      "own %s: use --%s-map 0:%u:1 (more needs root, or "
		      "new%smap(1))",
		      what, m->inside, m->outside, m->count, what, what, own,
		      what);
		return -1;
	}
	return 0;
}

static int user_check(void)
{
	if (!user_ns_enabled())
		return 0;
	/* Default: the caller becomes root inside. */
	if (!uid_given)
		uid_map = (struct user_map){0, geteuid(), 1};
	if (!gid_given)
		gid_map = (struct user_map){0, getegid(), 1};
	setgroups_denied = geteuid() != 0;
	if (check_map("uid", &uid_map, geteuid()) < 0 ||
	    check_map("gid", &gid_map, getegid()) < 0)
		return -1;
	return 0;
}

static int user_run_time_flags(void)
{
	return user_ns_enabled() ? CLONE_NEWUSER : 0;
}

/* The child waits on the sync pipe until this is done. */
static int user_parent(pid_t child)
{
	if (!user_ns_enabled())
		return 0;
	return user_write_maps(child, &uid_map, &gid_map);
}

/*
 * In the child, maps written: become root of the namespace. With the
 * default map the caller's uid already is 0 here; with another one (root
 * running --uid-map 0:100000:65536) the child still holds the host's uid,
 * which is unmapped, until it sets its ids. Root inside keeps the
 * capabilities that later hooks need. Dropping the supplementary groups
 * matters for the same case: host root's group 0 would otherwise follow
 * the container in; where setgroups is denied the kernel keeps them.
 */
int user_become_root(bool drop_groups)
{
	if (drop_groups && setgroups(0, NULL) < 0) {
		warn("setgroups");
		return -1;
	}
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
		warn("become root of the user namespace (setresuid 0)");
		return -1;
	}
	/* A change of the effective ids clears the parent-death signal
	 * (prctl(2)): set it again, and see that the program still lives. */
	return lesson_die_with_parent();
}

static int user_child(void)
{
	if (!user_ns_enabled())
		return 0;
	return user_become_root(!setgroups_denied);
}

static const struct lesson_option user_options[] = {
	{"uid-map", 0, "IN:OUT:N",
	 "uids IN.. inside are OUT.. outside (default 0:your uid:1)",
	 set_uid_map},
	{"gid-map", 0, "IN:OUT:N", "the same for gids (default 0:your gid:1)",
	 set_gid_map},
	{"userns", 0, NULL, "make a user namespace even when run as root",
	 NULL, &userns_option},
	{0},
};

const struct lesson user_lesson = {
	.name = "05-user",
	.summary = "a new user namespace: root inside, the caller outside",
	.prev = &mount_lesson,
	.run_time_flags = user_run_time_flags,
	.options = user_options,
	.check = user_check,
	.parent = user_parent,
	.child_ns = user_child,
};
