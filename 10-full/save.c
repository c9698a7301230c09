/*
 * 10-full/save.c - `container save IMAGE... [-o FILE]`: images as the
 * tar that `docker save` writes since Docker 25, an OCI image layout
 * that docker load of any version reads too:
 *
 *   oci-layout                 {"imageLayoutVersion": "1.0.0"}
 *   blobs/sha256/<hex>         every layer tar, the config, the manifest
 *   index.json                 the OCI index: one manifest per image,
 *                              named by annotations
 *   manifest.json              docker's: [{"Config", "RepoTags",
 *                              "Layers"}], paths into blobs/
 *
 * Claim: `load` of what `save` writes gives back the same image: the same
 *        id (the config's bytes are kept), the same trees (owners, modes,
 *        times, xattrs, whiteouts); saving twice gives the same bytes.
 *        A loaded layer is written as the blob it came as (digests match
 *        the original's); a layer made here (import, commit) is packed
 *        again, to the same bytes (its DiffID). (tested in
 *        tests/10-full-save.bats)
 * Uses:  saveblob.c (the blobs), tar_write.c, image.h (the store)
 * Read:  docker-save(1); the OCI image spec, image-layout.md
 */
#include "archive.h"
#include "image.h"
#include "imagestore.h"
#include "json.h"
#include "save.h"
#include "verbs.h"

#include "../01-uts/lesson.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* FILE appears whole or not at all, and an interrupted save leaves
 * nothing: the archive is written to an unnamed file in FILE's dir
 * (O_TMPFILE), which a Ctrl-C or a kill -9 takes away with the process,
 * and gets its name at the end (linked as FILE.PID, renamed over FILE).
 * Where the filesystem has no O_TMPFILE, a named temp file (tmp), removed
 * on failure. Returns the fd, or -1 after one line. */
static int out_open(const char *file, char *tmp)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(file, '/');
	struct stat sb;
	mode_t mask;
	int fd;

	/* Only a regular file is replaced: renamed over, a device (-o
	 * /dev/null), a FIFO or a symlink would be gone, and a file in its
	 * place (docker save refuses the same way). */
	if (lstat(file, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		warnx("save: %s is not a regular file: -o writes one (leave -o "
		      "out to write to stdout)", file);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) + 1 : 1,
		 slash ? file : ".");
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR)) {
		if (fd < 0)
			warn("%s", file);
		return fd;
	}
	snprintf(tmp, PATH_MAX, "%s.XXXXXX", file);
	mask = umask(0);
	umask(mask);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0 || fchmod(fd, 0666 & ~mask) < 0) {
		warn("%s", file);
		if (fd >= 0)
			close(fd);
		tmp[0] = '\0';
		return -1;
	}
	return fd;
}

/* Names the finished archive FILE. Returns 0, or -1 after one line. */
static int out_commit(int fd, const char *file, char *tmp)
{
	char proc[64];

	if (fsync(fd) < 0)
		goto bad;
	if (!tmp[0]) {
		/* linkat through /proc: AT_EMPTY_PATH would need a capability. */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		snprintf(tmp, PATH_MAX, "%s.%d", file, (int)getpid());
		unlink(tmp);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) < 0) {
			tmp[0] = '\0';
			goto bad;
		}
	}
	if (rename(tmp, file) < 0)
		goto bad;
	tmp[0] = '\0';
	return 0;
bad:
	warn("%s", file);
	return -1;
}

/* The archive as a file: written, and every 8 MiB the kernel told to
 * start writing it to disk (sync_file_range: the disk works while we
 * pack), so that the fsync at the end waits for the last few MiB only,
 * not for the whole archive (124 MiB: 50-90 ms on this VM's disk). */
struct out {
	int fd;
	bool sync; /* -o FILE: the writeback is ours to start */
	uint64_t done, started;
};

static int out_sink(void *ctx, const void *buf, size_t n)
{
	struct out *o = ctx;

	if (tar_sink_fd(&o->fd, buf, n) < 0)
		return -1;
	o->done += n;
	if (o->sync && o->done - o->started >= 8 << 20) {
		/* Only a hint: the fsync says whether it all got there. */
		sync_file_range(o->fd, o->started, o->done - o->started,
				SYNC_FILE_RANGE_WRITE);
		o->started = o->done;
	}
	return 0;
}

