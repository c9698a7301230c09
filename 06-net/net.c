/*
 * 06-net/net.c - a new network namespace: only lo, and a veth pair to the host.
 *
 * Claim: in the child of clone(CLONE_NEWNET) the only interface is lo, and
 *        it is down; --lo brings it up; --veth links the container to the
 *        host with a veth pair made by rtnetlink from C, the two ends ping
 *        each other, and the pair is gone when the run ends; --bridge
 *        puts the host's end on a bridge instead (bridge.c).
 *        (tested in tests/06-net.bats)
 * Uses:  05-user (and through it 01-04), link.c, bridge.c
 * Read:  network_namespaces(7), veth(4), rtnetlink(7), sysfs(5)
 *
 * A network namespace has its own interfaces, addresses, routes, firewall
 * and sockets. A new one holds a single loopback device, down: nothing,
 * not even 127.0.0.1, answers until someone brings it up. To reach the
 * outside, a container needs an interface that crosses namespaces: a veth
 * pair is a virtual cable, and its two ends may live in different
 * namespaces. The parent makes the cable while the child waits, with the
 * container's end created straight in the child's namespace; the child
 * then configures its own end from the inside.
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int net_mount_sysfs(const char *target)
{
	/* Read-only, as docker does: the container may look, not tune. */
	if (mount("sysfs", target, "sysfs",
		  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		warn("mount sysfs on %s", target);
		return -1;
	}
	return 0;
}

/* The options, as set before clone() (the child gets a copy of them). */
static bool lo_up, veth, veth_net_given;
static struct net_subnet veth_net;
static char host_cidr[INET_ADDRSTRLEN + 3], container_cidr[sizeof(host_cidr)];
/* The host's end, named in the parent once the child's PID is known. */
static char host_if[IFNAMSIZ];
static bool host_if_made;
/* Held from check() until the host's end has its address. */
static int subnet_lock = -1;

/* Checks what can be checked without asking the host: the form, and
 * that it is no special range. Says why not. */
static int set_veth_net(const char *cidr)
{
	struct in_addr net;
	unsigned prefix;
	const char *special;
	char text[INET_ADDRSTRLEN + 3];

	if (!net_parse_cidr(cidr, &net, &prefix)) {
		warnx("--veth-net '%s': give an IPv4 network as A.B.C.D/N, "
		      "e.g. 10.200.0.0/30",
		      cidr);
		return -1;
	}
	if (prefix < 8 || prefix > 30) {
		warnx("--veth-net '%s': the prefix must be /8 to /30 (a /30 "
		      "holds exactly the two ends)",
		      cidr);
		return -1;
	}
	veth_net = (struct net_subnet){ntohl(net.s_addr), prefix};
	if (veth_net.net & ~(~0u << (32 - prefix))) {
		veth_net.net &= ~0u << (32 - prefix);
		warnx("--veth-net '%s': host bits are set; give the network "
		      "itself, %s",
		      cidr, net_subnet_text(veth_net, text, sizeof(text)));
		return -1;
	}
	if ((special = net_subnet_special(veth_net))) {
		warnx("--veth-net '%s': overlaps %s, which no veth should "
		      "hold; give a private range, e.g. 10.200.0.0/30",
		      cidr, special);
		return -1;
	}
	veth = veth_net_given = true;
	return 0;
}

/* The host's end gets .1 of veth_net, the container's .2. */
static void set_ends(void)
{
	struct in_addr host = {htonl(veth_net.net + 1)};
	struct in_addr container = {htonl(veth_net.net + 2)};

	snprintf(host_cidr, sizeof(host_cidr), "%s/%u", inet_ntoa(host),
		 veth_net.prefix);
	snprintf(container_cidr, sizeof(container_cidr), "%s/%u",
		 inet_ntoa(container), veth_net.prefix);
}

/* Under the lock: the network given must be free on the host; else take
 * the first free /30 of the pool. */
static int choose_veth_net(void)
{
	struct net_subnets used;
	const struct net_subnet *taken;
	struct net_subnet pool;
	struct in_addr pool_net;
	char a[INET_ADDRSTRLEN + 3], b[sizeof(a)];
	int rc = -1;

	if (!net_parse_cidr(NET_VETH_POOL, &pool_net, &pool.prefix))
		return -1; /* (it is a constant: never) */
	pool.net = ntohl(pool_net.s_addr);
	if (net_subnets_in_use(&used) < 0)
		return -1;
	if (!veth_net_given) {
		if (net_subnet_pick(&used, pool, 30, &veth_net) == 0)
			rc = 0;
		else
			warnx("--veth: every /30 of %s is in use on the host; "
			      "give a free network with --veth-net",
			      NET_VETH_POOL);
	} else if ((taken = net_subnet_conflict(&used, veth_net))) {
		warnx("--veth-net '%s': overlaps %s, which the host uses (a "
		      "route or an address of it: `ip route`); give a "
		      "network the host does not use",
		      net_subnet_text(veth_net, a, sizeof(a)),
		      net_subnet_text(*taken, b, sizeof(b)));
	} else {
		rc = 0;
	}
	net_subnets_free(&used);
	if (rc == 0)
		set_ends();
	return rc;
}

