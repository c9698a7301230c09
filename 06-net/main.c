/*
 * 06-net/main.c - a network namespace: only lo, and a veth pair to the host.
 *
 *   sudo ./06-net/net -- ip link                 only lo, DOWN
 *
 * The host's end of a veth, and a bridge, go into the network namespace
 * the program runs in: run those in one of your own (README, "Try it"),
 * never on your machine's:
 *
 *   ip netns add lesson; ip netns exec lesson sh     (root)
 *   ./06-net/net --veth -- ping -c1 10.200.0.1       (--veth-net too)
 *   ./06-net/net --bridge br0 --ip 10.201.0.2/24 -- sleep 60 &
 *   ./06-net/net --bridge br0 --ip 10.201.0.3/24 -- ping -c1 10.201.0.2
 *   exit; ip netns del lesson
 *
 * Like 06-10, it makes a user namespace only when not root (or asked with
 * --userns), so as root the container keeps the host's users. The lesson
 * is the struct it passes; read net.c, then link.c and netlink.c; for
 * --bridge, bridge.c and route.c.
 */
#include "net.h"

int main(int argc, char **argv)
{
	return lesson_main(&net_lesson, argc, argv);
}
