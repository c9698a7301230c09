/*
 * 10-full/imagestore.c - changing the image store: its lock, layers made
 * in tmp/ and moved into layers/ whole, configs and tags.
 *
 * Claim: a verb killed half-way leaves only tmp/, and layers no config
 *        names, which the next verb that takes the lock removes; a tag
 *        names one image, and moving it leaves the old image untagged;
 *        a config is stored whole or not at all (a temp file, then
 *        rename(2)).
 *        (tested in tests/10-full-image.bats)
 * Uses:  state.c (state_remove_tree), json.c, sha256.c
 * Read:  flock(2), rename(2), mkdtemp(3), the OCI image spec ("Layer
 *        ChainID")
 *
 * One lock for the whole store, as docker's image store has: commit,
 * import, load and rmi are rare and short, and a run needs the lock only
 * shared, while it picks an image and writes its container's record (so
 * that rmi, which looks for containers of an image, sees it).
 */
#include "image.h"
#include "imagestore.h"
#include "json.h"
#include "sha256.h"
#include "state.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int imagestore_slurp(const char *path, char **text, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;
	ssize_t n = -1;

	*text = NULL;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size > (64 << 20) ||
	    !(*text = malloc(st.st_size + 1)) ||
	    (n = read(fd, *text, st.st_size)) != st.st_size) {
		saved = n >= 0 ? EIO : errno;
		if (saved != ENOENT)
			warn("read %s", path);
		free(*text);
		*text = NULL;
		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	(*text)[n] = '\0';
	*len = n;
	return 0;
}

void imagestore_digest(const void *p, size_t n, char *out)
{
	struct sha256 s;
	char hex[65];

	sha256_init(&s);
	sha256_update(&s, p, n);
	sha256_hex(&s, hex);
	snprintf(out, 72, "sha256:%s", hex);
}

static bool is_digest(const char *d)
{
	return strlen(d) == 71 && strncmp(d, "sha256:", 7) == 0 &&
	       strspn(d + 7, "0123456789abcdef") == 64;
}

int imagestore_chain(const char *parent, const char *diff_id, char *out)
{
	char text[150];

	if (!is_digest(diff_id))
		return -1;
	if (!parent[0]) {
		memmove(out, diff_id, 72);
		return 0;
	}
	snprintf(text, sizeof(text), "%s %s", parent, diff_id);
	imagestore_digest(text, strlen(text), out);
	return 0;
}

bool imagestore_rootless(void)
{
	return geteuid() != 0;
}

/* ROOT/images and what is in it, made if missing. Returns 0 or -1. */
static int make_store(const char *root)
{
	static const char *const dirs[] = {"", "/configs", "/layers", "/tmp"};
	char path[PATH_MAX];

	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/images%s", root, dirs[i]);
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			warn("mkdir %s", path);
			return -1;
		}
	}
	return 0;
}

/* Opens ROOT/images/lock and flocks it (how: LOCK_EX or LOCK_SH). */
static int take_lock(const char *root, int how, int flags)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/images/lock", root);
	fd = open(path, O_RDONLY | O_CLOEXEC | flags, 0600);
	if (fd < 0 || flock(fd, how) < 0) {
		if (fd < 0 && errno == ENOENT)
			warnx("no images in %s yet (container import DIR "
			      "NAME makes one)",
			      root);
		else
			warn("lock %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Layers that no config names: what a verb killed between moving a
 * layer into layers/ and writing the config that names it left (a
 * commit killed there kept its base layer for good). With the lock held
 * nobody is between those two steps now. A config that cannot be read
 * keeps every layer: we cannot know what it names. */
static void sweep_layers(const char *root)
{
	char path[PATH_MAX], *text, (*names)[17];
	size_t len, n = 0, cap = 0;
	char (*used)[17] = NULL;
	struct dirent *d;
	DIR *dir;
	int k;

	names = malloc(IMAGE_MAX_LAYERS * 17);
	snprintf(path, sizeof(path), "%s/images/configs", root);
	if (!names || !(dir = opendir(path)))
		goto out;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || strchr(d->d_name, '.'))
			continue; /* ".", "..", a config's temp file */
		snprintf(path, sizeof(path), "%s/images/configs/%s", root,
			 d->d_name);
		if (imagestore_slurp(path, &text, &len) < 0)
			goto keep;
		k = image_chain_names(text, names);
		free(text);
		if (k < 0)
			goto keep;
		if (n + k > cap) {
			char (*more)[17] = realloc(used, (cap = 2 * (n + k)) * 17);

			if (!more)
				goto keep;
			used = more;
		}
		memcpy(used + n, names, k * 17);
		n += k;
	}
	closedir(dir);
	snprintf(path, sizeof(path), "%s/images/layers", root);
	if (!(dir = opendir(path)))
		goto out;
	while ((d = readdir(dir))) {
		size_t i;

		if (strlen(d->d_name) != 16)
			continue;
		for (i = 0; i < n && strcmp(used[i], d->d_name); i++)
			;
		if (i == n)
			state_remove_tree(dirfd(dir), d->d_name);
	}
keep:
	closedir(dir);
out:
	free(used);
	free(names);
}

int image_lock(const char *root)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *tmp;
	int fd;

	if (make_store(root) < 0 ||
	    (fd = take_lock(root, LOCK_EX, O_CREAT)) < 0)
		return -1;
	/* What a killed verb was making: nobody else can be making it
	 * now, since we hold the lock. */
	snprintf(path, sizeof(path), "%s/images/tmp", root);
	if ((tmp = opendir(path))) {
		while ((d = readdir(tmp)))
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				state_remove_tree(dirfd(tmp), d->d_name);
		closedir(tmp);
	}
	sweep_layers(root);
	return fd;
}

int image_lock_shared(const char *root)
{
	return take_lock(root, LOCK_SH, 0);
}

int image_add(const char *root, const char *config, size_t len,
	      const char *tag, char id_out[72])
{
	static struct image_tags t;
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	bool ok;
	int fd, i;

	imagestore_digest(config, len, id_out);
	snprintf(path, sizeof(path), "%s/images/configs/%s", root, id_out + 7);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ok = fd >= 0 && write(fd, config, len) == (ssize_t)len &&
	     fsync(fd) == 0;
	if (fd >= 0 && close(fd) < 0)
		ok = false;
	if (!ok || rename(tmp, path) < 0) {
		warn("write %s", path);
		unlink(tmp);
		return -1;
	}
	if (!tag)
		return 0;
	if (image_tags_read(root, &t) < 0)
		return -1;
	/* A tag names one image: moved here, the old image keeps its
	 * other tags, or none (docker's <none>). */
	for (i = 0; i < t.n && strcmp(t.tag[i], tag) != 0; i++)
		;
	if (i == IMAGE_MAX_TAGS) {
		warnx("the store holds %d tags already: rmi some",
		      IMAGE_MAX_TAGS);
		return -1;
	}
	snprintf(t.tag[i], sizeof(t.tag[i]), "%s", tag);
	snprintf(t.id[i], sizeof(t.id[i]), "%s", id_out);
	if (i == t.n)
		t.n++;
	return image_tags_write(root, &t);
}
