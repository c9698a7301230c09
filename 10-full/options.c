/*
 * 10-full/options.c - `container run`'s command line, named as docker run
 * names it, and every check that must pass before anything is created.
 *
 * Claim: bad input (unknown option, missing or invalid ROOTFS, bad size,
 *        missing volume source, a -v or -w target leaving the rootfs)
 *        exits 125 with one line naming the problem, and no state dir or
 *        cgroup is ever created for it.   (tested in tests/10-full.bats)
 * Uses:  01-uts (hostname check), 07-cgroups (size and CPU parsers),
 *        08-chroot (rootfs check), rootfs.c, volumes.c
 * Read:  getopt_long(3), docker-run(1)
 */
#include "options.h"
#include "rootfs.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: container run [options] ROOTFS [command [args...]]\n"
	"Run command (default /bin/sh) in a new container whose root is an\n"
	"overlay of ROOTFS (never written) and a fresh writable layer.\n\n"
	"Options:\n"
	"      --name NAME          a name for the container\n"
	"  -h, --hostname NAME      its hostname (default: the short id)\n"
	"  -e, --env KEY=VALUE      set a variable (KEY alone: the host's)\n"
	"  -w, --workdir DIR        start the command in DIR (inside)\n"
	"  -v, --volume HOST:CTR[:ro]  bind a host path into the container\n"
	"  -m, --memory SIZE        memory limit (64M, 1G...)\n"
	"      --cpus N.N           CPU limit, in CPUs\n"
	"      --cpu-quota US       CPU time per period, in microseconds\n"
	"      --cpu-period US      the period (default 100000)\n"
	"      --pids-limit N       most processes at once\n"
	"      --read-only          the root filesystem is read-only\n"
	"      --net none|host      none (default): only lo; host: share it\n"
	"      --userns             a user namespace even when run as root\n"
	"      --rm                 accepted: the container is always removed\n"
	"  -i, --interactive        accepted: stdin is always passed through\n"
	"  -t, --tty                use the terminal (when stdin is one)\n"
	"      --help               show this help and exit\n\n"
	"Exit status: the command's, 128+N if signal N killed it, 125 if\n"
	"container itself failed, 126 if the command cannot run, 127 if it\n"
	"was not found.\n";

enum {
	OPT_NAME = 256,
	OPT_CPUS,
	OPT_CPU_QUOTA,
	OPT_CPU_PERIOD,
	OPT_PIDS,
	OPT_READ_ONLY,
	OPT_NET,
	OPT_USERNS,
	OPT_RM,
	OPT_HELP,
};

static const struct option long_options[] = {
	{"name", required_argument, NULL, OPT_NAME},
	{"hostname", required_argument, NULL, 'h'},
	{"env", required_argument, NULL, 'e'},
	{"workdir", required_argument, NULL, 'w'},
	{"volume", required_argument, NULL, 'v'},
	{"memory", required_argument, NULL, 'm'},
	{"cpus", required_argument, NULL, OPT_CPUS},
	{"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
	{"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
	{"pids-limit", required_argument, NULL, OPT_PIDS},
	{"read-only", no_argument, NULL, OPT_READ_ONLY},
	{"net", required_argument, NULL, OPT_NET},
	{"network", required_argument, NULL, OPT_NET},
	{"userns", no_argument, NULL, OPT_USERNS},
	{"rm", no_argument, NULL, OPT_RM},
	{"interactive", no_argument, NULL, 'i'},
	{"tty", no_argument, NULL, 't'},
	{"help", no_argument, NULL, OPT_HELP},
	{0},
};

/* The raw text of options that are checked once all are read. */
struct raw {
	const char *memory, *cpus, *quota, *period, *pids, *workdir;
	const char *volumes[MAX_VOLUMES];
	int n_volumes;
};

/* -e KEY=VALUE, or -e KEY: the host's KEY=VALUE string, if it has one. */
static int add_env(struct config *c, const char *arg)
{
	size_t key = strcspn(arg, "=");

	if (key == 0) {
		warnx("-e '%s': write it as KEY=VALUE", arg);
		return -1;
	}
	if (!arg[key]) {
		const char *value = getenv(arg);
		if (!value)
			return 0; /* as docker: an unset KEY is left out */
		arg = value - key - 1; /* the "KEY=VALUE" in environ */
	}
	if (c->n_env == MAX_ENV) {
		warnx("-e: at most %d variables", MAX_ENV);
		return -1;
	}
	c->env[c->n_env++] = arg;
	return 0;
}

static int check_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 || name[0] == '.' || name[0] == '-' ||
	    name[0] == '_' || strspn(name, "abcdefghijklmnopqrstuvwxyz"
					   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789_.-") != len) {
		warnx("--name '%s': use 1-64 letters, digits, '_', '.' or '-',"
		      " starting with a letter or digit",
		      name);
		return -1;
	}
	return 0;
}

/* Turns the limit options into c->limits. Returns 0 or -1. */
static int parse_limits(const struct raw *r, struct config *c)
{
	struct cgroup_limits *l = &c->limits;

	if (r->cpus && r->quota) {
		warnx("--cpus and --cpu-quota say the same thing: give one");
		return -1;
	}
	/* The period first: --cpus computes the quota from it. */
	if (r->period &&
	    cgroup_parse_count("--cpu-period", r->period, &l->cpu_period_us) <
		    0)
		return -1;
	if (r->quota &&
	    cgroup_parse_count("--cpu-quota", r->quota, &l->cpu_quota_us) < 0)
		return -1;
	if (r->cpus && cgroup_parse_cpus(r->cpus, l) < 0)
		return -1;
	if (r->memory &&
	    cgroup_parse_size("--memory", r->memory, &l->memory_bytes) < 0)
		return -1;
	if (r->pids && cgroup_parse_count("--pids-limit", r->pids,
					  &l->pids_max) < 0)
		return -1;
	return 0;
}

/* Rootless: limits need a cgroup we may create. Refuse clearly, naming
 * the options, before anything is made. */
static int check_rootless_limits(const struct raw *r)
{
	static const struct {
		const char *option, *controller;
	} need[] = {{"--memory", "memory"},	  {"--cpus", "cpu"},
		    {"--cpu-quota", "cpu"},	  {"--cpu-period", "cpu"},
		    {"--pids-limit", "pids"}};
	const char *given[] = {r->memory, r->cpus, r->quota, r->period,
			       r->pids};
	char refused[80] = "", dir[64];
	int ret = 0;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!given[i])
			continue;
		/* v1 has a tree per controller; v2 one tree. */
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s",
			 need[i].controller);
		if (access(dir, F_OK) < 0)
			strcpy(dir, "/sys/fs/cgroup");
		if (access(dir, W_OK) == 0)
			continue; /* delegated to us */
		strcat(refused, refused[0] ? ", " : "");
		strcat(refused, need[i].option);
		ret = -1;
	}
	if (ret < 0)
		warnx("%s need%s root or a delegated cgroup (this run is "
		      "rootless): run with sudo, or leave %s out",
		      refused, strchr(refused, ',') ? "" : "s",
		      strchr(refused, ',') ? "them" : "it");
	return ret;
}

