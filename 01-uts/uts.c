/*
 * 01-uts/uts.c - a UTS namespace gives the container its own hostname.
 *
 * Claim: inside clone(CLONE_NEWUTS) the hostname can be changed while the
 *        host's stays as it was, and /proc/PID/ns/uts differs between the
 *        two.   (tested in tests/01-uts.bats)
 * Uses:  lesson.c (clone, wait, exit status), cli.c (options)
 * Read:  uts_namespaces(7), sethostname(2), clone(2)
 *
 * UTS stands for "UNIX Time-sharing System", the struct utsname behind
 * uname(2): the hostname and the NIS domain name. It is the simplest
 * namespace, which makes it the right one to learn clone() with.
 */
#include "uts.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

static const char *hostname;

int uts_check_hostname(const char *name)
{
	size_t len = strlen(name), label = 0;

	if (len == 0 || len > 64) {
		warnx("hostname '%s' must be 1 to 64 characters", name);
		return -1;
	}
	/* RFC 1123: dot-separated labels of letters, digits and '-', none
	 * empty ("..", a leading '.'), none starting or ending with '-'
	 * ("-x" would also read as an option to every tool it is given
	 * to). The kernel would take any bytes at all. */
	for (const char *p = name;; p++) {
		if (*p == '.' || !*p) {
			if (label == 0 || p[-1] == '-' || p[-label] == '-') {
				warnx("hostname '%s': each dot-separated part "
				      "needs a letter or digit at both ends",
				      name);
				return -1;
			}
			if (!*p)
				return 0;
			label = 0;
			continue;
		}
		if (!(*p == '-' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			warnx("hostname '%s': use only letters, digits, '-' "
			      "and '.'",
			      name);
			return -1;
		}
		label++;
	}
}

int uts_set_hostname(const char *name)
{
	if (sethostname(name, strlen(name)) < 0) {
		warn("sethostname %s", name);
		return -1;
	}
	return 0;
}

static int set_hostname_option(const char *value)
{
	if (uts_check_hostname(value) < 0)
		return -1;
	hostname = value;
	return 0;
}

/* Runs in the child, inside the new UTS namespace: the change is invisible
 * to the host. */
static int uts_child(void)
{
	return hostname ? uts_set_hostname(hostname) : 0;
}

static const struct lesson_option uts_options[] = {
	{"hostname", 0, "NAME", "set the hostname inside", set_hostname_option},
	{0},
};

const struct lesson uts_lesson = {
	.name = "01-uts",
	.summary = "run a command in a new UTS namespace (its own hostname)",
	.clone_flags = CLONE_NEWUTS,
	.options = uts_options,
	.child_ns = uts_child,
};
