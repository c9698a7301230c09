/*
 * tests/10-full-exe-attack.c - what a hostile root in the container tries
 * against the runtime's binary and memory through /proc (CVE-2019-5736).
 * Built static by tests/10-full-exe.bats and bound in with -v DIR:/t:ro.
 *
 *   attack pid1            every attack on PID 1, one line each:
 *                          "chown EACCES", ..., "cmdline <its text>"
 *   attack exe PATH        chown, chmod, setxattr, open-for-write on PATH
 *                          (a /proc/PID/exe), first giving up every
 *                          capability the container does not have
 *   attack fingerprint F   (on the host) owner, mode and every xattr of F
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

static void say(const char *what, int r)
{
	printf("%s %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
	fflush(stdout);
}

/* A file capability that would make any exec of the file root with
 * CAP_SYS_ADMIN (struct vfs_cap_data, revision 2, effective). */
static int set_file_caps(const char *path)
{
	uint32_t v[5] = {VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE,
			 1u << CAP_SYS_ADMIN, 0, 0, 0};

	return setxattr(path, "security.capability", v, sizeof(v), 0);
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void attack_exe(const char *exe)
{
	say("chown", chown(exe, 65534, 65534));
	say("chmod", chmod(exe, 04777));
	say("setxattr", set_file_caps(exe));
	say("write", open_close(exe, O_WRONLY));
}

/* The text of a /proc file, NULs as spaces, or its errno. */
static void show(const char *what, const char *path)
{
	char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n < 0) {
		say(what, -1);
	} else {
		for (ssize_t i = 0; i < n; i++)
			buf[i] = buf[i] ? buf[i] : ' ';
		buf[n] = '\0';
		printf("%s %s\n", what, buf);
	}
	if (fd >= 0)
		close(fd);
}

/* Keeps only the capabilities 10-full leaves its containers (harden.c):
 * nsenter gives us all of them. */
static int as_container_root(void)
{
	const uint64_t keep = 0xa00425fbULL;
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0}};

	for (int cap = 0; prctl(PR_CAPBSET_READ, cap) >= 0; cap++)
		if (!(keep >> cap & 1) && prctl(PR_CAPBSET_DROP, cap) < 0)
			return -1;
	d[0].effective = d[0].permitted = (uint32_t)keep;
	return syscall(SYS_capset, &h, d);
}

static void fingerprint(const char *path)
{
	char names[4096], value[256];
	struct stat st;
	ssize_t n;

	if (stat(path, &st) < 0) {
		say("stat", -1);
		return;
	}
	printf("owner %u:%u mode %o\n", st.st_uid, st.st_gid,
	       st.st_mode & 07777);
	n = listxattr(path, names, sizeof(names));
	for (char *p = names; n > 0 && p < names + n; p += strlen(p) + 1) {
		ssize_t v = getxattr(path, p, value, sizeof(value));

		printf("xattr %s", p);
		for (ssize_t i = 0; i < v; i++)
			printf(" %02x", (unsigned char)value[i]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "pid1") == 0) {
		attack_exe("/proc/1/exe");
		say("mem", open_close("/proc/1/mem", O_RDWR));
		show("environ", "/proc/1/environ");
		show("cmdline", "/proc/1/cmdline");
	} else if (argc == 3 && strcmp(argv[1], "exe") == 0) {
		say("drop", as_container_root());
		attack_exe(argv[2]);
	} else if (argc == 3 && strcmp(argv[1], "fingerprint") == 0) {
		fingerprint(argv[2]);
	} else {
		fprintf(stderr, "usage: attack pid1 | exe PATH | "
				"fingerprint FILE\n");
		return 2;
	}
	return 0;
}
