/*
 * 10-full/runas.c - `run -u USER[:GROUP]`, and an image's "User": the
 * command runs as that user of the image, not as root.
 *
 * Claim: with -u 1000, -u nobody, or an image whose config says
 *        "User": "nobody", the container's processes run with that uid,
 *        its gid and the groups /etc/group lists it in, and with no
 *        capability at all; -u wins over the image; a name the image's
 *        /etc/passwd does not know exits 125 naming it.
 *        (tested in tests/10-full.bats and tests/10-full-save.bats)
 * Uses:  nothing but libc; child.c and spawn.c call it in their hardening
 * Read:  setgroups(2), setresuid(2), capabilities(7) ("Effect of user ID
 *        changes on capabilities"), passwd(5), group(5)
 *
 * Names are the image's: they are looked up in its /etc/passwd and
 * /etc/group, after pivot_root, never in the host's (the host's uid 1000
 * is nobody's business inside). A number needs no entry, as with docker:
 * -u 1000 is uid 1000 and gid 0 when no line names it.
 *
 * Where in the hardening: after the capability bounding set is cut (that
 * needs CAP_SETPCAP, which root inside has and the user will not), and
 * before no_new_privs and seccomp. The switch itself drops the rest: a
 * process whose uids all leave 0 loses its permitted and effective
 * capabilities (the kernel's rule, without SECBIT_KEEP_CAPS), so the
 * user's command starts with none, as runc's does.
 */
#include "runas.h"
#include "options.h"

#include <err.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_GROUPS 32
/* The most of /etc/passwd or /etc/group we read: a real one is a few KiB. */
#define DB_MAX (4 << 20)

/* A decimal id, all of s. Returns 0, or -1 when s is no number. */
static int number(const char *s, unsigned *id)
{
	char *end;
	unsigned long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	v = strtoul(s, &end, 10);
	if (v > 0xfffffffeUL)
		return -1;
	*id = v;
	return 0;
}

/* Opens the image's file for reading into *in (NULL when there is none:
 * no entries). The image is the attacker's: a FIFO there would block us
 * at open, /dev/zero or a file another process keeps growing would have
 * us read forever, and we run as root before the command, in the init
 * that `run` waits for. So: opened without waiting, only a regular file,
 * and no more than DB_MAX bytes of it read (*budget). Returns 0, or -1
 * when the file is not one to read. */
static int open_db(const char *file, FILE **in, long *budget)
{
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;

	*in = NULL;
	*budget = DB_MAX;
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > DB_MAX ||
	    !(*in = fdopen(fd, "r"))) {
		close(fd);
		return -1;
	}
	return 0;
}

/* fgets() within the budget open_db() set: NULL at the end of the file,
 * or (*budget < 0) when the file grew past it while read. */
static char *db_line(char *line, size_t size, FILE *in, long *budget)
{
	if (!fgets(line, size, in))
		return NULL;
	*budget -= strlen(line);
	return *budget >= 0 ? line : NULL;
}

/* The one line for a file open_db() or db_line() would not read. */
static void bad_db(const char *spec, const char *file)
{
	warnx("-u %s: the image's %s is not a regular file of at most %d "
	      "MiB: fix the image, or give -u numbers", spec, file,
	      DB_MAX >> 20);
}

/* The line of file whose first field is name (or, name NULL, whose third
 * is id) split into fields: f[0] name, f[2] id, f[3]... Returns 0 when
 * found, -1 when not, -2 when the file is not one to read (open_db).
 * Lines that do not parse are skipped. */
static int lookup(const char *file, const char *name, unsigned id,
		  char *line, size_t size, char *f[7])
{
	FILE *in;
	unsigned got;
	int found = -1;
	long budget;

	if (open_db(file, &in, &budget) < 0)
		return -2;
	while (in && found < 0 && db_line(line, size, in, &budget)) {
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		for (char *p = line, *c; n < 7; p = c + 1) {
			f[n++] = p;
			if (!(c = strchr(p, ':')))
				break;
			*c = '\0';
		}
		if (n < 3 || number(f[2], &got) < 0)
			continue;
		if (name ? strcmp(f[0], name) == 0 : got == id)
			found = 0;
	}
	if (in)
		fclose(in);
	return budget < 0 ? -2 : found;
}

int user_parse(const char *spec)
{
	size_t len = strlen(spec);

	if (len == 0 || len > 255 || spec[0] == ':' ||
	    strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789_.-:"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != len ||
	    (strchr(spec, ':') && strchr(spec, ':') != strrchr(spec, ':'))) {
		warnx("-u %s: give USER or USER:GROUP, each a name of the "
		      "image's or a number", spec);
		return -1;
	}
	return 0;
}

bool user_is_root(const char *spec)
{
	return strcmp(spec, "0") == 0 || strcmp(spec, "root") == 0 ||
	       strcmp(spec, "0:0") == 0 || strcmp(spec, "root:root") == 0;
}

