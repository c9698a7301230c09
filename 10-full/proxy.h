/*
 * 10-full/proxy.h - the userspace proxy behind -p (docker-proxy's job).
 *
 * Read: splice(2), poll(2), shutdown(2)
 */
#ifndef PROXY_H
#define PROXY_H

#include "ports.h"

/* In the runtime process that waits for the container, once it has an
 * address: a thread accepts on every listening socket of p (ports_bind)
 * and relays each connection to ip:CONTAINERPORT. p must stay valid
 * until proxy_stop(). Nothing to publish: nothing done. Returns 0, or -1
 * after saying why. */
int proxy_start(const struct ports *p, const char *ip);

/* Ends the thread and closes every connection it relays (the listening
 * sockets stay: ports_close). Safe when nothing was started. */
void proxy_stop(void);

#endif
