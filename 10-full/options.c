/*
 * 10-full/options.c - `container run`'s command line, named as docker run
 * names it, and every check that must pass before anything is created.
 *
 * Claim: bad input (unknown option, missing or invalid ROOTFS, bad size,
 *        missing volume source, a -v or -w target leaving the rootfs)
 *        exits 125 with one line naming the problem, and no state dir or
 *        cgroup is ever created for it.   (tested in tests/10-full.bats)
 * Uses:  01-uts (hostname check), 08-chroot (rootfs check), limits.c,
 *        rootfs.c, volumes.c
 * Read:  getopt_long(3), docker-run(1), open_tree(2) (--userns)
 */
#include "options.h"
#include "oomscore.h"
#include "runas.h"
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static const char usage_text[] =
	"Usage: container run [options] ROOTFS|IMAGE [command [args...]]\n"
	"Run command (default /bin/sh) in a new container whose root is an\n"
	"overlay of ROOTFS (never written) and a fresh writable layer.\n"
	"An argument without '/' is an IMAGE (NAME[:TAG], container images):\n"
	"its layers, and its Entrypoint, Cmd, Env and WorkingDir.\n\n"
	"Options:\n"
	"  -d, --detach             run in the background, print the id\n"
	"      --name NAME          a name, held by one container until rm\n"
	"  -h, --hostname NAME      its hostname (default: the short id)\n"
	"  -e, --env KEY=VALUE      set a variable (KEY alone: the host's)\n"
	"  -w, --workdir DIR        start the command in DIR (inside)\n"
	"  -u, --user USER[:GROUP]  run as that user of the image (a name\n"
	"                           of its /etc/passwd, or a number)\n"
	"  -v, --volume HOST:CTR[:ro]  bind a host path into the container\n"
	"  -m, --memory SIZE        memory limit (64M, 1G...)\n"
	"      --oom-score-adj N    how soon the kernel kills it when memory\n"
	"                           runs out: -1000 (never) to 1000 (first);\n"
	"                           default 0, whatever ours is\n"
	"      --cpus N.N           CPU limit, in CPUs\n"
	"      --cpu-quota US       CPU time per period, in microseconds\n"
	"      --cpu-period US      the period (default 100000)\n"
	"      --pids-limit N       most processes at once\n"
	"      --read-only          the root filesystem is read-only\n"
	"      --net none|host|bridge  none (default): only lo; host: share\n"
	"                           it; bridge: eth0 on a host bridge (root;\n"
	"                           CONTAINER_BRIDGE, CONTAINER_SUBNET)\n"
	"  -p, --publish [HOSTIP:]HOSTPORT:PORT[/tcp]  relay a host port to\n"
	"                           the container's PORT (--net bridge)\n"
	"      --userns             a user namespace even when run as root\n"
	"      --rm                 remove the container when it exits\n"
	"      --init               run 03's init as PID 1, the command as\n"
	"                           its child: it forwards signals, reaps\n"
	"                           orphans (default: the command is PID 1)\n"
	"  -i, --interactive        accepted: stdin is always passed through\n"
	"                           (with -d: kept open for `attach`)\n"
	"  -t, --tty                a pty of its own (when stdin is a\n"
	"                           terminal; with -d always, for `attach`)\n"
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
	OPT_INIT,
	OPT_OOM,
	OPT_HELP,
};

static const struct option long_options[] = {
	{"detach", no_argument, NULL, 'd'},
	{"name", required_argument, NULL, OPT_NAME},
	{"hostname", required_argument, NULL, 'h'},
	{"env", required_argument, NULL, 'e'},
	{"workdir", required_argument, NULL, 'w'},
	{"user", required_argument, NULL, 'u'},
	{"volume", required_argument, NULL, 'v'},
	{"memory", required_argument, NULL, 'm'},
	{"cpus", required_argument, NULL, OPT_CPUS},
	{"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
	{"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
	{"pids-limit", required_argument, NULL, OPT_PIDS},
	{"oom-score-adj", required_argument, NULL, OPT_OOM},
	{"read-only", no_argument, NULL, OPT_READ_ONLY},
	{"net", required_argument, NULL, OPT_NET},
	{"network", required_argument, NULL, OPT_NET},
	{"userns", no_argument, NULL, OPT_USERNS},
	{"publish", required_argument, NULL, 'p'},
	{"rm", no_argument, NULL, OPT_RM},
	{"init", no_argument, NULL, OPT_INIT},
	{"interactive", no_argument, NULL, 'i'},
	{"tty", no_argument, NULL, 't'},
	{"help", no_argument, NULL, OPT_HELP},
	{0},
};

/* The raw text of options that are checked once all are read. */
struct raw {
	struct limit_texts limits;
	const char *workdir;
	const char *volumes[MAX_VOLUMES];
	int n_volumes;
};

int options_add_env(struct config *c, const char *arg)
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

/* A kernel's own view (proc, sysfs, cgroupfs...) is no image: overlayfs
 * refuses it as a layer (EINVAL, after everything else was made). Say so
 * now. Returns 0 or -1. */
static int check_image_fs(const char *rootfs)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} pseudo[] = {
		{PROC_SUPER_MAGIC, "proc"},	{SYSFS_MAGIC, "sysfs"},
		{CGROUP_SUPER_MAGIC, "cgroup"}, {CGROUP2_SUPER_MAGIC, "cgroup2"},
		{DEVPTS_SUPER_MAGIC, "devpts"}, {DEBUGFS_MAGIC, "debugfs"},
		{SECURITYFS_MAGIC, "securityfs"}, {BPF_FS_MAGIC, "bpf"},
		{TRACEFS_MAGIC, "tracefs"},
	};
	struct statfs sf;

	if (statfs(rootfs, &sf) < 0) {
		warn("ROOTFS %s", rootfs);
		return -1;
	}
	for (size_t i = 0; i < sizeof(pseudo) / sizeof(pseudo[0]); i++)
		if ((unsigned long)sf.f_type == pseudo[i].magic) {
			warnx("ROOTFS '%s' is on %s, the kernel's own view: "
			      "give an image directory (e.g. build/rootfs)",
			      rootfs, pseudo[i].name);
			return -1;
		}
	return 0;
}

