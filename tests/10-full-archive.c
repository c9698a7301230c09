/*
 * tests/10-full-archive.c - a driver for 10-full's byte-format libraries,
 * so that tests/10-full-archive.bats can hold each of them against the
 * standard tools (sha256sum, GNU tar, gzip).
 *
 *   archive sha256 [-p] [FILE...]   as sha256sum prints it ("-": stdin;
 *                              -p: with the portable C block function,
 *                              not the SHA instructions)
 *   archive sha256-impl        which block function sha256 uses here
 *   archive list [FILE]        tar_read: one line an entry (TYPE MODE
 *                              UID/GID SIZE MTIME NAME [-> LINK]), then a
 *                              line for each xattr; stdin without FILE
 *   archive pack DIR           layer_pack: DIR as a layer tar on stdout
 *   archive unpack DIR [-r]    layer_unpack: stdin into the empty DIR (-r:
 *                              rootless)
 *   archive xattr PATH [NAME VALUE]   sets one (no following of a last
 *                              symlink), or lists all, sorted, NAME=VALUE
 *   archive gunzip             inflate: stdin (gzip) to stdout
 *   archive big SIZE           a tar of one file of SIZE bytes (a hole:
 *                              seekable stdout only)
 *   archive dirs N DEPTH [LEN]   a tar of N entries of one dir, DEPTH
 *                              components deep, each LEN bytes (1)
 *   archive raw NAME TYPE [SIZE]   one hand-made header and stdin as its
 *                              data, padded: a size that lies (base-256
 *                              when octal cannot hold it), a pax record
 *                              no writer makes; no end blocks
 *
 * Built by the bats file with cc and linked with the objects it tests.
 */
#include "../10-full/inflate.h"
#include "../10-full/layertar.h"
#include "../10-full/sha256.h"
#include "../10-full/sha256_int.h"
#include "../10-full/tar.h"

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

static int cmd_sha256(int argc, char **argv)
{
	static char buf[1 << 16];
	const char *stdin_only[] = {"-"};
	const char **files;
	int n;

	if (argc > 1 && !strcmp(argv[1], "-p")) {
		sha256_impl(true);
		argc--, argv++;
	}
	files = argc > 1 ? (const char **)argv + 1 : stdin_only;
	n = argc > 1 ? argc - 1 : 1;
	for (int i = 0; i < n; i++) {
		struct sha256 s;
		char hex[65];
		ssize_t got;
		int fd = strcmp(files[i], "-") ? open(files[i], O_RDONLY) : 0;

		if (fd < 0)
			err(1, "%s", files[i]);
		sha256_init(&s);
		while ((got = read(fd, buf, sizeof(buf))) > 0)
			sha256_update(&s, buf, got);
		if (got < 0)
			err(1, "%s", files[i]);
		sha256_hex(&s, hex);
		printf("%s  %s\n", hex, files[i]);
		if (fd)
			close(fd);
	}
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	static struct tar_reader r;
	struct tar_entry *e;
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0, ret;

	if (fd < 0)
		err(1, "%s", argv[1]);
	tar_reader_init(&r, NULL, NULL, fd);
	while ((ret = tar_next(&r, &e)) > 0) {
		printf("%c %04o %llu/%llu %llu %lld.%09ld %s", e->type, e->mode,
		       (unsigned long long)e->uid, (unsigned long long)e->gid,
		       (unsigned long long)e->size, (long long)e->mtime,
		       e->mtime_nsec, e->name);
		if (e->type == '1' || e->type == '2')
			printf(" -> %s", e->link);
		if (e->type == '3' || e->type == '4')
			printf(" %u,%u", e->devmajor, e->devminor);
		printf("\n");
		for (int i = 0; i < e->n_xattrs; i++)
			printf("  xattr %s=%.*s\n", e->xattrs[i].name,
			       (int)e->xattrs[i].len, e->xattrs[i].value);
	}
	tar_reader_free(&r);
	return ret < 0 ? 1 : 0;
}

static int cmd_pack(int argc, char **argv)
{
	int out = 1, fd = argc > 1 ? open(argv[1], O_RDONLY | O_DIRECTORY) : -1;

	if (fd < 0)
		err(1, "pack %s", argc > 1 ? argv[1] : "(no DIR)");
	return layer_pack(fd, NULL, tar_sink_fd, &out) < 0 ? 1 : 0;
}

static int cmd_unpack(int argc, char **argv)
{
	int fd = argc > 1 ? open(argv[1], O_RDONLY | O_DIRECTORY) : -1;

	if (fd < 0)
		err(1, "unpack %s", argc > 1 ? argv[1] : "(no DIR)");
	return layer_unpack(0, fd, argc > 2 && !strcmp(argv[2], "-r")) < 0 ? 1 : 0;
}

