/*
 * 10-full/supervise.c - `run -d`: the caller returns once the command
 * runs; a supervisor of ours stays, parent of the container, on its own.
 *
 * Claim: `run -d` prints the id and exits 0 only once the command's
 *        execve() has succeeded, and with 125/126/127 (and the reason on
 *        its stderr) when the container never got that far; the
 *        supervisor it leaves is in a session of its own and holds no fd
 *        of the caller, so closing the caller's terminal (SIGHUP) or the
 *        caller's shell exiting does not touch the container.
 *        (tested in tests/10-full-life.bats)
 * Uses:  entry.c, reexec.c (the sealed copy says when the command runs;
 *        --init: 03-pid's pid_report_fd),
 *        idle.c (where the watch thread sleeps, small), relay.c (the
 *        container's stderr is the caller's only when the start failed)
 * Read:  setsid(2), fork(2), pipe(7); podman's conmon, which does this
 *        job for podman (and containerd-shim for docker)
 *
 * Who must wait for a container: the process that can reap it, its
 * parent. Docker has a daemon for that; a runtime without one leaves a
 * process of its own behind, the supervisor: it holds the cgroup, copies
 * the output to the log, writes the exit code into the record, and
 * cleans up, exactly as a foreground `run` does, because it is one: the
 * same code, with no terminal. The caller only forks it and waits on a
 * pipe for one word: "the command runs" ('S'), or the exit code of a
 * container that ended first. PID 1 tells the supervisor, on a pipe that
 * is its fd 3 (report_verdict below). With --init, the init knows when
 * the command runs: its vfork() returns once the command has exec'd or
 * failed (03-pid), and it writes 'S' or 'F'. Without it, the sealed copy
 * that becomes the command writes 'X' right before its execve(); the
 * pipe is close-on-exec, so end of file then means the exec succeeded,
 * and an 'F' after the 'X' that it failed (runc's exec fifo is the same
 * idea: a file the start waits on).
 */
#include "supervise.h"
#include "idle.h"
#include "relay.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static int ready = -1;		/* to the caller: 'S', or 'E' and a code */
static int report = -1;		/* from PID 1: report_verdict() */
static int wake = -1, wake_end = -1; /* the end: the thread may return */
static pthread_t thread;
static bool watching;
/* What PID 1 said, as the thread heard it: 'S', 'F', 0 for nothing
 * (it died first); -1 while the thread waits. */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t heard = PTHREAD_COND_INITIALIZER;
static int told = -1;

int supervise_detach(void)
{
	int p[2], st;
	char msg[2];
	pid_t pid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0) {
		warn("pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		warn("fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* The supervisor: out of the caller's session (no terminal
		 * to hang up on us, no job to be stopped with), and its
		 * stdin let go at once. Its stdout and stderr stay the
		 * caller's until the command runs: a failure is told there. */
		close(p[0]);
		ready = p[1];
		if (setsid() < 0 ||
		    dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 0) < 0) {
			warn("supervisor: setsid, /dev/null");
			_exit(125);
		}
		return -2;
	}
	close(p[1]);
	do
		n = read(p[0], msg, 2);
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n >= 1 && msg[0] == 'S')
		return 0;
	if (n == 2 && msg[0] == 'E')
		return (unsigned char)msg[1];
	/* It died without a word (killed): its own status tells. */
	if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st))
		return WEXITSTATUS(st);
	return 125;
}

int supervise_report_pipe(void)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0) {
		warn("pipe");
		return -1;
	}
	report = p[0];
	return p[1];
}

/* The caller may go: it is told, and we keep nothing of its. */
static void let_caller_go(const char *msg, size_t len)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (write(ready, msg, len) < 0) {
		/* the caller is gone: nobody to tell */
	}
	close(ready);
	ready = -1;
	if (null >= 0) {
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
}

/* What PID 1 said on the report pipe: 'S' the command runs (or ran),
 * 'F' it could not start, 0 nothing (the container ended before). Reads
 * up to end of file, or, with wait false, what is there. */
static char report_verdict(int fd, bool wait)
{
	char said[2];
	size_t got = 0;
	ssize_t n;

	if (!wait && fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		return 0;
	while (got < sizeof(said)) {
		n = read(fd, said + got, sizeof(said) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
		if (said[0] != 'X')
			break; /* --init's one word */
	}
	if (got == 0)
		return 0;
	if (said[0] == 'X') /* no --init: the copy's */
		return got == 2 && said[1] == 'F' ? 'F' : 'S';
	return said[0] == 'S' || said[0] == 'F' ? said[0] : 0;
}

static void *watch(void *arg)
{
	char c;

	(void)arg;
	/* 'S' once the command runs; 'F', or nothing when PID 1 died
	 * first: then the exit code tells the caller, later. */
	c = report_verdict(report, true);
	/* The container's stderr: the caller's too only if it failed. */
	relay_verdict(c == 'S' ? 'S' : 'F');
	pthread_mutex_lock(&mutex);
	told = c;
	pthread_cond_broadcast(&heard);
	pthread_mutex_unlock(&mutex);
	if (c == 'S') {
		/* The caller goes once we are as small as we stay (idle.c);
		 * we are parked there until the end (supervise_end): a
		 * thread that exited now would run, and map again, glibc's
		 * exit path. */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		idle_park(ready, 'S', null, wake);
		ready = -1;
	}
	return NULL;
}

int supervise_report_fd(void)
{
	return report;
}

int supervise_watch(int write_end)
{
	sigset_t all, old;
	int err, p[2];

	close(write_end); /* the child has its copy */
	if (pipe2(p, O_CLOEXEC) < 0) {
		warn("pipe");
		return -1;
	}
	wake = p[0];
	wake_end = p[1];
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thread, NULL, watch, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		warn("supervisor: pthread_create");
		return -1;
	}
	watching = true;
	return 0;
}

void supervise_heard(void)
{
	if (!watching)
		return;
	pthread_mutex_lock(&mutex);
	while (told < 0)
		pthread_cond_wait(&heard, &mutex);
	pthread_mutex_unlock(&mutex);
}

bool supervise_ran(void)
{
	char c = 0;

	if (watching) {
		/* PID 1 is gone by now: the thread's read returns. */
		pthread_mutex_lock(&mutex);
		while (told < 0)
			pthread_cond_wait(&heard, &mutex);
		c = told;
		pthread_mutex_unlock(&mutex);
	} else if (report >= 0) {
		/* In the foreground, no one read it: it is there. */
		c = report_verdict(report, false);
	}
	return c == 'S' || c == 'F';
}

void supervise_end(int status)
{
	char msg[2] = {'E', (char)status};

	if (watching) {
		close(wake_end); /* end of file: the thread returns */
		pthread_join(thread, NULL);
	}
	watching = false;
	if (report >= 0)
		close(report);
	if (wake >= 0)
		close(wake);
	report = wake = wake_end = -1;
	if (ready >= 0)
		let_caller_go(msg, 2);
}
