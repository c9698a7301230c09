/*
 * 10-full/imageconfig.h - an image's config (docker's JSON): written for
 * `import` and `commit`, read for `run`, `images` and `history`.
 *
 *   {"architecture":"amd64","os":"linux",
 *    "config":{"Env":[..],"Cmd":[..]|null,"Entrypoint":[..]|null,
 *              "WorkingDir":"","StopSignal":""},
 *    "created":"..","author":"..","comment":"..",
 *    "history":[{"created":"..","created_by":"..","comment":"..",
 *                "empty_layer":true?}, ..],
 *    "rootfs":{"type":"layers","diff_ids":["sha256:..", ..]}}
 *
 * Read: the OCI image spec (config.md), docker's image spec v1.2
 */
#ifndef IMAGECONFIG_H
#define IMAGECONFIG_H

#include <stddef.h>

#define IMAGECONFIG_MAX 128 /* entries of Entrypoint + Cmd, of Env */

/* A new config for a one-layer image (import): its diff_id, and what
 * made it (history's created_by). Returns malloc'd text (its length in
 * *len), or NULL after one line. */
char *imageconfig_new(const char *diff_id, const char *created_by,
		      size_t *len);

/* parent's config with one more layer on top (commit): diff_id, a
 * history entry saying created_by and comment; the parent's "config"
 * (Cmd, Env...) kept byte for byte. Returns malloc'd text, or NULL after
 * one line. */
char *imageconfig_child(const char *parent, const char *diff_id,
			const char *created_by, const char *comment,
			size_t *len);

/* What `run` takes from a config. The strings point into pool. */
struct imageconfig_run {
	int n_entry, n_cmd, n_env;
	char *entry[IMAGECONFIG_MAX + 1], *cmd[IMAGECONFIG_MAX + 1];
	char *env[IMAGECONFIG_MAX + 1];
	char workdir[4096], stop_signal[32], user[256];
	char pool[32768];
};

/* Reads config.{Entrypoint,Cmd,Env,WorkingDir,StopSignal} of config into
 * r. Returns 0, or -1 after one line when they do not fit. */
int imageconfig_read(const char *config, struct imageconfig_run *r);

/* "amd64": GOARCH's name of this machine (uname -m's "x86_64" is
 * "amd64", "aarch64" is "arm64"). */
const char *imageconfig_arch(void);

#endif
