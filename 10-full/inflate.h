/*
 * 10-full/inflate.h - gzip's DEFLATE, decompressed as a stream: how the
 * layers of docker's containerd image store are compressed.
 *
 * inflate_read() has the shape of a tar_source (tar.h), so a tar reader
 * reads a .tar.gz layer straight through it, nothing stored in between.
 *
 * Read: RFC 1951 (DEFLATE), RFC 1952 (gzip)
 */
#ifndef INFLATE_H
#define INFLATE_H

#include "tar.h"

#include <stddef.h>
#include <stdint.h>

/* The first bytes of a layer blob say how it is compressed. */
#define GZIP_MAGIC "\x1f\x8b"
#define ZSTD_MAGIC "\x28\xb5\x2f\xfd"

struct inflate;

/* A gzip stream (one member or several, one after another, as gzip
 * itself reads them) whose compressed bytes come from src. NULL if out
 * of memory. */
struct inflate *inflate_new(tar_source src, void *ctx);
/* Up to n decompressed bytes into buf (z: a struct inflate *). Returns
 * how many, 0 at the end of the last member, -1 after one line on a
 * corrupt or truncated stream (a bad header, code, distance, length,
 * CRC-32 or size). */
ssize_t inflate_read(void *z, void *buf, size_t n);
void inflate_free(struct inflate *z);

/* CRC-32 as gzip computes it: crc32(0, p, n) starts one, and crc32(c,
 * more, m) goes on from c. */
uint32_t crc32(uint32_t crc, const void *p, size_t n);

#endif
