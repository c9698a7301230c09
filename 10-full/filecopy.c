/*
 * 10-full/filecopy.c - a regular file's bytes copied with its holes, and
 * a second thread for the large files of a tree copy.
 *
 * Claim: a copied file has the same bytes, and a sparse file stays sparse;
 *        `commit` and `import DIR` copy large files on a second thread
 *        while the tree walk makes the small ones, so that a commit takes
 *        no longer than GNU tar's two processes copying the same tree
 *        (make bench, the commit row). (tested in tests/10-full-image.bats
 *        and tests/10-full-disk.bats: the commit tests, the sparse file)
 * Uses:  nothing of the lessons: treecopy.c uses it
 * Read:  copy_file_range(2), lseek(2) (SEEK_DATA, SEEK_HOLE),
 *        pthread_cond_wait(3)
 *
 * Why a thread: `tar -c | tar -x` is two processes, one reading while
 * the other writes, so on two CPUs it takes about the time of the slower
 * half. A commit of 10,000 small files and 100 MiB in four large ones
 * spends about a third of its time writing the large files' bytes
 * (copy_file_range, one memcpy in the kernel), a third making the small
 * files, and a third reading the new layer back for its digest. The
 * thread takes the first third off the walk's path. One thread, not a
 * pool: the walk is one CPU's work, and a layer is made on one disk.
 */
#include "filecopy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bytes [at, end) of in to the same offsets of out: copy_file_range,
 * which shares or copies extents in the kernel, else pread/pwrite
 * (another filesystem, an old kernel). Returns 0 or -1. */
static int copy_range(int in, int out, off_t at, off_t end)
{
	char buf[65536];
	off_t from = at, to = at;
	ssize_t n;

	while (from < end) {
		n = copy_file_range(in, &from, out, &to, end - from, 0);
		if (n < 0 && (errno == EXDEV || errno == EINVAL ||
			      errno == ENOSYS || errno == EOPNOTSUPP))
			break;
		if (n <= 0)
			return n < 0 ? -1 : 0; /* shrank meanwhile */
	}
	while (from < end) {
		n = pread(in, buf, end - from < (off_t)sizeof(buf) ?
				   (size_t)(end - from) : sizeof(buf), from);
		if (n == 0)
			return 0; /* shrank meanwhile */
		if (n < 0 || pwrite(out, buf, n, from) != n)
			return -1;
		from += n;
	}
	return 0;
}

/* Only the extents with data are copied (SEEK_DATA, SEEK_HOLE), the size
 * set last. A sparse file of 2 GB that uses no block in the container
 * uses none in the layer either (written out, it would fill the disk: a
 * hostile test did). A file with as many blocks as bytes has no hole:
 * copied whole, with no lseek and no ftruncate (on ext4 a truncate to
 * the same size still costs a pass through the truncate code: 12% of a
 * commit of 10,000 small files). */
int filecopy_data(int in, int out, const struct stat *st)
{
	off_t data = 0, hole, size = st->st_size;

	if ((off_t)st->st_blocks * 512 >= size)
		return copy_range(in, out, 0, size);
	while (data < size) {
		data = lseek(in, data, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break; /* only a hole is left */
		hole = data < 0 ? size : lseek(in, data, SEEK_HOLE);
		if (data < 0 || hole < 0) /* no SEEK_DATA here: all of it */
			data = 0, hole = size;
		if (copy_range(in, out, data, hole < size ? hole : size) < 0)
			return -1;
		data = hole;
	}
	return ftruncate(out, size);
}

/* The thread: each job in turn, until the ring is empty and the end was
 * asked. After a failure the rest are only closed. */
static void *worker(void *arg)
{
	struct filecopy *fc = arg;
	struct filecopy_job j;
	bool skip;
	int failed;

	pthread_mutex_lock(&fc->lock);
	for (;;) {
		while (fc->n == 0 && !fc->ending)
			pthread_cond_wait(&fc->wake, &fc->lock);
		if (fc->n == 0)
			break;
		j = fc->jobs[fc->head];
		skip = fc->err != 0;
		pthread_mutex_unlock(&fc->lock);
		failed = 0;
		if (!skip && fc->finish(fc->ctx, j.in, j.out, &j.st) < 0)
			failed = errno ? errno : EIO;
		close(j.in);
		close(j.out);
		pthread_mutex_lock(&fc->lock);
		if (failed && !fc->err) {
			fc->err = failed;
			fc->err_path = j.path;
			j.path = NULL;
		}
		free(j.path);
		fc->head = (fc->head + 1) % (sizeof(fc->jobs) / sizeof(fc->jobs[0]));
		fc->n--;
		pthread_cond_signal(&fc->room);
	}
	pthread_mutex_unlock(&fc->lock);
	return NULL;
}

int filecopy_start(struct filecopy *fc, filecopy_finish *finish, void *ctx)
{
	memset(fc, 0, sizeof(*fc));
	fc->finish = finish;
	fc->ctx = ctx;
	pthread_mutex_init(&fc->lock, NULL);
	pthread_cond_init(&fc->wake, NULL);
	pthread_cond_init(&fc->room, NULL);
	fc->running = pthread_create(&fc->thread, NULL, worker, fc) == 0;
	return fc->running ? 0 : -1;
}

int filecopy_add(struct filecopy *fc, int in, int out, const struct stat *st,
		 const char *path)
{
	const unsigned size = sizeof(fc->jobs) / sizeof(fc->jobs[0]);
	char *p = strdup(path);
	int err;

	pthread_mutex_lock(&fc->lock);
	while (fc->n == size && !fc->err)
		pthread_cond_wait(&fc->room, &fc->lock);
	err = fc->err ? fc->err : p ? 0 : ENOMEM;
	if (!err) {
		fc->jobs[(fc->head + fc->n) % size] =
			(struct filecopy_job){in, out, *st, p};
		fc->n++;
		pthread_cond_signal(&fc->wake);
	}
	pthread_mutex_unlock(&fc->lock);
	if (!err)
		return 0;
	free(p);
	close(in);
	close(out);
	errno = err;
	return -1;
}

int filecopy_end(struct filecopy *fc)
{
	if (!fc->running)
		return 0;
	pthread_mutex_lock(&fc->lock);
	fc->ending = true;
	pthread_cond_signal(&fc->wake);
	pthread_mutex_unlock(&fc->lock);
	pthread_join(fc->thread, NULL);
	fc->running = false;
	pthread_mutex_destroy(&fc->lock);
	pthread_cond_destroy(&fc->wake);
	pthread_cond_destroy(&fc->room);
	if (!fc->err)
		return 0;
	errno = fc->err;
	return -1;
}
