/*
 * 06-net/net.h - a new network namespace: only lo, and a veth pair to the host.
 */
#ifndef NET_H
#define NET_H

#include "../05-user/user.h"

extern const struct lesson net_lesson;

#endif
