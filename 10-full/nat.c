/*
 * 10-full/nat.c - the bridge's way out: forwarding and masquerading, set
 * up with the bridge and undone with it, and nothing else touched.
 *
 * Claim: ip_forward is turned on only if it was off, and is what it was
 *        before once the bridge is gone.   (tested in tests/10-full-port.bats)
 * Uses:  masq.c, nft.c
 * Read:  Documentation/networking/ip-sysctl.rst (ip_forward)
 *
 * A packet from a container to the world arrives on the bridge and must
 * be *routed* out of another interface: Linux does that only with
 * net.ipv4.ip_forward = 1 (per network namespace). Its source address,
 * the container's private one, means nothing beyond the host, so the
 * masquerade rule rewrites it to the address of the interface it leaves
 * by; conntrack maps the answers back. Both are settings of the whole
 * network namespace, shared with whatever else runs there: the rule is
 * in a table of our own, and forwarding is set back only if we set it.
 * What it was lives in the table's user data, so it survives the process
 * that set it (the bridge is taken down by whoever leaves it last) and
 * goes with the namespace if the namespace goes.
 */
#include "nat.h"
#include "bridge.h"
#include "nft.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define IP_FORWARD "/proc/sys/net/ipv4/ip_forward"

/* Returns 0 or 1, or -1 after a warning. */
static int forward_read(void)
{
	char c = 0;
	int fd = open(IP_FORWARD, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, &c, 1) != 1) {
		warn("nat: read %s", IP_FORWARD);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return c == '1';
}

static int forward_write(int on)
{
	int fd = open(IP_FORWARD, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || write(fd, on ? "1\n" : "0\n", 2) != 2) {
		warn("nat: set %s to %d", IP_FORWARD, on);
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

int nat_start(const char *bridge, const char *subnet)
{
	unsigned char was;
	int fwd, old;

	fwd = forward_read();
	if (fwd < 0)
		return -1;
	/* A table a killed run left already knows what ip_forward was
	 * before us (we may be the ones who turned it on). */
	old = nft_masquerade_get(bridge, &was);
	if (old < 0)
		return -1;
	if (!old)
		was = fwd;
	if (!fwd && forward_write(1) < 0)
		return -1;
	if (nft_masquerade_add(bridge, subnet, was) < 0) {
		if (!fwd)
			forward_write(0);
		return -1;
	}
	return 0;
}

int nat_stop(const char *bridge)
{
	unsigned char was;
	int got = nft_masquerade_get(bridge, &was);

	if (got <= 0)
		return got;
	if (nft_masquerade_del(bridge) < 0)
		return -1;
	return was ? 0 : forward_write(0);
}

int nat_up(const struct netcfg *n)
{
	return nat_start(n->bridge, n->subnet);
}

int nat_down(const struct netcfg *n)
{
	return nat_stop(n->bridge);
}