static int cmd_big(int argc, char **argv)
{
	static struct tar_writer w;
	struct tar_entry e = {.type = '0', .name = "big", .mode = 0644};
	int out = 1;

	if (argc < 2)
		errx(2, "big SIZE");
	e.size = strtoull(argv[1], NULL, 10);
	/* The header, then the data as a hole: only the size matters. */
	tar_writer_init(&w, tar_sink_fd, &out);
	if (tar_write_header(&w, &e) < 0)
		return 1;
	w.left = 0;
	if (tar_write_end(&w) < 0)
		return 1;
	/* The end blocks again, past the data (what is before them, a
	 * hole, reads as zeros). */
	char zeros[2 * TAR_BLOCK] = {0};
	off_t data = lseek(1, 0, SEEK_CUR) - sizeof(zeros);

	if (data < 0 || lseek(1, data + e.size + (-e.size % TAR_BLOCK), SEEK_SET) < 0 ||
	    write(1, zeros, sizeof(zeros)) != sizeof(zeros))
		err(1, "big: stdout must be a file");
	return 0;
}

/* The same dir, named again and again (a pax header carries a long
 * name): what a layer that costs memory per entry would be made of. */
static int cmd_dirs(int argc, char **argv)
{
	static struct tar_writer w;
	static char name[1 << 16];
	struct tar_entry e = {.type = '5', .name = name, .mode = 0755};
	long n, depth, len, at = 0;
	int out = 1;

	if (argc < 3)
		errx(2, "dirs N DEPTH [LEN]");
	n = atol(argv[1]);
	depth = atol(argv[2]);
	len = argc > 3 ? atol(argv[3]) : 1;
	if (depth < 1 || len < 1 || len > 255 ||
	    depth * (len + 1) >= (long)sizeof(name))
		errx(2, "dirs: DEPTH or LEN out of range");
	for (long i = 0; i < depth; i++) {
		memset(name + at, 'd', len);
		at += len;
		name[at++] = '/';
	}
	tar_writer_init(&w, tar_sink_fd, &out);
	for (long i = 0; i < n; i++)
		if (tar_write_header(&w, &e) < 0)
			return 1;
	return tar_write_end(&w) < 0 ? 1 : 0;
}

/* One ustar header, by hand: what tar_write_header() would never write. */
static int cmd_raw(int argc, char **argv)
{
	static char data[1 << 20];
	static const char zeros[TAR_BLOCK];
	unsigned char h[TAR_BLOCK] = {0};
	unsigned long long size;
	unsigned sum = 0;
	size_t n = 0;
	ssize_t got;

	if (argc < 3)
		errx(2, "raw NAME TYPE [SIZE]");
	while ((got = read(0, data + n, sizeof(data) - n)) > 0)
		n += got;
	size = argc > 3 ? strtoull(argv[3], NULL, 10) : n;
	snprintf((char *)h, 100, "%s", argv[1]);
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	if (size < 077777777777ULL) {
		snprintf((char *)h + 124, 12, "%011llo", size);
	} else { /* GNU base-256: 0x80, then the number, big-endian */
		h[124] = 0x80;
		for (int i = 11; i > 3; i--, size >>= 8)
			h[124 + i] = size & 0xff;
	}
	memcpy(h + 136, "00000000000", 12);
	h[156] = argv[2][0];
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	if (write(1, h, sizeof(h)) != sizeof(h) || write(1, data, n) != (ssize_t)n ||
	    write(1, zeros, -n % TAR_BLOCK) < 0)
		err(1, "raw");
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_xattr(int argc, char **argv)
{
	char names[8192], value[8192], *list[256];
	ssize_t n;
	int k = 0;

	if (argc == 4)
		return lsetxattr(argv[1], argv[2], argv[3], strlen(argv[3]), 0) < 0
			? (warn("%s", argv[1]), 1) : 0;
	if (argc != 2)
		errx(2, "xattr PATH [NAME VALUE]");
	n = llistxattr(argv[1], names, sizeof(names));
	if (n < 0)
		err(1, "%s", argv[1]);
	for (char *x = names; x < names + n && k < 256; x += strlen(x) + 1)
		list[k++] = x;
	qsort(list, k, sizeof(*list), by_string);
	for (int i = 0; i < k; i++) {
		ssize_t v = lgetxattr(argv[1], list[i], value, sizeof(value));

		if (v < 0)
			err(1, "%s: %s", argv[1], list[i]);
		printf("%s=%.*s\n", list[i], (int)v, value);
	}
	return 0;
}

static ssize_t read_stdin(void *ctx, void *buf, size_t n)
{
	(void)ctx;
	return read(0, buf, n);
}

static int cmd_gunzip(int argc, char **argv)
{
	static char buf[1 << 16];
	struct inflate *z = inflate_new(read_stdin, NULL);
	ssize_t got = -1;

	(void)argc, (void)argv;
	while (z && (got = inflate_read(z, buf, sizeof(buf))) > 0)
		if (write(1, buf, got) != got)
			err(1, "write");
	inflate_free(z);
	return z && got == 0 ? 0 : 1;
}

static int cmd_sha256_impl(int argc, char **argv)
{
	(void)argc, (void)argv;
	puts(sha256_impl(false));
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} cmds[] = {
	{"sha256", cmd_sha256},
	{"sha256-impl", cmd_sha256_impl},
	{"list", cmd_list},
	{"pack", cmd_pack},
	{"unpack", cmd_unpack},
	{"big", cmd_big},
	{"dirs", cmd_dirs},
	{"raw", cmd_raw},
	{"xattr", cmd_xattr},
	{"gunzip", cmd_gunzip},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		errx(2, "usage: archive CMD ...");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	errx(2, "unknown command %s", argv[1]);
}
