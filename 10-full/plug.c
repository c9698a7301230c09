/*
 * 10-full/plug.c - a container's cable to the bridge: plugged in when it
 * starts, and everything it held given back when it is gone.
 *
 * Claim: the veth is made with its container end already in the
 *        container's network namespace, so that a kill -9 leaves nothing
 *        of it in the host's (the kernel deletes a pair when either
 *        end's namespace dies); after exit, rm or the next run's sweep
 *        there is no veth, no allocator entry, and, after the last
 *        container, no bridge.   (tested in tests/10-full-net.bats)
 * Uses:  06-net (veth, master, address, route, ports), bridge.c (the
 *        lock), hosts.c
 * Read:  veth(4), rtnetlink(7), flock(2)
 */
#include "bridge.h"
#include "nat.h"
#include "hosts.h"

#include "../06-net/net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

DIR *open_dir(int d)
{
	int fd = dup(d);
	DIR *dp = fd < 0 ? NULL : fdopendir(fd);

	if (!dp) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	rewinddir(dp);
	return dp;
}

int bridge_no_ipv6(const char *ifname)
{
	char path[96];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1; /* a kernel without IPv6 */
	if (write(fd, "1", 1) != 1)
		ret = -1;
	close(fd);
	if (ret < 0)
		warn("%s", path);
	return ret;
}

int bridge_plug(const struct netcfg *n, int child)
{
	/* The container's end is "eth0" in its namespace from the first
	 * instant (IFLA_NET_NS_PID): it never exists in ours, under a name
	 * that could clash with the host's own eth0. */
	if (net_veth_create(n->host_if, NET_CONTAINER_IF, child) < 0 ||
	    net_link_set_master(n->host_if, n->bridge) < 0 ||
	    bridge_no_ipv6(n->host_if) < 0 || net_link_up(n->host_if) < 0)
		return -1;
	return 0;
}

int bridge_child(const struct netcfg *n)
{
	char cidr[24];

	snprintf(cidr, sizeof(cidr), "%s/%d", n->ip, n->prefix);
	/* Our /proc/sys/net is our network namespace's (the kernel shows
	 * the reader's): IPv6 off on eth0 before it is up (bridge.h). */
	if (bridge_no_ipv6(NET_CONTAINER_IF) < 0 ||
	    net_addr_add(NET_CONTAINER_IF, cidr) < 0 ||
	    net_link_up(NET_CONTAINER_IF) < 0 ||
	    net_route_add_default(n->gateway) < 0)
		return -1;
	return 0;
}

/* The number of addresses in use in allocator dir d (files named as an
 * address), or -1. */
static int addresses_in_use(int d)
{
	struct in_addr a;
	struct dirent *e;
	DIR *dp = open_dir(d);
	int count = 0;

	if (!dp)
		return -1;
	while ((e = readdir(dp)))
		count += inet_pton(AF_INET, e->d_name, &a) == 1;
	closedir(dp);
	return count;
}

void bridge_remove_if_unused(const char *root, const struct netcfg *n)
{
	char path[PATH_MAX], alias[64];
	int d, ports = 0;

	snprintf(path, sizeof(path), "%s/net/%s", root, n->bridge);
	d = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0)
		return;
	if (addresses_in_use(d) != 0)
		goto out;
	if (net_bridge_ports(n->bridge, &ports, alias, sizeof(alias)) == 0 &&
	    strcmp(alias, BRIDGE_ALIAS) == 0) {
		/* Something is still plugged in (not ours: every container
		 * of ours has given its address back): the bridge stays,
		 * and so does what says which network it has. */
		if (ports > 0)
			goto out;
		nat_down(n); /* its NAT table, and ip_forward as it was */
		net_link_delete_if_any(n->bridge);
	}
	unlinkat(d, "subnet", 0);
	rmdir(path);
out:
	close(d);
}

/* Under the lock: gives back n->ip of allocator dir d, if the file there
 * is still id's (host_if carries the first 11 digits of the id). */
static void give_back(const char *root, int d, const struct netcfg *n)
{
	char line[64] = "";
	int fd = openat(d, n->ip, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (read(fd, line, sizeof(line) - 1) > 0 &&
	    strncmp(line, n->host_if + 4, strlen(n->host_if + 4)) == 0) {
		/* Ours: the kernel deletes the pair with the container's
		 * namespace, but later, in the background, and not at all
		 * while something still holds that namespace: now. */
		net_link_delete_if_any(n->host_if);
		unlinkat(d, n->ip, 0);
		hosts_update(root, d, n, NULL); /* the others forget it */
	}
	close(fd);
}

void bridge_leave(const char *root, const struct netcfg *n)
{
	char path[PATH_MAX];
	int lock, d;

	if (!n->ip[0] || (lock = bridge_lock(root)) < 0)
		return;
	snprintf(path, sizeof(path), "%s/net/%s", root, n->bridge);
	d = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d >= 0) {
		give_back(root, d, n);
		close(d);
	}
	bridge_remove_if_unused(root, n);
	close(lock);
}

/* Under the lock: the addresses of id in allocator dir d (bridge's). */
static void sweep_bridge(const char *root, int d, const char *bridge,
			 const char *id)
{
	struct netcfg n = {0};
	struct in_addr a;
	struct dirent *e;
	DIR *dp = open_dir(d);
	bool found = false;

	if (!dp)
		return;
	snprintf(n.bridge, sizeof(n.bridge), "%s", bridge);
	snprintf(n.host_if, sizeof(n.host_if), "veth%.11s", id);
	while ((e = readdir(dp)))
		if (inet_pton(AF_INET, e->d_name, &a) == 1) {
			snprintf(n.ip, sizeof(n.ip), "%.15s", e->d_name);
			give_back(root, d, &n);
			found = true;
		}
	closedir(dp);
	if (found)
		bridge_remove_if_unused(root, &n);
}

void bridge_sweep(const char *root, const char *id)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dp;
	int lock, d;

	snprintf(path, sizeof(path), "%s/net", root);
	if (access(path, F_OK) < 0 || (lock = bridge_lock(root)) < 0)
		return;
	dp = opendir(path);
	while (dp && (e = readdir(dp))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= IFNAMSIZ)
			continue;
		d = openat(dirfd(dp), e->d_name,
			   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d < 0)
			continue;
		sweep_bridge(root, d, e->d_name, id);
		close(d);
	}
	if (dp)
		closedir(dp);
	close(lock);
}
