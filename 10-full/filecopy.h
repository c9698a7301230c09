/*
 * 10-full/filecopy.h - a regular file's bytes copied, holes kept; and a
 * second thread that finishes large files while the tree walk goes on.
 *
 * Read: copy_file_range(2), lseek(2) (SEEK_DATA, SEEK_HOLE),
 *       pthread_cond_wait(3)
 */
#ifndef FILECOPY_H
#define FILECOPY_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/stat.h>

/* The data of the regular file in (st: its stat) into out, a new empty
 * file: only the extents with data, the size set last. Returns 0 or -1. */
int filecopy_data(int in, int out, const struct stat *st);

/* Files of at least this many bytes go to the second thread. */
#define FILECOPY_LARGE (64 * 1024)

/* What the thread does with a file: copy it (data, then its owner,
 * mode, xattrs and times: finish's job), then close both fds. */
typedef int filecopy_finish(void *ctx, int in, int out, const struct stat *st);

struct filecopy {
	filecopy_finish *finish;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake; /* a job came, or the end */
	pthread_cond_t room; /* a job left */
	struct filecopy_job {
		int in, out;
		struct stat st;
		char *path;
	} jobs[16]; /* a ring: at most 32 fds held */
	unsigned head, n;
	bool running, ending;
	int err;        /* the first failure's errno, 0 if none */
	char *err_path; /* ... and its path */
};

/* Starts the thread. Returns 0, or -1 (then the caller copies alone). */
int filecopy_start(struct filecopy *fc, filecopy_finish *finish, void *ctx);

/* Hands in and out (closed by the thread) and st to the thread, with
 * path for a message, waiting for room. Returns 0, or -1 with errno set
 * once a file failed (in and out closed here then). */
int filecopy_add(struct filecopy *fc, int in, int out, const struct stat *st,
		 const char *path);

/* Waits until every file handed over is done, and ends the thread.
 * Returns 0, or -1 with errno and fc->err_path (freed by the caller)
 * saying which file failed first. */
int filecopy_end(struct filecopy *fc);

#endif