static const char usage[] =
    "Usage: container save IMAGE... [-o FILE]\n"
    "Write images as the tar docker save writes (an OCI layout with\n"
    "manifest.json) to FILE, or to stdout.\n";

int cmd_save(int argc, char **argv)
{
	static struct image imgs[MAX_IMAGES];
	struct state st = {0};
	struct save *s = NULL;
	struct out out = {.fd = 1}; /* stdout, unless -o */
	char *refs[MAX_IMAGES], tmp[PATH_MAX] = "", *ix = NULL, *mf = NULL;
	const char *file = NULL;
	size_t ix_len, mf_len;
	FILE *index = NULL, *manifest = NULL;
	int n = 0, i, fd = -1, lock = -1, ret = EXIT_FAILED;

	/* Tree walks hold an fd a level (verbs.h). */
	verb_more_fds();
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if ((!strcmp(argv[i], "-o") ||
			    !strcmp(argv[i], "--output")) &&
			   i + 1 < argc) {
			file = argv[++i];
		} else if (!strncmp(argv[i], "--output=", 9) && argv[i][9]) {
			file = argv[i] + 9;
		} else if (!strncmp(argv[i], "-o", 2) && argv[i][2]) {
			file = argv[i] + 2; /* -oFILE, as getopt takes it */
		} else if (argv[i][0] == '-') {
			return verb_bad_option(argv, argv[i],
					       !strcmp(argv[i], "-o") ||
						       !strcmp(argv[i], "--output"));
		} else if (n == MAX_IMAGES) {
			fputs(usage, stderr);
			return EXIT_FAILED;
		} else {
			refs[n++] = argv[i];
		}
	}
	if (n == 0) {
		fputs(usage, stderr);
		return EXIT_FAILED;
	}
	if (!file && isatty(1)) {
		warnx("save: refusing to write a tar to a terminal: give -o "
		      "FILE, "
		      "or redirect stdout");
		return EXIT_FAILED;
	}
	if (verb_open(&st) < 0 || (lock = image_lock_shared(st.root)) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (image_find(st.root, refs[i], &imgs[i]) < 0)
			goto out;
	if (file && (fd = out.fd = out_open(file, tmp)) < 0)
		goto out;
	out.sync = file != NULL;
	s = calloc(1, sizeof(*s));
	index = open_memstream(&ix, &ix_len);
	manifest = open_memstream(&mf, &mf_len);
	if (!s || !index || !manifest)
		goto out;
	s->root = st.root;
	tar_writer_init(&s->w, out_sink, &out);
	fputc('[', manifest);
	fputc('[', index);
	if (save_header(s, "blobs/", 0, '5') < 0 ||
	    save_header(s, "blobs/sha256/", 0, '5') < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (save_image(s, &imgs[i], index, manifest) < 0)
			goto out;
	fputc(']', manifest);
	fputc(']', index);
	if (fflush(index) || fflush(manifest))
		goto out;
	{
		char head[] =
		    "{\"schemaVersion\":2,\"mediaType\":\"application/"
		    "vnd.oci.image.index.v1+json\",\"manifests\":";
		static const char layout[] =
		    "{\"imageLayoutVersion\":\"1.0.0\"}";
		char *whole = malloc(strlen(head) + ix_len + 2);

		if (!whole)
			goto out;
		sprintf(whole, "%s%s}", head, ix);
		if (save_header(s, "index.json", strlen(whole), '0') < 0 ||
		    tar_write_data(&s->w, whole, strlen(whole)) < 0) {
			free(whole);
			goto out;
		}
		free(whole);
		if (save_header(s, "manifest.json", mf_len, '0') < 0 ||
		    tar_write_data(&s->w, mf, mf_len) < 0 ||
		    save_header(s, "oci-layout", strlen(layout), '0') < 0 ||
		    tar_write_data(&s->w, layout, strlen(layout)) < 0 ||
		    tar_write_end(&s->w) < 0)
			goto out;
	}
	if (file && out_commit(fd, file, tmp) < 0)
		goto out;
	ret = 0;
out:
	if (fd >= 0) {
		close(fd);
		if (ret && tmp[0])
			unlink(tmp);
	}
	if (index)
		fclose(index);
	if (manifest)
		fclose(manifest);
	free(ix), free(mf), free(s);
	for (i = 0; i < n; i++)
		image_free(&imgs[i]);
	if (lock >= 0)
		close(lock);
	return ret;
}