static int bad_usage(void)
{
	fprintf(stderr, "Try 'container run --help' for the options.\n");
	return -1;
}

int options_parse(int argc, char **argv, struct config *c)
{
	static char *default_cmd[] = {"/bin/sh", NULL};
	struct raw r = {0};
	int opt;

	optind = 1;
	opterr = 0; /* our messages are clearer */
	c->rootless = geteuid() != 0;
	c->userns = c->rootless;
	while ((opt = getopt_long(argc, argv, "+:h:e:w:v:m:it", long_options,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_NAME:
			if (check_name(optarg) < 0)
				return -1;
			c->name = optarg;
			break;
		case 'h':
			if (uts_check_hostname(optarg) < 0)
				return -1;
			c->hostname = optarg;
			break;
		case 'e':
			if (add_env(c, optarg) < 0)
				return -1;
			break;
		case 'w':
			r.workdir = optarg;
			break;
		case 'v':
			if (r.n_volumes == MAX_VOLUMES) {
				warnx("-v: at most %d volumes", MAX_VOLUMES);
				return -1;
			}
			r.volumes[r.n_volumes++] = optarg;
			break;
		case 'm':
			r.memory = c->memory_text = optarg;
			break;
		case OPT_CPUS:
			r.cpus = optarg;
			break;
		case OPT_CPU_QUOTA:
			r.quota = optarg;
			break;
		case OPT_CPU_PERIOD:
			r.period = optarg;
			break;
		case OPT_PIDS:
			r.pids = optarg;
			break;
		case OPT_READ_ONLY:
			c->read_only = true;
			break;
		case OPT_NET:
			if (strcmp(optarg, "none") != 0 &&
			    strcmp(optarg, "host") != 0) {
				warnx("--net %s: use none or host", optarg);
				return bad_usage();
			}
			c->net_host = optarg[0] == 'h';
			break;
		case OPT_USERNS:
			c->userns = true;
			break;
		case 't':
			c->tty = isatty(STDIN_FILENO);
			break;
		case 'i':
		case OPT_RM:
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 1;
		case ':':
			warnx("missing value for option '%s'", argv[optind - 1]);
			return bad_usage();
		default:
			if (optopt)
				warnx("unknown option '-%c'", optopt);
			else
				warnx("unknown option '%s'", argv[optind - 1]);
			return bad_usage();
		}
	}

	if (optind >= argc) {
		warnx("missing ROOTFS: give the image directory (e.g. "
		      "build/rootfs, from make rootfs)");
		return bad_usage();
	}
	c->rootfs = argv[optind++];
	if (chroot_check_rootfs(c->rootfs) < 0)
		return -1;
	if (!realpath(c->rootfs, c->rootfs_real)) {
		warn("ROOTFS %s", c->rootfs);
		return -1;
	}
	/* overlayfs splits its options at ',' and its layers at ':'. */
	if (strpbrk(c->rootfs_real, ":,")) {
		warnx("ROOTFS %s: overlayfs cannot take a path with ':' or ','",
		      c->rootfs_real);
		return -1;
	}
	if (parse_limits(&r, c) < 0)
		return -1;
	for (int i = 0; i < r.n_volumes; i++)
		if (volume_parse(r.volumes[i], c->rootfs_real,
				 &c->volumes[i]) < 0)
			return -1;
	c->n_volumes = r.n_volumes;
	if (r.workdir && rootfs_resolve(c->rootfs_real, r.workdir, "-w",
					c->workdir, sizeof(c->workdir)) < 0)
		return -1;
	if (c->rootless && check_rootless_limits(&r) < 0)
		return -1;
	c->argv = optind < argc ? argv + optind : default_cmd;
	return 0;
}