/* The groups /etc/group lists user in (as login(1) gives them), after
 * gid, into groups (at most MAX_GROUPS). Returns how many, or -1 when
 * the file is not one to read (open_db). */
static int member_groups(const char *user, gid_t gid, gid_t *groups)
{
	FILE *in = NULL;
	char line[4096], *f[4], *m, *save;
	unsigned id;
	int n = 0;
	long budget = 0;

	if (user && open_db("/etc/group", &in, &budget) < 0)
		return -1;
	groups[n++] = gid;
	while (in && n < MAX_GROUPS &&
	       db_line(line, sizeof(line), in, &budget)) {
		char *p = line;
		int k;

		line[strcspn(line, "\n")] = '\0';
		for (k = 0; k < 4 && p; k++) {
			f[k] = p;
			if ((p = strchr(p, ':')))
				*p++ = '\0';
		}
		if (k < 4 || number(f[2], &id) < 0 || id == gid)
			continue;
		for (m = strtok_r(f[3], ",", &save); m && n < MAX_GROUPS;
		     m = strtok_r(NULL, ",", &save))
			if (strcmp(m, user) == 0)
				groups[n++] = id;
	}
	if (in)
		fclose(in);
	return budget < 0 ? -1 : n;
}

int user_switch(const char *spec, const char **home)
{
	static char user[64], dir[512];
	char copy[256], line[1024], *group, *f[7];
	unsigned uid, gid = 0;
	gid_t groups[MAX_GROUPS];
	bool known;
	int n, found;

	snprintf(copy, sizeof(copy), "%s", spec);
	group = strchr(copy, ':');
	if (group)
		*group++ = '\0';
	*home = NULL;
	user[0] = '\0';
	/* The user: a name must be in /etc/passwd; a number may be. */
	found = number(copy, &uid) == 0
			? lookup("/etc/passwd", NULL, uid, line, sizeof(line), f)
			: lookup("/etc/passwd", copy, 0, line, sizeof(line), f);
	/* A number needs no entry: only a name needs the file read. */
	if (found == -2 && number(copy, &uid) < 0) {
		bad_db(spec, "/etc/passwd");
		return -1;
	}
	known = found == 0;
	if (known) {
		if (number(f[2], &uid) < 0 || !f[3] || number(f[3], &gid) < 0)
			gid = 0;
		snprintf(user, sizeof(user), "%s", f[0]);
		snprintf(dir, sizeof(dir), "%s", f[5] ? f[5] : "");
		*home = dir[0] ? dir : NULL;
	} else if (number(copy, &uid) < 0) {
		warnx("-u %s: no user '%s' in the image's /etc/passwd", spec,
		      copy);
		return -1;
	}
	if (group && number(group, &gid) < 0 &&
	    ((found = lookup("/etc/group", group, 0, line, sizeof(line),
			     f)) < 0 ||
	     number(f[2], &gid) < 0)) {
		if (found == -2)
			bad_db(spec, "/etc/group");
		else
			warnx("-u %s: no group '%s' in the image's /etc/group",
			      spec, group);
		return -1;
	}
	n = member_groups(user[0] ? user : NULL, gid, groups);
	if (n < 0) {
		bad_db(spec, "/etc/group");
		return -1;
	}
	/* The system calls themselves, not glibc's wrappers: those make
	 * every thread glibc knows of change its ids too, and wait for
	 * each. We are one thread, but a copy of a runtime that may have had
	 * another when it clone()d us (netearly.c), whose wait never ends. */
	if (syscall(SYS_setgroups, n, groups) < 0 ||
	    syscall(SYS_setresgid, gid, gid, gid) < 0 ||
	    syscall(SYS_setresuid, uid, uid, uid) < 0) {
		warn("-u %s: become uid %u, gid %u", spec, uid, gid);
		return -1;
	}
	return 0;
}

int runas_config(const struct config *c)
{
	const char *home;

	if (!c->user[0] || user_is_root(c->user)) {
		/* Root: none of the supplementary groups of whoever ran us
		 * (a hostile tester's `setpriv --groups 6,26 container
		 * exec` gave its process the host's disk and plugdev). A
		 * rootless namespace refuses setgroups(), and maps none of
		 * the caller's groups anyway. */
		if (!c->rootless && syscall(SYS_setgroups, 0, NULL) < 0) {
			warn("setgroups");
			return -1;
		}
		return 0;
	}
	if (user_switch(c->user, &home) < 0)
		return -1;
	/* Its home as HOME, unless -e gave one (docker's rule). */
	for (int i = 0; i < c->n_env; i++)
		if (strncmp(c->env[i], "HOME=", 5) == 0)
			return 0;
	/* A user /etc/passwd does not know has no home: "/", as docker's. */
	if (setenv("HOME", home ? home : "/", 1) < 0) {
		warn("setenv HOME");
		return -1;
	}
	return 0;
}
