/*
 * 01-uts/cli.c - the command line every lesson shares.
 *
 *   PROGRAM [options] [POSITIONAL] [--] [command [args...]]
 *
 * Each lesson in the chain contributes its options; --help lists them with
 * the lesson they come from. Parsing stops at the first word that is not an
 * option, so `pid ls -l` runs `ls -l`. No command means an interactive
 * /bin/sh with a prompt naming the lesson, so you can tell you are inside.
 *
 * Read: getopt_long(3)
 */
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 64

const char *lesson_program = "lesson";

struct entry {
	const struct lesson *from;
	const struct lesson_option *opt;
};

/* Lists the chain's options, 01-uts first; returns how many. */
static int collect(const struct lesson *top, struct entry *e)
{
	const struct lesson *chain[16];
	int n = 0, count = 0;

	for (const struct lesson *l = top; l && n < 16; l = l->prev)
		chain[n++] = l;
	while (n-- > 0)
		for (const struct lesson_option *o = chain[n]->options;
		     o && o->name; o++)
			if (count < MAX_OPTIONS)
				e[count++] = (struct entry){chain[n], o};
	return count;
}

static void usage(FILE *out, const struct lesson *top, const char *argv0)
{
	struct entry e[MAX_OPTIONS];
	int n = collect(top, e);

	fprintf(out, "Usage: %s [options]%s%s [--] [command [args...]]\n",
		argv0, top->positional ? " " : "",
		top->positional ? top->positional : "");
	fprintf(out, "%s: %s\n\nOptions:\n", top->name, top->summary);
	fprintf(out, "  -h, --help              show this help and exit\n");
	for (int i = 0; i < n; i++) {
		const struct lesson_option *o = e[i].opt;
		char left[64], flag[8] = "    ";

		if (o->short_name)
			snprintf(flag, sizeof(flag), "-%c, ", o->short_name);
		snprintf(left, sizeof(left), "%s--%s%s%s", flag, o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-22s  %s", left, o->help);
		if (e[i].from != top)
			fprintf(out, " (%s)", e[i].from->name);
		fputc('\n', out);
	}
	fprintf(out, "\nWithout a command it runs an interactive /bin/sh.\n"
		     "Exit status: the command's, 128+N if signal N killed "
		     "it,\n125 if %s itself failed, 126 if the command "
		     "cannot run, 127 if not found.\n",
		     top->name);
}

static int bad_usage(const struct lesson *top, const char *argv0)
{
	fprintf(stderr, "Try '%s --help' for the options.\n", argv0);
	(void)top;
	return EXIT_FAILED;
}

int lesson_main(const struct lesson *top, int argc, char **argv)
{
	static char *default_cmd[] = {"/bin/sh", NULL};
	struct entry e[MAX_OPTIONS];
	struct option longopts[MAX_OPTIONS + 2];
	char shortopts[2 * MAX_OPTIONS + 4] = "+:h";
	int n = collect(top, e), c;

	lesson_program = top->name;
	/* err(3) and warn(3) prefix messages with this name. */
	program_invocation_short_name = (char *)top->name;

	for (int i = 0; i < n; i++) {
		longopts[i] = (struct option){e[i].opt->name,
					      e[i].opt->arg ? required_argument
							    : no_argument,
					      NULL, 256 + i};
		if (e[i].opt->short_name) {
			size_t len = strlen(shortopts);
			shortopts[len] = (char)e[i].opt->short_name;
			if (e[i].opt->arg)
				shortopts[++len] = ':';
			shortopts[len + 1] = '\0';
		}
	}
	longopts[n] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[n + 1] = (struct option){0};

	opterr = 0; /* we print our own, clearer messages */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct lesson_option *o = NULL;

		if (c == 'h') {
			usage(stdout, top, argv[0]);
			return 0;
		}
		if (c == '?' || c == ':') {
			const char *what = c == '?' ? "unknown option"
						    : "missing value for option";
			if (c == '?' && optopt >= 256) /* --flag=value */
				warnx("option '--%s' takes no value",
				      e[optopt - 256].opt->name);
			else if (optopt && optopt < 256)
				warnx("%s '-%c'", what, optopt);
			else
				warnx("%s '%s'", what, argv[optind - 1]);
			return bad_usage(top, argv[0]);
		}
		if (c >= 256)
			o = e[c - 256].opt;
		else
			for (int i = 0; i < n && !o; i++)
				if (e[i].opt->short_name == c)
					o = e[i].opt;
		if (o->flag)
			*o->flag = true;
		else if (o->set(optarg) < 0)
			return bad_usage(top, argv[0]);
	}

	if (top->positional) {
		if (optind >= argc) {
			warnx("missing %s: give it before the command",
			      top->positional);
			return bad_usage(top, argv[0]);
		}
		if (top->set_positional(argv[optind++]) < 0)
			return EXIT_FAILED;
		/* ROOTFS -- command, as the usage line shows: getopt took
		 * the options before ROOTFS only, so skip the -- here. */
		if (optind < argc && strcmp(argv[optind], "--") == 0)
			optind++;
	}

	if (optind >= argc) {
		/* A prompt that tells the student where they are. */
		char ps1[64];
		snprintf(ps1, sizeof(ps1), "[%s] # ", top->name);
		setenv("PS1", ps1, 1);
		return lesson_run(top, default_cmd);
	}
	return lesson_run(top, argv + optind);
}