/* What the image has at path (relative to the rootfs, links resolved):
 * its st_mode, or 0 when there is nothing there yet. */
static mode_t image_has(const char *rootfs, const char *path)
{
	char full[PATH_MAX * 2];
	struct stat st;

	if (!path[0])
		return S_IFDIR; /* the root itself */
	snprintf(full, sizeof(full), "%s/%s", rootfs, path);
	return lstat(full, &st) == 0 ? st.st_mode : 0;
}

/* Whether path (relative) lies strictly below dir ("proc"). */
static bool below(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	return strncmp(path, dir, len) == 0 && path[len] == '/';
}

/* Targets that would only fail once everything is made: a volume whose
 * kind (file, directory) is not what the image has there, or a -w that is
 * no directory, or that lies inside /proc, /sys or /dev, which the runtime
 * mounts afresh (nothing of the image is there to be made a workdir of).
 * Returns 0, or -1 after saying which option is wrong. */
static int check_targets(const struct config *c, const char *const *specs,
			 const char *workdir)
{
	static const char *const dev_dirs[] = {"dev/shm", "dev/pts",
					       "dev/mqueue"};
	mode_t m;

	for (int i = 0; i < c->n_volumes; i++) {
		const struct volume *v = &c->volumes[i];

		m = image_has(c->rootfs_real, v->target);
		if (m && !S_ISDIR(m) && !S_ISREG(m)) {
			warnx("-v %s: /%s in the image is neither a file nor a "
			      "directory: choose another target",
			      specs[i], v->target);
			return -1;
		}
		if (m && S_ISDIR(m) != v->is_dir) {
			warnx("-v %s: /%s is a %s in the image, the source a "
			      "%s: mount a %s there, or choose another "
			      "target",
			      specs[i], v->target,
			      S_ISDIR(m) ? "directory" : "file",
			      v->is_dir ? "directory" : "file",
			      S_ISDIR(m) ? "directory" : "file");
			return -1;
		}
	}
	if (!workdir)
		return 0;
	for (size_t i = 0; i < 3; i++)
		if (strcmp(c->workdir, dev_dirs[i]) == 0)
			return 0;
	if (below(c->workdir, "proc") || below(c->workdir, "sys") ||
	    below(c->workdir, "dev")) {
		warnx("-w %s: /%.*s is mounted afresh by the runtime, so no "
		      "directory can be made in it: choose one of the image",
		      workdir, (int)strcspn(c->workdir, "/"), c->workdir);
		return -1;
	}
	m = image_has(c->rootfs_real, c->workdir);
	if (m && !S_ISDIR(m)) {
		warnx("-w %s: /%s is not a directory in the image", workdir,
		      c->workdir);
		return -1;
	}
	return 0;
}

static int bad_usage(void)
{
	fprintf(stderr, "See 'container run --help'.\n");
	return -1;
}

/* -p publishes a port of a container on the bridge (ports.c): refused
 * without one, and rootless, where no bridge can be made. */
static int check_ports(const struct config *c)
{
	if (c->rootless) {
		warnx("-p needs root here (a bridge and a proxy on the host); "
		      "rootless tools relay ports through slirp4netns or "
		      "pasta instead");
		return -1;
	}
	if (!c->net_bridge) {
		warnx("-p publishes a port of a container on a bridge: add "
		      "--net bridge");
		return -1;
	}
	return 0;
}

