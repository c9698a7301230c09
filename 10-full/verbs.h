/*
 * 10-full/verbs.h - the verbs besides `run`, one file each (main.c's
 * table), and what they share.
 *
 * Read: docker-container(1) and its pages for each verb
 */
#ifndef VERBS_H
#define VERBS_H

#include "state.h"
#include "store.h"

#include <getopt.h>
#include <stdio.h>

int cmd_ps(int argc, char **argv);
extern const char ps_usage[]; /* also `container ps --help` (main.c) */
int cmd_logs(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_exec(int argc, char **argv); /* exec.c, with join.c */
int cmd_attach(int argc, char **argv);

/* `attach` and `start -ai`: what we type goes to c's stdin (when it was
 * started with -i), what it writes from byte from of its log on is
 * printed, until it exits (its code is returned) or Ctrl-P Ctrl-Q
 * (exit 1). (attach.c) */
int attach_session(const struct state *st, struct container *c, long from,
		   bool with_stdin);
/* Images (image.h): one file each, images.c has two. */
int cmd_import(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_rmi(int argc, char **argv);
int cmd_commit(int argc, char **argv);
extern const char commit_usage[]; /* and `commit --help` */
int cmd_diff(int argc, char **argv);
int cmd_port(int argc, char **argv);
int cmd_info(int argc, char **argv); /* hostcheck.c */

/* inspect's NetworkSettings "Ports": {...} of c, into f (port.c). */
void port_json(FILE *f, const struct container *c);

/* `start -a`: prints what c writes to its log from byte from on, until
 * it exits (logs -f). Returns its exit code. */
int logs_attach(const struct state *st, struct container *c, long from);

/* Opens the data root (as `run` does, --root included) into st, and
 * sweeps what killed runs left: a verb sees containers as they are.
 * Returns 0, or -1 after saying why. */
int verb_open(struct state *st);

/* Finds ref (a name or an id prefix) and reads its record into c; when
 * its init has just exited, first gives its supervisor up to 3 s to write
 * the exit code. Returns 0, or -1 after one line saying why. */
int verb_find(const struct state *st, const char *ref, struct container *c);

/* verb_find without that wait, for rm and start, which wait for the
 * supervisor without a limit, under the container's lock (verb_settle). */
int verb_find_now(const struct state *st, const char *ref,
		  struct container *c);

/* Sends sig to c's init through a pidfd (store.h: no stranger that
 * reused the PID can get it). Returns 0, or -1 when it does not run (with
 * a line saying so when say). */
int verb_signal(const struct container *c, int sig, bool say);

/* Waits until c's supervisor has exited (it has then written the exit
 * code, or removed an --rm container), at most timeout_ms (-1: no limit).
 * Returns 0, or -1 on timeout. */
int verb_wait_supervisor(const struct container *c, int timeout_ms);

/* commit, import, save and diff hold an fd a directory level of the
 * tree they walk (at most 1024 levels, treecopy.h): the soft limit of
 * open files goes up to the hard one, as Go's runtime does at every
 * start (and so docker's), not left at 1024. Quiet when it cannot. */
void verb_more_fds(void);

/* For a verb that changes an exited container (rm, start), under its
 * lock: its init may be gone while its supervisor still writes the exit
 * code and lets go of the container's files. Waits for that supervisor,
 * then reads the record again into c. Returns 0; 1 when the supervisor
 * removed the container (--rm); -1 after saying why. */
int verb_settle(const struct state *st, struct container *c);

/* "Up 3 seconds", "Exited (137) 5 seconds ago", "Created": what `ps`
 * shows for c, into buf (size bytes). */
void verb_status_text(const struct container *c, char *buf, size_t size);

/* s into buf (size bytes) as ps shows a command, unquoted: a control
 * character (C0, DEL, C1) as Go's strconv.Quote writes it (\n, \t, \r,
 * \xNN, \u00NN), a backslash as \\, the rest (UTF-8 too) as it is. For
 * text an image or a container chose (history, diff): a terminal must not
 * obey its ESC sequences. Only whole escapes, as many as fit. Returns how
 * many bytes of s it took. (ps.c) */
size_t verb_escape(char *buf, size_t size, const char *s);

/* "TERM", "SIGTERM", "term" or "15": the signal's number, or -1 when it
 * names none. (stop.c) */
int verb_signal_number(const char *s);

/* getopt_long() (longs may be NULL) for a verb, argv[0] its name, opts
 * its short options ("+" in front, as getopt's, optional): an option it
 * does not take, or one without its value, is said in our words, not
 * getopt's ("ps: invalid option -- 'z'"): "container: unknown option
 * '-z'" and "See 'container ps --help'.", docker's two lines; then '?'
 * is returned, for the verb to return EXIT_FAILED. (verb.c) */
int verb_getopt(int argc, char **argv, const char *opts,
		const struct option *longs);

/* The same two lines for a verb that reads its own arguments: arg, one
 * of argv (argv[0] the verb's name), is an option it does not take, or
 * (no_value) one that needs a value and has none. Returns EXIT_FAILED. */
int verb_bad_option(char **argv, const char *arg, bool no_value);

/* Docker's words for a duration of s seconds ("Less than a second", "3
 * seconds", "About a minute", ...: go-units' HumanDuration). */
void verb_human(long s, char *buf, size_t size);

/* The seconds since an RFC 3339 time of the record (0 if unreadable). */
long verb_seconds_since(const char *when);

#endif
