/*
 * 10-full/filecopy.c - a regular file's bytes copied, its holes kept.
 *
 * Claim: a copied file has the same bytes, and a sparse file stays sparse
 *        (tested in tests/10-full-image.bats: the commit tests, the
 *        sparse file, a large file with all a layer keeps)
 * Uses:  nothing of the lessons: treecopy.c uses it
 * Read:  copy_file_range(2), lseek(2) (SEEK_DATA, SEEK_HOLE)
 */
#include "filecopy.h"

#include <errno.h>
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
