/*
 * 10-full/harden.c - capabilities, no_new_privs, inherited fds.
 * (Being written: each function says so until it is.)
 */
#include "harden.h"

#include <err.h>

int harden_capabilities(void)
{
	warnx("harden_capabilities: not implemented yet");
	return -1;
}

int harden_no_new_privs(void)
{
	warnx("harden_no_new_privs: not implemented yet");
	return -1;
}

int harden_close_fds(void)
{
	warnx("harden_close_fds: not implemented yet");
	return -1;
}