static int net_check(void)
{
	if (net_bridge_check() < 0)
		return -1;
	if (net_bridge_wanted()) {
		if (veth_net_given) {
			warnx("--veth-net and --bridge: the host's end is on "
			      "the bridge, and --ip gives the address; drop "
			      "--veth-net");
			return -1;
		}
		veth = true; /* the pair, its host end on the bridge */
		return 0;
	}
	if (!veth)
		return 0;
	/* Creating the host's end is done in the host's namespace, where
	 * only a real CAP_NET_ADMIN counts; a user namespace cannot help. */
	if (geteuid() != 0) {
		warnx("--veth needs root: the host's end of the pair is made "
		      "in the host's network namespace (run it with sudo, or "
		      "drop --veth)");
		return -1;
	}
	subnet_lock = net_subnet_lock();
	if (subnet_lock < 0)
		return -1;
	return choose_veth_net();
}

/* Parent, child waiting: make the cable and configure the host's end. */
static int net_parent(pid_t child)
{
	if (!veth)
		return 0;
	snprintf(host_if, sizeof(host_if), "veth%d", (int)child);
	if (net_veth_create(host_if, NET_CONTAINER_IF, child) < 0)
		return -1;
	host_if_made = true;
	if (net_bridge_wanted())
		return net_bridge_plug(host_if);
	if (net_addr_add(host_if, host_cidr) < 0 || net_link_up(host_if) < 0)
		return -1;
	/* The address is on the host's end: the next run sees it. */
	net_subnet_unlock(subnet_lock);
	subnet_lock = -1;
	return 0;
}

/* Child, in its new network namespace: lo, and its end of the cable. */
static int net_child_ns(void)
{
	if ((lo_up || veth) && net_link_up("lo") < 0)
		return -1;
	if (net_bridge_wanted())
		return net_bridge_child();
	if (veth && (net_addr_add(NET_CONTAINER_IF, container_cidr) < 0 ||
		     net_link_up(NET_CONTAINER_IF) < 0))
		return -1;
	return 0;
}

/* sysfs shows the interfaces of the network namespace that mounted it,
 * not the reader's: the host's /sys would still list eth0. A fresh mount
 * made from inside shows ours, at /sys of the root-to-be (08, 09), before
 * the switch: like proc, a user namespace may mount it only while the
 * host's is in sight. */
static int net_child_fs(void)
{
	const char *sys = lesson_path("/sys");
	struct stat st;

	if (!sys)
		return -1;
	/* A root with no /sys (a minimal rootfs in 08) just has none. */
	if (stat(sys, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	return net_mount_sysfs(sys);
}

/* The pair would also vanish when the child's namespace dies, but the
 * kernel tears namespaces down later, in the background: delete it now,
 * so that it is gone when we exit. */
static void net_cleanup(void)
{
	net_subnet_unlock(subnet_lock);
	subnet_lock = -1;
	if (host_if_made)
		net_link_delete_if_any(host_if);
	net_bridge_cleanup(); /* after our port went: the last one out */
}

static const struct lesson_option net_options[] = {
	{"lo", 0, NULL, "bring lo up inside", NULL, &lo_up},
	{"veth", 0, NULL, "link to the host with a veth pair (needs root)",
	 NULL, &veth},
	{"veth-net", 0, "CIDR",
	 "network for --veth: host .1, container .2 (default: a free /30 "
	 "of " NET_VETH_POOL ")",
	 set_veth_net},
	{"bridge", 0, "NAME",
	 "put the host's end on bridge NAME, made if missing (needs root "
	 "and --ip)",
	 net_bridge_set_name},
	{"ip", 0, "CIDR",
	 "with --bridge: the container's address, e.g. 10.201.0.2/24 (the "
	 "bridge gets .1)",
	 net_bridge_set_ip},
	{0},
};

const struct lesson net_lesson = {
	.name = "06-net",
	.summary = "a new network namespace: only lo, and a veth pair to the host",
	.prev = &user_lesson,
	.clone_flags = CLONE_NEWNET,
	.options = net_options,
	.check = net_check,
	.parent = net_parent,
	.child_ns = net_child_ns,
	.child_fs = net_child_fs,
	.cleanup = net_cleanup,
};
