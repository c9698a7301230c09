/*
 * 10-full/filecopy.h - a regular file's bytes copied, its holes kept.
 *
 * Read: copy_file_range(2), lseek(2) (SEEK_DATA, SEEK_HOLE)
 */
#ifndef FILECOPY_H
#define FILECOPY_H

#include <sys/stat.h>

/* The data of the regular file in (st: its stat) into out, a new empty
 * file: only the extents with data, the size set last. Returns 0 or -1. */
int filecopy_data(int in, int out, const struct stat *st);

#endif
