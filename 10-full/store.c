/*
 * 10-full/store.c - a container's record, written whole or not at all,
 * and found again by name or by a prefix of its id.
 *
 * Claim: a reader never sees half a record, even while the supervisor
 *        rewrites it; a record that says "running" while its init is
 *        gone (a PID reused, the supervisor killed, a reboot) is never
 *        believed; NAME or a unique prefix of the id finds a container,
 *        an ambiguous prefix is refused.
 *        (tested in tests/10-full-life.bats)
 * Uses:  json.c, note.c (the boot id), 07-cgroups/stale.c (start times)
 * Read:  rename(2) (renameat2, RENAME_EXCHANGE), flock(2), pidfd_open(2),
 *        proc(5) (/proc/PID/stat)
 *
 * crun keeps the same in /run/crun/ID/status, and checks a PID against
 * its start time before it believes it: the kernel hands out PIDs again,
 * and a `stop` that trusted a stale PID would signal a stranger.
 */
#include "store.h"
#include "json.h"
#include "note.h"

#include "../07-cgroups/stale.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *const status_names[] = {"created", "running", "exited"};

void store_forget_address(struct container *c)
{
	c->bridge[0] = c->ip[0] = c->gateway[0] = '\0';
	c->prefix = 0;
}

/* The civil date (year, month 1-12, day 1-31) of a day counted from
 * 1970-01-01, in the proleptic Gregorian calendar. Done here, not by
 * gmtime_r(): glibc's reads the time zone file (/etc/localtime) at its
 * first call, even for UTC, and `run` calls it before clone(), where a
 * start waits for every file it opens ("Speed" in the README). The years
 * are counted in eras of 400 (146097 days, the calendar's full cycle),
 * each year beginning on March 1st, so that February's leap day is a
 * year's last day and never moves the months before it. */
static void civil_date(long long days, int *year, int *month, int *day)
{
	long long z = days + 719468; /* days from 0000-03-01 */
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097; /* day of the era, 0-146096 */
	/* Its year, 0-399: the leap days before doe taken out, then / 365.
	 * One in every 1461 days (4 years) is a leap day, except in a
	 * century's last 4 years (36524 days: one less), except in the
	 * era's last (146097 days: the one more). */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* from Mar 1 */
	long long mp = (5 * doy + 2) / 153; /* months from March: 0-11 */

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (*month <= 2));
}

void store_now(char *buf)
{
	struct timespec ts;
	long long secs, days;
	int year, month, day, sod;

	clock_gettime(CLOCK_REALTIME, &ts);
	secs = ts.tv_sec;
	days = secs / 86400 - (secs % 86400 < 0);
	sod = (int)(secs - days * 86400); /* second of the day */
	civil_date(days, &year, &month, &day);
	snprintf(buf, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", year % 10000,
		 month, day, sod / 3600, sod / 60 % 60, sod % 60,
		 (int)(ts.tv_nsec % 1000000000));
}

static void put_list(FILE *f, const char *key, char *const *v, int n)
{
	fprintf(f, ",\n \"%s\": [", key);
	for (int i = 0; i < n; i++) {
		if (i)
			putc(',', f);
		json_string(f, v[i]);
	}
	putc(']', f);
}

static void put_str(FILE *f, const char *key, const char *value)
{
	fprintf(f, ",\n \"%s\": ", key);
	json_string(f, value);
}

/* A --rm container's record takes the place of the one before it by
 * trading places with it (renameat2's RENAME_EXCHANGE), and the old one,
 * now at tmp, is unlinked. Why not rename() over it: ext4 (auto_da_alloc,
 * a default) then writes the new file out at once, lest a crash leave it
 * empty, and removing it at the end of the run waits for that write and,
 * where the disk is mounted with `discard`, for the disk: 0.2 ms of a
 * start on the machine of the README's "Speed". The safety net is worth
 * nothing here: after a crash the sweep removes a --rm container whatever
 * its record says (sweep.c, kept). A record kept until `rm` is renamed
 * over, safety net and all. Returns 0, or -1 where there is nothing to
 * trade with (the first record) or the filesystem cannot: then rename(). */
