/*
 * 10-full/layer_pack.c - a layer tree (overlay's form) written as an OCI
 * layer tar: overlay's whiteouts become the aufs-style .wh. files that
 * docker's layer tars carry.
 *
 * Claim: GNU tar reads the layer tar with every file's name, mode,
 *        owner, mtime (nanoseconds), symlink target, hard link and
 *        xattrs (a user's own ids written as 0: what their container
 *        sees); a whiteout (char dev 0/0) is written DIR/.wh.NAME, an
 *        opaque dir DIR/.wh..wh..opq right after DIR/, overlay's own
 *        xattrs are left out; the same tree gives the same bytes.
 *        (tested in tests/10-full-archive.bats)
 * Uses:  tar_write.c, layer_xattr.c
 * Read:  the OCI image spec, layer.md ("Whiteouts"); llistxattr(2)
 *
 * The walk sorts each directory's names (strcmp, as bytes), so the tar
 * does not depend on the order readdir happens to give: that order is the
 * filesystem's, and would give the same tree a different DiffID.
 */
#include "layertar.h"
#include "linkmap.h"
#include "treecopy.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

struct pack {
	struct tar_writer w;
	const char *const *skip;
	bool dry;   /* layer_pack_size: no file's data is read */
	uid_t euid; /* not 0: a user's layer, their ids become 0 */
	gid_t egid;
	struct linkmap seen; /* files with more than one link: first name */
	/* How deep pack_dir is now, and what no level needs to keep on its
	 * own stack while it goes down: a container decides how deep its
	 * layer goes, and 17 KiB a level overflowed 8 MiB of stack at
	 * about 500 (TREE_MAX_DEPTH). */
	int depth;
	char path[PATH_MAX], link[PATH_MAX], oname[PATH_MAX + 16];
	char buf[1 << 17];
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool skipped(struct pack *p, const char *name)
{
	for (const char *const *s = p->skip; s && *s; s++)
		if (strcmp(*s, name) == 0)
			return true;
	return false;
}

/* A second name of a file already written: a hard link to the first.
 * NULL for a first name, remembered (or, out of memory, not: its later
 * names are then written whole, as files of their own). */
static const char *first_name(struct pack *p, const struct stat *st,
			      const char *name)
{
	const char *first = linkmap_find(&p->seen, st->st_dev, st->st_ino);

	if (!first)
		linkmap_add(&p->seen, st->st_dev, st->st_ino, name);
	return first;
}

static int copy_data(struct pack *p, int fd, const char *name, off_t size)
{
	ssize_t got;

	if (p->dry)
		return tar_write_skip(&p->w, size);
	while (size > 0) {
		got = read(fd, p->buf, sizeof(p->buf));
		if (got <= 0 || got > size) {
			warnx("layer: %s changed while it was read", name);
			return -1;
		}
		if (tar_write_data(&p->w, p->buf, got) < 0)
			return -1;
		size -= got;
	}
	return 0;
}

static int pack_dir(struct pack *p, int dfd, const char *prefix);

/* One entry of the dir dfd: name there, path in the tar. */
static int pack_one(struct pack *p, int dfd, const char *name, const char *path)
{
	struct tar_entry e = {0};
	struct stat st;
	char proc[64 + NAME_MAX], tname[PATH_MAX + 8], *link = p->link;
	bool opaque = false;
	int fd = -1, ret = -1;
	ssize_t n;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		warn("layer: %s", path);
		return -1;
	}
	e.name = tname;
	e.mode = st.st_mode & 07777;
	e.uid = st.st_uid, e.gid = st.st_gid;
	/* A user's layer: every file is theirs on disk, and root's in their
	 * containers (which map that one id to 0). The tar says what the
	 * container sees, so that root loading it elsewhere gets root's
	 * files, not a stranger's. */
	if (p->euid != 0 && e.uid == p->euid)
		e.uid = 0;
	if (p->euid != 0 && e.gid == p->egid)
		e.gid = 0;
	e.mtime = st.st_mtim.tv_sec, e.mtime_nsec = st.st_mtim.tv_nsec;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d/%s", dfd, name);
	snprintf(tname, sizeof(tname), "%s", path);
	if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
		/* overlay's whiteout -> the OCI (aufs) name for it. */
		const char *slash = strrchr(path, '/');
		int dir = slash ? slash - path + 1 : 0;

