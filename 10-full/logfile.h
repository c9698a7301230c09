/*
 * 10-full/logfile.h - a container's output, kept: ROOT/containers/ID.log,
 * one line of the file per line the container wrote, in the format of
 * the Kubernetes CRI (what containerd and CRI-O write):
 *
 *   2026-11-29T23:05:01.123456789Z stdout F hello
 *   2026-11-29T23:05:01.123501234Z stderr P no newline ye
 *   2026-11-29T23:05:01.223501234Z stderr F t
 *
 * time, stream, F (a full line) or P (part of one: the rest follows), the
 * bytes. The size is bounded: past LOGFILE_MAX bytes the file becomes
 * ID.log.1 (replacing an older one) and a new ID.log starts, so a
 * container keeps at most twice that on the host's disk.
 *
 * Read: docker-logs(1), the CRI's "container log format"
 */
#ifndef LOGFILE_H
#define LOGFILE_H

#include <stdbool.h>
#include <stddef.h>

#define LOGFILE_MAX (4 << 20)

/* Opens (appends to) path for the supervisor's relay. Returns 0, or -1
 * after saying why. */
int logfile_open(const char *path);

/* Whether a log is open: the relay then logs what it copies. */
bool logfile_on(void);

/* Logs n bytes the container wrote on stream 1 (stdout) or 2 (stderr). */
void logfile_add(int stream, const char *buf, size_t n);

void logfile_close(void);

#endif