/* The long options that start with the name in token ("--cpu" or
 * "--cpu=1"), listed in out. Returns how many. */
static int options_named(const char *token, char *out, size_t size)
{
	size_t len = strcspn(token + 2, "="), used = 0;
	int n = 0;

	out[0] = '\0';
	for (const struct option *o = long_options; o->name; o++)
		if (strncmp(o->name, token + 2, len) == 0) {
			used += snprintf(out + used, size - used, "%s--%s",
					 n++ ? ", " : "", o->name);
			if (used >= size)
				break;
		}
	return n;
}

/* getopt_long() takes any unambiguous prefix ("--mem" for --memory);
 * docker does not, and a typo that happens to be a prefix would pass
 * silently: only whole names. token is the argument getopt_long just
 * read. Returns 0, or -1 after saying what is wrong. */
static int whole_name(const char *token, const struct option *o)
{
	size_t len = strlen(o->name);
	char names[256];

	if (strncmp(token, "--", 2) == 0 && strncmp(token + 2, o->name, len) == 0 &&
	    (token[2 + len] == '\0' || token[2 + len] == '='))
		return 0;
	options_named(token, names, sizeof(names));
	warnx("unknown option '%.*s' (did you mean %s?)",
	      (int)strcspn(token, "="), token, names);
	return bad_usage();
}

/* What getopt_long() refused in token: an unknown option, one whose
 * name is only a prefix, or a flag given a value ("--rm=1"). One line,
 * with no raw bytes (optopt of a long option is its code, not a char). */
static int refused(const char *token, int code)
{
	char names[256];
	int n;

	if (strncmp(token, "--", 2) != 0) {
		if (code > ' ' && code < 127)
			warnx("unknown option '-%c'", code);
		else
			warnx("unknown option '%s'", token);
		return bad_usage();
	}
	n = options_named(token, names, sizeof(names));
	if (code && strchr(token, '='))
		warnx("option '%.*s' takes no value", (int)strcspn(token, "="),
		      token);
	else if (n > 0)
		warnx("unknown option '%.*s' (did you mean %s?)",
		      (int)strcspn(token, "="), token, names);
	else
		warnx("unknown option '%.*s'", (int)strcspn(token, "="), token);
	return bad_usage();
}

/* --net bridge: root only; the bridge's name and network from the
 * environment (bridge.c). Returns 0, or -1 after one line. */
static int check_net_bridge(struct config *c)
{
	/* The bridge and the host's end of the veth are made in the host's
	 * network namespace, where a user namespace gives no power. */
	if (c->rootless) {
		warnx("--net bridge needs root: the bridge and each "
		      "container's veth are made in the host's network "
		      "namespace (rootless tools such as slirp4netns or pasta "
		      "give a container a network stack in user space "
		      "instead); use --net none or host, or run as root");
		return -1;
	}
	return bridge_config(&c->net);
}

