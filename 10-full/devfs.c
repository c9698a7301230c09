/*
 * 10-full/devfs.c - /dev, /proc masking, read-only /sys. (Being written.)
 */
#include "devfs.h"

#include <err.h>

int devfs_mount(const char *dev)
{
	(void)dev;
	warnx("devfs_mount: not implemented yet");
	return -1;
}

int procfs_harden(const char *proc, const char *dev_null)
{
	(void)proc;
	(void)dev_null;
	warnx("procfs_harden: not implemented yet");
	return -1;
}

int sysfs_mount_readonly(const char *sys)
{
	(void)sys;
	warnx("sysfs_mount_readonly: not implemented yet");
	return -1;
}
