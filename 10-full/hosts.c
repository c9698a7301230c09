/*
 * 10-full/hosts.c - `--net bridge`: /etc/hostname, /etc/hosts and
 * /etc/resolv.conf of the container's own, and names that resolve
 * between the containers on one bridge.
 *
 * Claim: a container started with --name on the bridge reaches another
 *        by its name, in both directions, whichever started first; a name
 *        leaves every /etc/hosts when its container is gone; a container
 *        holding a lease on its hosts file stalls no one.
 *        (tested in tests/10-full-net.bats)
 * Uses:  bridge.c (the allocator dir, under its lock), resolve.c and
 *        mountfd.c (the binds)
 * Read:  hosts(5), resolv.conf(5), mount(2) (MS_BIND of a file)
 *
 * Docker resolves names between containers with a DNS server of its
 * daemon's, at 127.0.0.11 inside each container. With no daemon there is
 * no one to answer; but every container has an /etc/hosts, read by the
 * C library before any DNS (nsswitch.conf "hosts: files dns"), and the
 * allocator, under its lock, knows exactly who is on the bridge. So the
 * runtime rewrites every container's hosts file whenever one comes or
 * goes. In place: a bind-mounted file is an inode, not a name, and a
 * rename(2) over the host's file would leave the container looking at
 * the old inode forever. The new text is written over the old from
 * offset 0 and the file cut to its length, so a reader meanwhile sees
 * the old lines or the new ones, never an empty file.
 */
#include "hosts.h"
#include "resolve.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const hosts_files[3] = {"hostname", "hosts", "resolv.conf"};

int hosts_put(const char *root, const char *id, const char *name,
	       const char *text, bool create)
{
	char path[PATH_MAX];
	size_t len = strlen(text);
	int fd, ret = -1;

	snprintf(path, sizeof(path), "%s/containers/%s/%s", root, id, name);
	/* Another container's file: root inside owns it, and an owner may
	 * take a lease on it, after which a plain open for writing waits
	 * for the lease to break (fs.lease-break-time, 45 s), while we hold
	 * the bridge's lock: every start and stop on the bridge stalled so.
	 * O_NONBLOCK answers EWOULDBLOCK at once, and that container's
	 * hosts file is left as it was: its own doing. */
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW |
				(create ? O_CREAT : O_NONBLOCK),
		  0644);
	if (fd < 0) {
		if (create)
			warn("%s", path);
		return -1;
	}
	if (pwrite(fd, text, len, 0) == (ssize_t)len && ftruncate(fd, len) == 0)
		ret = 0;
	else
		warn("write %s", path);
	close(fd);
	return ret;
}

/* One container on the bridge, as its allocator file says. */
struct member {
	char ip[16], id[13], name[72], hostname[256];
};

/* Appends m's line to text: its address, then its names, each once:
 * its --name first (what the C library then calls it), its hostname,
 * its id. */
static void line_of(char *text, size_t size, const struct member *m)
{
	const char *names[3] = {m->name, m->hostname, m->id}, *sep = "\t";
	size_t at = strlen(text);

	at += snprintf(text + at, size - at, "%s", m->ip);
	for (int i = 0; i < 3 && at < size; i++) {
		if (!names[i][0] || (i > 0 && !strcmp(names[i], names[0])) ||
		    (i > 1 && !strcmp(names[i], names[1])))
			continue;
		at += snprintf(text + at, size - at, "%s%s", sep, names[i]);
		sep = " ";
	}
	if (at < size)
		snprintf(text + at, size - at, "\n");
}

/* Reads the members of allocator dir d into *list. Returns how many, or
 * -1 after saying why. */
static int members(int d, struct member **list)
{
	struct member *m = NULL, *grown;
	struct in_addr a;
	struct dirent *e;
	DIR *dp = open_dir(d);
	char line[192];
	int n = 0, fd;
	ssize_t len;

	if (!dp) {
		warn("read the containers on the bridge");
		return -1;
	}
	while ((e = readdir(dp))) {
		if (inet_pton(AF_INET, e->d_name, &a) != 1)
			continue;
		fd = openat(d, e->d_name, O_RDONLY | O_CLOEXEC);
		len = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);
		if (fd >= 0)
			close(fd);
		if (len <= 0 || !(grown = realloc(m, (n + 1) * sizeof(*m))))
			continue;
		m = grown;
		line[len] = '\0';
		memset(&m[n], 0, sizeof(*m));
		snprintf(m[n].ip, sizeof(m[n].ip), "%.15s", e->d_name);
		/* "ID HOSTNAME [NAME]", written by bridge_join() from what
		 * run checked. Never the container's /etc/hostname: the
		 * container may write that file, and its words would
		 * become names in every other container's /etc/hosts
		 * ("x web pypi.org": a hijack of web, and of pypi.org). */
		sscanf(line, "%12s %63s %71s", m[n].id, m[n].hostname,
		       m[n].name);
		if (!m[n].hostname[0])
			snprintf(m[n].hostname, sizeof(m[n].hostname), "%s",
				 m[n].id);
		n++;
	}
	closedir(dp);
	*list = m;
	return n;
}

int hosts_update(const char *root, int d, const struct netcfg *n,
		 const char *new_id)
{
	struct member *m = NULL;
	int count = members(d, &m), ret = 0;
	size_t size = 256 + (count > 0 ? count : 0) * 400;
	char *text = malloc(size);

	if (count < 0 || !text) {
		free(m);
		free(text);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		bool mine = new_id && strcmp(m[i].id, new_id) == 0;

		snprintf(text, size,
			 "127.0.0.1\tlocalhost\n"
			 "::1\tlocalhost ip6-localhost ip6-loopback\n"
			 "# --net bridge: the containers on %s, itself first "
			 "(rewritten as they come and go)\n",
			 n->bridge);
		line_of(text, size, &m[i]);
		for (int j = 0; j < count; j++)
			if (j != i)
				line_of(text, size, &m[j]);
		if (hosts_put(root, m[i].id, "hosts", text, mine) < 0 && mine)
			ret = -1;
	}
	free(text);
	free(m);
	return ret;
}

int hosts_mount(int rootfd, const char *dir)
{
	char path[PATH_MAX], what[32];
	int src, dst, ret = 0;

	for (int i = 0; i < 3 && ret == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, hosts_files[i]);
		snprintf(what, sizeof(what), "/etc/%s", hosts_files[i]);
		src = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
		if (src < 0) {
			warn("%s", path);
			return -1;
		}
		/* The image's /etc/NAME (an empty file made if missing),
		 * found inside the root: a symlink there cannot send the
		 * bind to the host's files. */
		dst = resolve_in_root(rootfd, what + 1, IN_ROOT_MKFILE);
		if (dst < 0) {
			warn("%s", what);
			ret = -1;
		} else {
			ret = mountfd_bind(src, dst, 0, 0, what);
			close(dst);
		}
		close(src);
	}
	return ret;
}
