/*
 * 10-full/inspect.c - `container inspect [-f FORMAT] NAME...`: a JSON
 * array with one object per container, in the shape of docker's.
 *
 * Claim: State.Pid is the host PID of the container's init while it runs
 *        (0 after), State.ExitCode is what `ps -a` shows, and the
 *        options given to `run` appear under Config and HostConfig; -f
 *        '{{.State.Pid}}' prints one value, as docker's does; with --net
 *        bridge, NetworkSettings.IPAddress and Gateway are the running
 *        container's.   (tested in tests/10-full-life.bats and
 *        tests/10-full-net.bats)
 * Uses:  json.c, options.c (run's options, parsed again from the
 *        record), verb.c
 * Read:  docker-container-inspect(1)
 *
 * The record keeps run's arguments as typed; inspect parses them again
 * with run's own parser, so the limits, volumes and workdir it shows are
 * exactly what run understood, not a second reading of the same text.
 */
#include "options.h"
#include "json.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void list(FILE *f, char *const *v, int n)
{
	putc('[', f);
	for (int i = 0; i < n; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, v[i]);
	}
	putc(']', f);
}

/* NetworkSettings, from the record: the address while it runs on the
 * bridge ("" otherwise, as docker's for a stopped container); Ports is
 * -p's (none yet: an empty map). */
static void network_settings(FILE *f, const struct container *c,
			     const char *mode)
{
	char addr[160];

	snprintf(addr, sizeof(addr),
		 "\"IPAddress\": \"%s\", \"IPPrefixLen\": %d, "
		 "\"Gateway\": \"%s\"",
		 c->ip, c->prefix, c->gateway);
	fprintf(f, ",\n  \"NetworkSettings\": {\"Bridge\": \"%s\", %s, ",
		c->bridge, addr);
	port_json(f, c); /* "Ports": {...} (port.c) */
	fprintf(f, ", \"Networks\": {\"%s\": {%s}}}", mode,
		strcmp(mode, "bridge") ? "" : addr);
}

/* The part run's options give: Config and HostConfig, Mounts. */
static void configuration(FILE *f, const struct container *c)
{
	static struct config cfg;
	char *argv[STORE_MAX_ARGS + 2] = {"run"}, cwd[4096] = "";
	const char *mode;
	int saved, null;
	bool ok;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(argv + 1, c->argv, sizeof(char *) * (c->argc + 1));
	cfg.image_pin = c->image_id[0] ? c->image_id : NULL;
	/* Quietly: an image removed since is no error for inspect; its
	 * options are then left out. */
	saved = dup(2);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ok = saved >= 0 && null >= 0 && dup2(null, 2) == 2 &&
	     getcwd(cwd, sizeof(cwd)) && chdir(c->cwd) == 0;
	ok = ok && options_parse(c->argc + 1, argv, &cfg) == 0;
	if (saved >= 0 && (dup2(saved, 2) < 0 || close(saved) < 0))
		ok = false;
	if (null >= 0)
		close(null);
	if (cwd[0] && chdir(cwd) < 0)
		ok = false;
	if (cfg.rootfs_fd >= 0)
		close(cfg.rootfs_fd);
	if (cfg.image_lock_fd > 0)
		close(cfg.image_lock_fd);
	for (int i = 0; i < cfg.n_volumes; i++)
		close(cfg.volumes[i].source_fd);
	fprintf(f, ",\n  \"Config\": {\"Hostname\": ");
	json_string(f, ok && cfg.hostname ? cfg.hostname : c->id);
	fprintf(f, ", \"Env\": ");
	list(f, c->env, c->n_env);
	fprintf(f, ", \"Cmd\": ");
	list(f, c->cmd, c->n_cmd);
	fprintf(f, ", \"Image\": ");
	json_string(f, c->image);
	fprintf(f, ", \"User\": ");
	json_string(f, ok ? cfg.user : "");
	fprintf(f, ", \"WorkingDir\": \"/%s\", \"OpenStdin\": %s}",
		ok ? cfg.workdir : "", ok && cfg.interactive ? "true" : "false");
	mode = ok && cfg.net_host	? "host"
	       : ok && cfg.net_bridge ? "bridge"
				      : "none";
	fprintf(f, ",\n  \"HostConfig\": {\"Memory\": %lld, \"CpuQuota\": %lld,"
		   " \"CpuPeriod\": %lld, \"PidsLimit\": %lld,"
		   " \"ReadonlyRootfs\": %s, \"AutoRemove\": %s,"
		   " \"NetworkMode\": \"%s\", \"UsernsMode\": \"%s\","
		   " \"Init\": %s}",
		ok ? cfg.limits.memory_bytes : 0, ok ? cfg.limits.cpu_quota_us : 0,
		ok ? cfg.limits.cpu_period_us : 0, ok ? cfg.limits.pids_max : 0,
		ok && cfg.read_only ? "true" : "false",
		c->auto_remove ? "true" : "false", mode,
		ok && cfg.userns ? "private" : "host",
		/* docker's too: null unless --init was given */
		ok && cfg.init ? "true" : "null");
	fprintf(f, ",\n  \"Mounts\": [");
	for (int i = 0; ok && i < cfg.n_volumes; i++) {
		char dst[PATH_MAX + 1];

		snprintf(dst, sizeof(dst), "/%s", cfg.volumes[i].target);
		fprintf(f, "%s{\"Type\": \"bind\", \"Source\": ", i ? ", " : "");
		json_string(f, cfg.volumes[i].source);
		fprintf(f, ", \"Destination\": ");
		json_string(f, dst);
		fprintf(f, ", \"RW\": %s}",
			cfg.volumes[i].read_only ? "false" : "true");
	}
	fprintf(f, "]");
	network_settings(f, c, mode);
}

