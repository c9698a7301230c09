/*
 * 10-full/nat.h - a bridge's way out: forwarding on, masquerading for its
 * subnet; both undone when the bridge goes.
 *
 * Read: ip-sysctl (ip_forward), nft(8) (masquerade)
 */
#ifndef NAT_H
#define NAT_H

/* Turns /proc/sys/net/ipv4/ip_forward on if it was 0, and makes the
 * masquerade table for bridge and subnet ("A.B.C.D/P"); what ip_forward
 * was is kept in the table (its user data), so the process that takes
 * the bridge down, whichever it is, knows what to restore. Returns 0, or
 * -1 after a warning, with nothing changed. */
int nat_start(const char *bridge, const char *subnet);

/* Deletes the table and sets ip_forward back to 0 if nat_start() turned
 * it on. Nothing to do is no error. Returns 0, or -1 after a warning. */
int nat_stop(const char *bridge);

/* The hooks of bridge.c, for the bridge of n (n->bridge, n->subnet):
 * nat_up() right after the bridge is made, nat_down() just before it is
 * removed. They are nat_start() and nat_stop(). */
struct netcfg;
int nat_up(const struct netcfg *n);
int nat_down(const struct netcfg *n);

#endif