int options_parse(int argc, char **argv, struct config *c)
{
	static char *default_cmd[] = {"/bin/sh", NULL};
	struct raw r = {0};
	int opt, at, index = -1;
	bool tty_asked = false;

	optind = 1;
	opterr = 0; /* our messages are clearer */
	c->rootless = geteuid() != 0;
	c->rootfs_fd = -1;
	c->image_lock_fd = -1;
	c->report_fd = -1;
	c->net_fd = -1;
	c->self_fd = -1;
	c->args = argv + 1;
	c->n_args = argc - 1;
	c->userns = c->rootless;
	/* at: the word getopt reads now ("--name=x", "--name" with x
	 * after it, or "-it"): noted before each call, as optind after it
	 * differs from one C library to another (musl's passes argc on a
	 * missing value). */
	while ((at = optind,
		opt = getopt_long(argc, argv, "+:dh:e:w:u:v:m:p:it",
				  long_options, &index)) != -1) {
		const char *token = argv[at];

		if (index >= 0 && opt != '?' && opt != ':' &&
		    whole_name(token, &long_options[index]) < 0)
			return -1;
		index = -1;
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
			if (options_add_env(c, optarg) < 0)
				return -1;
			break;
		case 'w':
			r.workdir = optarg;
			break;
		case 'u':
			if (user_parse(optarg) < 0)
				return bad_usage();
			snprintf(c->user, sizeof(c->user), "%s", optarg);
			break;
		case 'v':
			if (r.n_volumes == MAX_VOLUMES) {
				warnx("-v: at most %d volumes", MAX_VOLUMES);
				return -1;
			}
			r.volumes[r.n_volumes++] = optarg;
			break;
		case 'm':
			r.limits.memory = c->memory_text = optarg;
			break;
		case OPT_CPUS:
			r.limits.cpus = optarg;
			break;
		case OPT_CPU_QUOTA:
			r.limits.quota = optarg;
			break;
		case OPT_CPU_PERIOD:
			r.limits.period = optarg;
			break;
		case OPT_PIDS:
			r.limits.pids = optarg;
			break;
		case OPT_OOM:
			if (oomscore_parse(optarg, &c->oom_score_adj) < 0 ||
			    oomscore_check(c->oom_score_adj) < 0)
				return -1;
			c->oom_given = true;
			break;
		case OPT_READ_ONLY:
			c->read_only = true;
			break;
		case OPT_NET:
			if (strcmp(optarg, "none") != 0 &&
			    strcmp(optarg, "host") != 0 &&
			    strcmp(optarg, "bridge") != 0) {
				warnx("--net %s: use none, host or bridge",
				      optarg);
				return bad_usage();
			}
			c->net_host = optarg[0] == 'h';
			c->net_bridge = optarg[0] == 'b';
			if (c->net_bridge && check_net_bridge(c) < 0)
				return -1;
			break;
		case OPT_USERNS:
			c->userns = true;
			break;
		case 'p':
			if (ports_parse(optarg, &c->ports) < 0)
				return bad_usage();
			break;
		case 't':
			c->tty = isatty(STDIN_FILENO);
			tty_asked = true;
			break;
		case 'd':
			c->detach = true;
			break;
		case OPT_RM:
			c->auto_remove = true;
			break;
		case OPT_INIT:
			c->init = true;
			break;
		case 'i':
			c->interactive = true;
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 1;
		case ':':
			warnx("missing value for option '%s'", token);
			return bad_usage();
		default:
			return refused(token, optopt);
		}
	}

	if (c->ports.n && check_ports(c) < 0)
		return bad_usage();
	/* -td: a pty, whose master the supervisor holds for `attach`
	 * (attachd.c), whatever our stdin is: as docker's. */
	if (c->detach)
		c->tty = tty_asked;
	if (optind >= argc) {
		warnx("missing ROOTFS: give the image directory (e.g. "
		      "build/rootfs, from make rootfs)");
		return bad_usage();
	}
	c->rootfs = argv[optind++];
	/* NAME[:TAG] or an image id: no '/'. A directory is a path. */
	if (!strchr(c->rootfs, '/')) {
		int cmd = optind + (optind < argc && !strcmp(argv[optind], "--"));

		if (options_image(c, c->rootfs, argv + cmd, argc - cmd, &c->argv,
				  &r.workdir) < 0)
			return -1;
		goto checked;
	}
	if (chroot_check_rootfs(c->rootfs) < 0 ||
	    rootfs_check_mount_points(c->rootfs) < 0)
		return -1;
	if (!realpath(c->rootfs, c->rootfs_real)) {
		warn("ROOTFS %s", c->rootfs);
		return -1;
	}
	if (check_image_fs(c->rootfs) < 0)
		return -1;
	/* overlayfs splits its options at ',' and its layers at ':'. */
	if (strpbrk(c->rootfs_real, ":,")) {
		warnx("ROOTFS %s: overlayfs cannot take a path with ':' or ','",
		      c->rootfs_real);
		return -1;
	}
	/* With --userns, root's child is a host user of its own (userns.c),
	 * who may not walk to ROOTFS (under a home dir of mode 0700, say).
	 * We can: we hand it the image as a detached bind mount (a copy of
	 * the mount, not of the files), which it attaches in its own mount
	 * namespace (child.c). Detached, it can also be idmapped, once the
	 * child's maps exist (run.c's parent hook). */
	if (c->userns && !c->rootless) {
		c->rootfs_fd = open_tree(AT_FDCWD, c->rootfs_real,
					 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (c->rootfs_fd < 0) {
			warn("ROOTFS %s", c->rootfs);
			return -1;
		}
	}
checked:
	/* Rootless, the container's user namespace maps one id, ours, as
	 * root: there is no other user inside to become. */
	if (c->rootless && c->user[0] && !user_is_root(c->user)) {
		warnx("-u %s (or the image's User): a rootless container has "
		      "only root inside (one id mapped); run as root for other "
		      "users", c->user);
		return -1;
	}
	if (limits_parse(&r.limits, c) < 0)
		return -1;
	for (int i = 0; i < r.n_volumes; i++)
		if (volume_parse(r.volumes[i], c->rootfs_real,
				 &c->volumes[i]) < 0)
			return -1;
	c->n_volumes = r.n_volumes;
	if (r.workdir && rootfs_resolve(c->rootfs_real, r.workdir, "-w",
					c->workdir, sizeof(c->workdir)) < 0)
		return -1;
	if (check_targets(c, r.volumes, r.workdir) < 0)
		return -1;
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++; /* ROOTFS -- command: the -- is optional */
	if (!c->from_image)
		c->argv = optind < argc ? argv + optind : default_cmd;
	else if (!c->argv)
		c->argv = default_cmd; /* neither Entrypoint nor Cmd */
	return 0;
}