static int swap_in(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

int store_write(const char *root, const struct container *c)
{
	char tmp[PATH_MAX + 16], path[PATH_MAX];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/containers/%s.json", root, c->id);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		warn("%s", tmp);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(f, "{\"Id\": \"%s\"", c->id);
	put_str(f, "Name", c->name);
	put_str(f, "Created", c->created);
	put_str(f, "Cwd", c->cwd);
	put_list(f, "Args", c->argv, c->argc);
	put_list(f, "Env", c->env, c->n_env);
	put_list(f, "Cmd", c->cmd, c->n_cmd);
	put_list(f, "Ports", c->ports, c->n_ports);
	put_str(f, "Image", c->image);
	put_str(f, "ImageID", c->image_id);
	put_str(f, "StopSignal", c->stop_signal);
	fprintf(f, ",\n \"AutoRemove\": %s,\n \"Detached\": %s,"
		   "\n \"Tty\": %s,\n \"OpenStdin\": %s",
		c->auto_remove ? "true" : "false",
		c->detached ? "true" : "false", c->tty ? "true" : "false",
		c->open_stdin ? "true" : "false");
	put_str(f, "Status", status_names[c->status]);
	fprintf(f, ",\n \"Pid\": %d,\n \"PidStart\": %llu,\n \"Supervisor\": %d,"
		   "\n \"SupervisorStart\": %llu,\n \"ExitCode\": %d,"
		   "\n \"IdRange\": %u",
		(int)c->pid, c->pid_start, (int)c->supervisor,
		c->supervisor_start, c->exit_code, c->id_range);
	put_str(f, "Bridge", c->bridge);
	put_str(f, "IPAddress", c->ip);
	put_str(f, "Gateway", c->gateway);
	fprintf(f, ",\n \"IPPrefixLen\": %d", c->prefix);
	put_str(f, "Boot", c->boot);
	put_str(f, "StartedAt", c->started_at);
	put_str(f, "FinishedAt", c->finished_at);
	fputs("}\n", f);
	if (fflush(f) != 0 || ferror(f)) {
		warn("write %s", tmp);
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	/* The switch: the old record or the new, never a mix. */
	if (c->auto_remove && swap_in(tmp, path) == 0)
		return 0;
	if (rename(tmp, path) < 0) {
		warn("rename %s", tmp);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Decodes the array at v into list (at most STORE_MAX_ARGS), the strings
 * into c's pool at *used. Returns the count, or -1. */
static int get_list(const char *v, char **list, struct container *c,
		    size_t *used)
{
	const char *e;
	int n = 0;

	for (; (e = json_index(v, n)); n++) {
		size_t room = sizeof(c->strings) - *used;

		if (n == STORE_MAX_ARGS ||
		    json_get_string(e, c->strings + *used, room) < 0)
			return -1;
		list[n] = c->strings + *used;
		*used += strlen(list[n]) + 1;
	}
	list[n] = NULL;
	return n;
}

/* Fills c from the record's text. Returns 0, or -1 when it is not one. */
static int parse(const char *text, struct container *c)
{
	char status[16] = "";
	size_t used = 0;

	memset(c, 0, sizeof(*c));
	if (json_get_string(json_get(text, "Id"), c->id, sizeof(c->id)) < 0 ||
	    json_get_string(json_get(text, "Status"), status, sizeof(status)) < 0)
		return -1;
	json_get_string(json_get(text, "Name"), c->name, sizeof(c->name));
	json_get_string(json_get(text, "Created"), c->created, 40);
	json_get_string(json_get(text, "Cwd"), c->cwd, sizeof(c->cwd));
	json_get_string(json_get(text, "Boot"), c->boot, sizeof(c->boot));
	json_get_string(json_get(text, "Bridge"), c->bridge, sizeof(c->bridge));
	json_get_string(json_get(text, "IPAddress"), c->ip, sizeof(c->ip));
	json_get_string(json_get(text, "Gateway"), c->gateway,
			sizeof(c->gateway));
	c->prefix = json_get_int(json_get(text, "IPPrefixLen"), 0);
	json_get_string(json_get(text, "StartedAt"), c->started_at, 40);
	json_get_string(json_get(text, "FinishedAt"), c->finished_at, 40);
	c->argc = get_list(json_get(text, "Args"), c->argv, c, &used);
	c->n_env = get_list(json_get(text, "Env"), c->env, c, &used);
	c->n_cmd = get_list(json_get(text, "Cmd"), c->cmd, c, &used);
	/* A record from before -p has none. */
	c->n_ports = json_get(text, "Ports")
			     ? get_list(json_get(text, "Ports"), c->ports, c, &used)
			     : 0;
	json_get_string(json_get(text, "Image"), c->image, sizeof(c->image));
	json_get_string(json_get(text, "ImageID"), c->image_id,
			sizeof(c->image_id));
	json_get_string(json_get(text, "StopSignal"), c->stop_signal,
			sizeof(c->stop_signal));
	if (c->argc < 0 || c->n_env < 0 || c->n_cmd < 0 || c->n_ports < 0)
		return -1;
	c->auto_remove = json_get_bool(json_get(text, "AutoRemove"), 0);
	c->detached = json_get_bool(json_get(text, "Detached"), 0);
	c->tty = json_get_bool(json_get(text, "Tty"), 0);
	c->open_stdin = json_get_bool(json_get(text, "OpenStdin"), 0);
	c->pid = json_get_int(json_get(text, "Pid"), 0);
	c->pid_start = json_get_int(json_get(text, "PidStart"), 0);
	c->supervisor = json_get_int(json_get(text, "Supervisor"), 0);
	c->supervisor_start = json_get_int(json_get(text, "SupervisorStart"), 0);
	c->exit_code = json_get_int(json_get(text, "ExitCode"), 0);
	c->id_range = json_get_int(json_get(text, "IdRange"), 0);
	for (int i = 0; i < 3; i++)
		if (strcmp(status, status_names[i]) == 0)
			c->status = i;
	return 0;
}

/* The longest record store_write() can write: every byte of its text
 * (the strings, cwd, image, name... all within struct container) written
 * as a control byte's \u00XX, six bytes, and the keys and numbers around
 * them. It once read 40 KiB: a record of 85 KiB (-e with 7000 control
 * bytes, or an image's Env) was unreadable, and its container, running,
 * was gone from every verb: ps, stop, rm, exec; its name held for good. */
#define RECORD_MAX (6 * sizeof(struct container) + 8192)

int store_read(const char *root, const char *id, struct container *c)
{
	static char text[RECORD_MAX];
	char path[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/containers/%s.json", root, id);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len == 0 || len == sizeof(text) - 1) {
		errno = EINVAL;
		return -1;
	}
	text[len] = '\0';
	if (parse(text, c) < 0 || strcmp(c->id, id) != 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void store_remove(const char *root, const char *id)
{
	static const char *const ext[] = {"json", "log", "log.1", "sock"};
	char path[PATH_MAX];

	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/containers/%s.%s", root, id,
			 ext[i]);
		unlink(path);
	}
}

/* Whether name is ID.json: 12 hex digits, then ".json". */
static bool is_record(const char *name)
{
	return strlen(name) == 17 && strspn(name, "0123456789abcdef") == 12 &&
	       strcmp(name + 12, ".json") == 0;
}

int store_list(const char *root, char (*ids)[13], int max)
{
	char path[PATH_MAX], created[max > 0 ? max : 1][40];
	struct container *c = malloc(sizeof(*c));
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/containers", root);
	dir = opendir(path);
	if (!dir || !c) {
		warn("%s", path);
		free(c);
		if (dir)
			closedir(dir);
		return -1;
	}
	while ((d = readdir(dir)) && n < max) {
		int i;

		if (!is_record(d->d_name))
			continue;
		memcpy(ids[n], d->d_name, 12);
		ids[n][12] = '\0';
		if (store_read(root, ids[n], c) < 0)
			continue; /* removed meanwhile */
		/* Insert in order of creation (RFC 3339 sorts as text). */
		for (i = n; i > 0 && strcmp(created[i - 1], c->created) > 0; i--) {
			memcpy(created[i], created[i - 1], 40);
			memcpy(ids[i], ids[i - 1], 13);
		}
		memcpy(created[i], c->created, 40);
		memcpy(ids[i], c->id, 13);
		n++;
	}
	closedir(dir);
	free(c);
	return n;
}

int store_find(const char *root, const char *ref, char *id)
{
	char link[PATH_MAX], (*ids)[13];
	int n, found = 0;
	ssize_t len;

	/* A whole id first, then a name, then the beginning of an id: docker's
	 * order. A name may be any 12 hex digits, another container's id
	 * too; looked up before the id, it would hide that container from
	 * every verb (rm -f ID would remove the wrong one). */
	if (strlen(ref) == 12 && strspn(ref, "0123456789abcdef") == 12) {
		snprintf(link, sizeof(link), "%s/containers/%s.json", root, ref);
		if (access(link, F_OK) == 0) {
			memcpy(id, ref, 13);
			return 0;
		}
	}
	/* ROOT/names/NAME -> ID (names.c). */
	snprintf(link, sizeof(link), "%s/names/%s", root, ref);
	if (!strchr(ref, '/') && (len = readlink(link, id, 12)) == 12) {
		id[12] = '\0';
		snprintf(link, sizeof(link), "%s/containers/%s.json", root, id);
		if (access(link, F_OK) == 0)
			return 0;
	}
	ids = calloc(4096, sizeof(*ids));
	n = ids && ref[0] ? store_list(root, ids, 4096) : 0;
	for (int i = 0; i < n; i++)
		if (strncmp(ids[i], ref, strlen(ref)) == 0) {
			if (found++)
				break;
			memcpy(id, ids[i], 13);
		}
	free(ids);
	if (found == 1)
		return 0;
	if (found > 1)
		warnx("'%s' is the beginning of more than one container's "
		      "id: give more of it, or the name",
		      ref);
	else
		warnx("no such container: %s", ref);
	return -1;
}

int store_lock(const char *root, const char *id)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/containers/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		warn("lock %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Whether pid is the process that started at start, in this boot. */
static bool same_process(const struct container *c, pid_t pid,
			 unsigned long long start)
{
	return pid > 0 && strcmp(c->boot, note_boot_id()) == 0 &&
	       stale_start_time(pid) == start;
}

bool store_running(const struct container *c)
{
	return c->status == STATUS_RUNNING &&
	       same_process(c, c->pid, c->pid_start);
}

int store_pidfd(const struct container *c)
{
	/* Raw syscall: glibc before 2.36 has no pidfd_open(). */
	int fd = c->status == STATUS_RUNNING && c->pid > 0
			 ? syscall(SYS_pidfd_open, c->pid, 0)
			 : -1;

	/* Checked with the fd in hand (once: a check before it would prove
	 * nothing more): the fd names one process for good, so if the
	 * process at PID is still the recorded one now, the fd is that
	 * process, and a signal through it reaches no one else, even if
	 * the PID is reused later. */
	if (fd >= 0 && !same_process(c, c->pid, c->pid_start)) {
		close(fd);
		return -1;
	}
	return fd;
}