		snprintf(tname, sizeof(tname), "%.*s" WH_PREFIX "%s", dir, path,
			 name);
		e.type = '0';
		ret = tar_write_header(&p->w, &e);
		goto out;
	}
	if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
		fd = openat(dfd, name,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
				(S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
		if (fd < 0) {
			warn("layer: %s", path);
			goto out;
		}
	}
	if (!S_ISSOCK(st.st_mode) &&
	    layer_get_xattrs(fd, proc, &e,
			     S_ISDIR(st.st_mode) ? &opaque : NULL) < 0) {
		warn("layer: %s: xattrs", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		strcat(tname, "/");
		e.type = '5';
		if (tar_write_header(&p->w, &e) < 0)
			goto out;
		if (opaque) {
			struct tar_entry o = {.type = '0',
					      .uid = e.uid,
					      .gid = e.gid,
					      .mtime = e.mtime};
			snprintf(p->oname, sizeof(p->oname), "%s" WH_OPAQUE,
				 tname);
			o.name = p->oname;
			if (tar_write_header(&p->w, &o) < 0)
				goto out;
		}
		if (++p->depth > TREE_MAX_DEPTH) {
			warnx("layer: %.40s...: more than %d directories deep",
			      path, TREE_MAX_DEPTH);
			goto out;
		}
		ret = pack_dir(p, fd, tname);
		p->depth--;
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_nlink > 1 &&
	    (e.link = (char *)first_name(p, &st, path))) {
		e.type = '1';
		ret = tar_write_header(&p->w, &e);
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		e.type = '0';
		e.size = st.st_size;
		ret = tar_write_header(&p->w, &e) < 0
			  ? -1
			  : copy_data(p, fd, path, st.st_size);
	} else if (S_ISLNK(st.st_mode)) {
		n = readlinkat(dfd, name, link, sizeof(p->link) - 1);
		if (n < 0) {
			warn("layer: %s", path);
			goto out;
		}
		link[n] = '\0';
		e.type = '2';
		e.link = link;
		ret = tar_write_header(&p->w, &e);
	} else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ||
		   S_ISFIFO(st.st_mode)) {
		e.type = S_ISCHR(st.st_mode)   ? '3'
			 : S_ISBLK(st.st_mode) ? '4'
					       : '6';
		e.devmajor = major(st.st_rdev), e.devminor = minor(st.st_rdev);
		ret = tar_write_header(&p->w, &e);
	} else {
		ret = 0; /* a socket: tar has no type for it (GNU tar skips it
			    too) */
	}
out:
	layer_free_xattrs(&e);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Every entry of the dir dfd, sorted, their tar names under prefix. */
static int pack_dir(struct pack *p, int dfd, const char *prefix)
{
	int dup_fd = dup(dfd), ret = -1;
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	char **names = NULL, *path = p->path; /* rebuilt for each name */
	size_t n = 0, i;
	struct dirent *de;

	if (!d) {
		warn("layer: %s", *prefix ? prefix : ".");
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	/* The dup shares its offset with dfd: a dir read before (a first
	 * pass, layer_pack_size) must be read again from its start. */
	rewinddir(d);
	while ((de = readdir(d))) {
		char **more;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		more = realloc(names, (n + 1) * sizeof(*names));
		if (!more || !(more[n] = strdup(de->d_name))) {
			names = more ? more : names;
			warn("layer");
			goto out;
		}
		names = more;
		n++;
	}
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(p->path), "%s%s", prefix,
				     names[i]) >= sizeof(p->path) - 1) {
			warnx("layer: %s%s: name too long", prefix, names[i]);
			goto out;
		}
		if (!skipped(p, path) && pack_one(p, dfd, names[i], path) < 0)
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}

static int pack_tree(int dirfd, const char *const *skip, tar_sink sink,
		     void *ctx, bool dry)
{
	struct pack *p = calloc(1, sizeof(*p));
	int ret = -1;

	if (!p) {
		warn("layer");
		return -1;
	}
	tar_writer_init(&p->w, sink, ctx);
	p->skip = skip;
	p->dry = dry;
	p->euid = geteuid();
	p->egid = getegid();
	if (pack_dir(p, dirfd, "") == 0 && tar_write_end(&p->w) == 0)
		ret = 0;
	linkmap_free(&p->seen);
	free(p);
	return ret;
}

int layer_pack(int dirfd, const char *const *skip, tar_sink sink, void *ctx)
{
	return pack_tree(dirfd, skip, sink, ctx, false);
}

static int count(void *ctx, const void *buf, size_t n)
{
	(void)buf;
	*(uint64_t *)ctx += n;
	return 0;
}

int layer_pack_size(int dirfd, const char *const *skip, uint64_t *size)
{
	*size = 0;
	return pack_tree(dirfd, skip, count, size, true);
}