/* One container as docker's inspect shows it, into f. */
static void object(FILE *f, const struct container *c)
{
	static const char *const names[] = {"created", "running", "exited"};
	bool running = c->status == STATUS_RUNNING;

	fprintf(f, "{\n  \"Id\": \"%s\",\n  \"Created\": \"%s\",\n  \"Path\": ",
		c->id, c->created);
	json_string(f, c->n_cmd ? c->cmd[0] : "");
	fprintf(f, ",\n  \"Args\": ");
	list(f, c->cmd + (c->n_cmd > 0), c->n_cmd - (c->n_cmd > 0));
	fprintf(f, ",\n  \"State\": {\"Status\": \"%s\", \"Running\": %s,"
		   " \"Pid\": %d, \"ExitCode\": %d, \"StartedAt\": \"%s\","
		   " \"FinishedAt\": \"%s\"}",
		names[c->status], running ? "true" : "false",
		running ? (int)c->pid : 0, running ? 0 : c->exit_code,
		c->started_at, c->finished_at);
	/* docker's: the image's id here, its name under Config. */
	fprintf(f, ",\n  \"Image\": ");
	json_string(f, c->image_id[0] ? c->image_id : c->image);
	fprintf(f, ",\n  \"Name\": \"/%s\"", c->name);
	configuration(f, c);
	fprintf(f, "\n}");
}

/* Prints format with each {{.A.B}} replaced by that value of obj.
 * Returns 0, or -1 after saying which field does not exist. */
static int print_format(const char *format, const char *obj)
{
	const char *p = format, *open, *close, *s, *v;
	char key[128], value[4096];

	while ((open = strstr(p, "{{")) && (close = strstr(open, "}}"))) {
		fwrite(p, 1, open - p, stdout);
		/* Each .NAME is one level down. */
		v = obj;
		for (s = strchr(open, '.'); s && s < close;
		     s = strchr(s + 1, '.')) {
			size_t len = strcspn(s + 1, ". }");

			snprintf(key, sizeof(key), "%.*s", (int)len, s + 1);
			if (!(v = json_get(v, key))) {
				warnx("-f '%s': no field %s", format, key);
				return -1;
			}
		}
		if (json_get_string(v, value, sizeof(value)) == 0)
			fputs(value, stdout);
		else
			fwrite(v, 1, json_skip(v) - v, stdout);
		p = close + 2;
	}
	fputs(p, stdout);
	putchar('\n');
	return 0;
}

int cmd_inspect(int argc, char **argv)
{
	static struct container c;
	const char *format = NULL;
	struct state st = {0};
	char *text = NULL;
	size_t size;
	int opt, ret = 0, shown = 0;
	FILE *f;

	while ((opt = verb_getopt(argc, argv, "f:", NULL)) != -1) {
		if (opt == '?')
			return EXIT_FAILED; /* it said which */
		format = optarg;
	}
	if (optind == argc || verb_open(&st) < 0) {
		if (optind == argc)
			warnx("usage: container inspect [-f FORMAT] NAME...");
		return EXIT_FAILED;
	}
	if (!format)
		fputs("[", stdout);
	for (int i = optind; i < argc; i++) {
		if (verb_find(&st, argv[i], &c) < 0) {
			ret = EXIT_FAILED;
			continue;
		}
		f = open_memstream(&text, &size);
		object(f, &c);
		fclose(f);
		if (format)
			ret = print_format(format, text) < 0 ? EXIT_FAILED : ret;
		else
			printf("%s%s", shown++ ? ",\n" : "\n", text);
		free(text);
	}
	if (!format)
		fputs(shown ? "\n]\n" : "]\n", stdout);
	return ret;
}
