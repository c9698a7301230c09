/*
 * 10-full/tar.h - the tar format of image layers: a writer of POSIX
 * ustar with pax extended headers, and a reader of ustar, pax and GNU
 * tar's long names.
 *
 * An archive is a run of 512-byte headers, each followed by its data
 * rounded up to 512 bytes, ended by two zero blocks. ustar's fields are
 * small (a 100-byte name, 8 GiB sizes, 7 octal digits for ids, whole
 * seconds); whatever does not fit goes in a pax header ('x') just before,
 * as "LEN KEY=VALUE\n" records: path, linkpath, size, uid, gid, mtime
 * (with nanoseconds), and SCHILY.xattr.NAME for extended attributes (the
 * keys GNU tar, Go's archive/tar and so docker use).
 *
 * Read: POSIX pax(1) ("ustar Interchange Format", "pax Header Block"),
 *       GNU tar's manual, "Basic Tar Format" (L and K headers)
 */
#ifndef TAR_H
#define TAR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define TAR_BLOCK 512
/* The largest entry (and skip) a reader takes: what an off_t holds, less
 * the padding, so that a size plus its padding never wraps. */
#define TAR_MAX_SIZE ((uint64_t)INT64_MAX - TAR_BLOCK)
/* The most extended attributes one entry may carry (reading and writing). */
#define TAR_MAX_XATTRS 32

struct tar_xattr {
	char *name;          /* "user.comment", "security.capability", ... */
	char *value;
	size_t len;          /* value's length (values are bytes, not text) */
};

struct tar_entry {
	char type;           /* '0' file, '1' hard link, '2' symlink, '3'
				char dev, '4' block dev, '5' dir, '6' fifo */
	char *name;          /* no leading "./" added or removed */
	char *link;          /* hard link's target name, symlink's text */
	unsigned mode;       /* permission bits with suid, sgid, sticky */
	uint64_t uid, gid;
	uint64_t size;       /* of the data that follows ('0' only) */
	int64_t mtime;       /* seconds since the epoch */
	long mtime_nsec;
	unsigned devmajor, devminor;
	int n_xattrs;
	struct tar_xattr xattrs[TAR_MAX_XATTRS];
};

/* --- writing (tar_write.c) --- */

/* Where the writer puts its bytes: returns 0, or -1 to stop (after
 * saying why). */
typedef int (*tar_sink)(void *ctx, const void *buf, size_t n);

struct tar_writer {
	tar_sink sink;
	void *ctx;
	uint64_t left;       /* data bytes the last header announced, to come */
	unsigned pad;        /* then this much padding */
	size_t fill;
	unsigned char buf[1 << 16]; /* small writes gathered into big ones */
};

void tar_writer_init(struct tar_writer *w, tar_sink sink, void *ctx);
/* Writes e's header (a pax header first when a field does not fit
 * ustar's). Returns 0 or -1. */
int tar_write_header(struct tar_writer *w, const struct tar_entry *e);
/* The next n bytes of the entry's data; after its last byte the padding
 * to a block follows by itself. Returns 0, or -1 (also when more is
 * written than the header said). */
int tar_write_data(struct tar_writer *w, const void *p, size_t n);
/* Like tar_write_data for n bytes that are not there: the sink is called
 * with buf NULL and n (a sink that only counts: layer_pack_size). */
int tar_write_skip(struct tar_writer *w, uint64_t n);
/* The end: two zero blocks, then everything gathered goes to the sink.
 * Returns 0, or -1 (also when an entry's data was left short). */
int tar_write_end(struct tar_writer *w);

/* A sink that writes to the file descriptor at ctx (an int *). */
int tar_sink_fd(void *ctx, const void *buf, size_t n);

/* --- reading (tar_read.c) --- */

/* Where the reader takes its bytes: up to n into buf; returns how many,
 * 0 at the end, -1 on error (after saying why). */
typedef ssize_t (*tar_source)(void *ctx, void *buf, size_t n);

struct tar_reader {
	tar_source src;      /* NULL: read(2) from fd */
	void *ctx;
	int fd;              /* -1, or an fd; skipped with lseek if it can */
	uint64_t offset;     /* bytes of the archive consumed so far */
	uint64_t left;       /* data of the current entry not yet read */
	unsigned pad;        /* then this much padding */
	size_t pos, end;
	struct tar_entry e;
	unsigned char buf[1 << 16];
};

void tar_reader_init(struct tar_reader *r, tar_source src, void *ctx,
		     int fd);
/* The next entry (its pax/GNU headers applied) into *e, which stays
 * valid until the next call. Skips the unread data of the one before.
 * Returns 1, 0 at the end-of-archive blocks, or -1 after one line
 * (truncated, bad checksum, a name over PATH_MAX, a sparse or unknown
 * extension). */
int tar_next(struct tar_reader *r, struct tar_entry **e);
/* Up to n bytes of the current entry's data. Returns how many, 0 at its
 * end, -1 if the archive ends before it (truncated). */
ssize_t tar_read(struct tar_reader *r, void *buf, size_t n);
/* Frees what the last entry held. */
void tar_reader_free(struct tar_reader *r);

/* Inside the reader (tar_pax.c): applies the records of a pax header to
 * e; *has_size set when one says the size. Returns 0, or -1 after one
 * line. */
int tar_pax_apply(struct tar_entry *e, const char *p, size_t n,
		  bool *has_size);

#endif
