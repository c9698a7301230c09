#!/usr/bin/env bats
# 10-full, hardening: what a root process inside `container run` can no
# longer do. Each test is an attack that works on a bare namespace (or on
# the host) and must fail in the container; where it can, the test looks
# from the outside (the host's /proc) rather than trust the container.

load helpers
bats_require_minimum_version 1.5.0

CONTAINER="$BATS_TEST_DIRNAME/../10-full/container"
RFS="$ROOT/build/rootfs"
# Docker's default capabilities without CAP_MKNOD (harden.c).
CAPS=00000000a00425fb

setup_file() {
	# The probe makes, with harmless arguments, each system call the
	# seccomp filter refuses, and prints "call ERRNO" (or "call ok").
	# Static, so it runs in any rootfs; it travels in through stdin.
	cat >"$BATS_FILE_TMPDIR/probe.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *call, long r)
{
	printf("%s %s\n", call, r < 0 ? strerrorname_np(errno) : "ok");
	fflush(stdout);
}

/* clone() and clone3() return twice: the child leaves at once. */
static long reap(long r)
{
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid(r, NULL, 0);
	return r;
}

static void *thread(void *arg) { return arg; }

int main(void)
{
	struct clone_args ca = {.exit_signal = SIGCHLD};
	char c = 'x', got;
	struct iovec mine = {&got, 1}, other = {&c, 1};
	pthread_t t;
	long r;
	int st;
	pid_t p;

	say("mount", syscall(SYS_mount, NULL, NULL, NULL, 0, NULL));
	say("umount2", syscall(SYS_umount2, "/no-such-dir", 0));
	say("pivot_root", syscall(SYS_pivot_root, "/no-such", "/no-such"));
	say("setns", syscall(SYS_setns, -1, 0));
	/* The new mount API. open_tree without OPEN_TREE_CLONE is an
	 * O_PATH open that anyone may make: unfiltered, "ok". */
	say("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
	say("open_tree", syscall(SYS_open_tree, -100 /* AT_FDCWD */, "/", 0));
	say("move_mount", syscall(SYS_move_mount, -1, "", -1, "", 0));
	say("mount_setattr", syscall(SYS_mount_setattr, -1, "", 0, NULL, 0));
	/* In a child: if it works, only the child is in the new one. */
	if ((p = fork()) == 0)
		_exit(syscall(SYS_unshare, CLONE_NEWUSER) < 0 ? errno : 0);
	waitpid(p, &st, 0);
	errno = WEXITSTATUS(st);
	say("unshare", errno ? -1 : 0);
	say("clone-newuser", reap(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
	say("clone-newnet", reap(syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0)));
	say("clone", reap(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)));
	say("clone3", reap(syscall(SYS_clone3, &ca, sizeof(ca))));
	errno = pthread_create(&t, NULL, thread, NULL);
	say("pthread_create", errno ? -1 : pthread_join(t, NULL));
	/* stdin is /dev/null, not a terminal: unfiltered, ENOTTY. */
	say("ioctl-TIOCSTI", syscall(SYS_ioctl, 0, TIOCSTI, &c));
	say("ioctl-TIOCSTI-high-bits", syscall(SYS_ioctl, 0, (1UL << 32) | TIOCSTI, &c));
	say("ioctl-TCGETS", syscall(SYS_ioctl, 0, TCGETS, NULL));
	say("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, ~0UL));
	say("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0));
	say("init_module", syscall(SYS_init_module, NULL, 0, ""));
	say("finit_module", syscall(SYS_finit_module, -1, "", 0));
	say("delete_module", syscall(SYS_delete_module, "no_such_module", 0));
	say("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));
	say("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0));
	say("add_key", syscall(SYS_add_key, NULL, NULL, NULL, 0, 0));
	say("request_key", syscall(SYS_request_key, NULL, NULL, NULL, 0));
	say("bpf", syscall(SYS_bpf, -1, NULL, 0));
	say("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
	say("ptrace", syscall(SYS_ptrace, 2 /* PEEKDATA */, 0x3ffffff0, 0, 0));
	say("process_vm_readv", syscall(SYS_process_vm_readv, getpid(), &mine, 1, &other, 1, 0));
	say("process_vm_writev", syscall(SYS_process_vm_writev, getpid(), &mine, 1, &other, 1, 0));
	say("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
	say("swapon", syscall(SYS_swapon, NULL, 0));
	say("swapoff", syscall(SYS_swapoff, NULL));
	say("settimeofday", syscall(SYS_settimeofday, NULL, NULL));
	say("clock_settime", syscall(SYS_clock_settime, 0, NULL));
	say("adjtimex", syscall(SYS_adjtimex, NULL));
	say("clock_adjtime", syscall(SYS_clock_adjtime, 0, NULL));
	say("acct", syscall(SYS_acct, "/no-such-file"));
	say("userfaultfd", syscall(SYS_userfaultfd, 1 /* USER_MODE_ONLY */));
	say("x32-getpid", syscall(0x40000000 | SYS_getpid));
	/* The i386 door: int $0x80, where 20 is getpid. */
	if ((p = fork()) == 0) {
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		_exit(r == getpid() ? 0 : 1);
	}
	waitpid(p, &st, 0);
	printf("i386-getpid %s\n", WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) :
				   WEXITSTATUS(st) ? "failed" : "ok");
	return 0;
}
EOF
	if [ "$(uname -m)" = x86_64 ]; then
		cc -static -O2 -o "$BATS_FILE_TMPDIR/probe" "$BATS_FILE_TMPDIR/probe.c" -pthread ||
			cc -O2 -o "$BATS_FILE_TMPDIR/probe" "$BATS_FILE_TMPDIR/probe.c" -pthread
	fi
	# A host file the chroot escape would read if it got out.
	export SECRET="host-secret-$$"
	export MARKER="$BATS_FILE_TMPDIR/marker"
	echo "$SECRET" >"$MARKER"
	snapshot_host
}

setup() {
	need_root
}

# The PID, as the host sees it, of the first process named COMM among
# the descendants of PID. Waits for it up to 5 s.
descendant() {
	local i p c
	local -a todo
	for i in $(seq 50); do
		todo=("$1")
		while [ ${#todo[@]} -gt 0 ]; do
			p=${todo[0]}
			todo=("${todo[@]:1}")
			for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
				if [ "$(cat /proc/"$c"/comm 2>/dev/null)" = "$2" ]; then
					echo "$c"
					return 0
				fi
				todo+=("$c")
			done
		done
		sleep 0.1
	done
	return 1
}

@test "10-full harden: /proc/self/status: Docker's capabilities minus MKNOD, NoNewPrivs, Seccomp" {
	run "$CONTAINER" run "$RFS" sh -c \
		'grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\t%s\n' CapInh: 0000000000000000 \
		CapPrm: $CAPS CapEff: $CAPS CapBnd: $CAPS \
		CapAmb: 0000000000000000 NoNewPrivs: 1 Seccomp: 2)" ]
	# The control: root on the host has more (at least CAP_SYS_ADMIN).
	[ "$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)" != $CAPS ]
}

@test "10-full harden: the host's view of the command agrees (from the outside)" {
	"$CONTAINER" run "$RFS" sleep 3 &
	prog=$!
	pid=$(descendant $prog sleep)
	grep -q "^CapBnd:	$CAPS$" /proc/$pid/status
	grep -q "^CapEff:	$CAPS$" /proc/$pid/status
	grep -q "^NoNewPrivs:	1$" /proc/$pid/status
	grep -q "^Seccomp:	2$" /proc/$pid/status
	# Its mounts: /sys and every cgroup hierarchy under it, /proc/sys
	# and the other /proc controls, read-only.
	mi=/proc/$pid/mountinfo
	awk '$5 == "/sys" || $5 ~ "^/sys/fs/cgroup" || $5 ~ "^/proc/(sys|irq|bus|fs|sysrq-trigger)$" { print $5, $6 }' $mi >"$BATS_TEST_TMPDIR/ro"
	grep -q '^/sys ro,' "$BATS_TEST_TMPDIR/ro"
	grep -q '^/proc/sys ro,' "$BATS_TEST_TMPDIR/ro"
	run grep -v ' ro,' "$BATS_TEST_TMPDIR/ro"
	[ -z "$output" ]
	kill $prog
	wait $prog || true
}

@test "10-full harden: mount, mknod, unshare -U/-n/-m and swapoff fail inside" {
	run "$CONTAINER" run "$RFS" mount -t tmpfs none /mnt
	[ "$status" -ne 0 ]
	[[ "$output" == *"permission denied"* ]]
	# Docker keeps CAP_MKNOD; we do not (harden.c says why).
	run "$CONTAINER" run "$RFS" mknod /tmp/sda b 8 0
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	# A user namespace needs no capability at all: only seccomp stops
	# unshare -U. (The control: nobody on the host may make one.)
	for ns in -U -n -m; do
		run "$CONTAINER" run "$RFS" unshare $ns true
		[ "$status" -ne 0 ]
		[[ "$output" == *"unshare failed: Operation not permitted"* ]]
	done
	# swapoff(8) says EPERM its own way.
	run "$CONTAINER" run "$RFS" swapoff /dev/null
	[ "$status" -ne 0 ]
	[[ "$output" == *"Not superuser"* ]]
}

@test "10-full harden: seccomp refuses each listed call (EPERM; clone3 ENOSYS), fork and threads still work" {
	[ -x "$BATS_FILE_TMPDIR/probe" ] || skip "the probe is x86_64 code"
	run "$CONTAINER" run "$RFS" sh -c \
		'cat >/tmp/probe && chmod +x /tmp/probe && /tmp/probe </dev/null' \
		<"$BATS_FILE_TMPDIR/probe"
	[ "$status" -eq 0 ]
	expected="mount EPERM
umount2 EPERM
pivot_root EPERM
setns EPERM
fsopen EPERM
open_tree EPERM
move_mount EPERM
mount_setattr EPERM
unshare EPERM
clone-newuser EPERM
clone-newnet EPERM
clone ok
clone3 ENOSYS
pthread_create ok
ioctl-TIOCSTI EPERM
ioctl-TIOCSTI-high-bits EPERM
ioctl-TCGETS ENOTTY
kexec_load EPERM
kexec_file_load EPERM
init_module EPERM
finit_module EPERM
delete_module EPERM
open_by_handle_at EPERM
keyctl EPERM
add_key EPERM
request_key EPERM
bpf EPERM
perf_event_open EPERM
ptrace EPERM
process_vm_readv EPERM
process_vm_writev EPERM
reboot EPERM
swapon EPERM
swapoff EPERM
settimeofday EPERM
clock_settime EPERM
adjtimex EPERM
clock_adjtime EPERM
acct EPERM
userfaultfd EPERM
x32-getpid EPERM
i386-getpid SYS"
	diff -u <(echo "$expected") <(echo "$output")
	# The control: an ordinary user on the host, with no capability at
	# all, gets past the calls that only the filter stops.
	cp "$BATS_FILE_TMPDIR/probe" "$BATS_TEST_TMPDIR/probe"
	chmod 755 "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/probe"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BATS_TEST_TMPDIR/probe" </dev/null
	[[ "$output" == *"ioctl-TIOCSTI ENOTTY"* ]]
	[[ "$output" == *"process_vm_readv ok"* ]]
	[[ "$output" == *"clone3 ok"* ]]
	[[ "$output" == *"open_tree ok"* ]]
}

@test "10-full harden: /proc: kcore, keys and timer_list read empty; sysrq-trigger and /proc/sys refuse writes" {
	run "$CONTAINER" run "$RFS" sh -c \
		'for f in kcore keys timer_list; do
			[ -e /proc/$f ] && echo "$f $(cat /proc/$f | wc -c)"
		done'
	[ "$status" -eq 0 ]
	# As many as this kernel has, and each one empty.
	expected=$(for f in kcore keys timer_list; do
		[ -e /proc/$f ] && echo "$f 0"; done)
	[ "$output" = "$expected" ]
	# The control: on the host they are not empty.
	[ "$(cat /proc/keys /proc/timer_list | wc -c)" -gt 0 ]

	# Writing back the value it has: harmless if the defence failed.
	run "$CONTAINER" run "$RFS" sh -c \
		'cat /proc/sys/kernel/printk_ratelimit > /proc/sys/kernel/printk_ratelimit'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ -w /proc/sys/kernel/printk_ratelimit ] # root may, on the host

	if [ -e /proc/sysrq-trigger ]; then
		# 'h' only prints help to the kernel log.
		run "$CONTAINER" run "$RFS" sh -c 'echo h > /proc/sysrq-trigger'
		[ "$status" -ne 0 ]
		[[ "$output" == *"Read-only file system"* ]]
	fi
}

@test "10-full harden: /sys and /sys/fs/cgroup are read-only: the container cannot lift its own limit" {
	run "$CONTAINER" run "$RFS" touch /sys/kernel/h6a
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	# Its own pids.max, seen through the cgroup namespace: writable to
	# root, were it not mounted read-only.
	run "$CONTAINER" run --pids-limit 50 "$RFS" sh -c '
		for f in /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max; do
			[ -e $f ] || continue
			cat $f; echo max > $f; cat $f
		done
		mkdir /sys/fs/cgroup/pids/h6a || mkdir /sys/fs/cgroup/h6a'
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = 50 ]
	[[ "${lines[1]}" == *"Read-only file system"* ]]
	[ "${lines[2]}" = 50 ]
	[[ "$output" == *"mkdir: cannot create directory"*"Read-only file system"* ]]
}

@test "10-full harden: /dev holds only the minimal nodes, on a nodev tmpfs, with its own ptys" {
	run "$CONTAINER" run "$RFS" ls -A /dev
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero" ]
	run "$CONTAINER" run "$RFS" sh -c \
		'stat -c "%n %F %t:%T" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty
		readlink /dev/ptmx /dev/fd /dev/stdin /dev/stdout /dev/stderr
		ls /dev/pts
		head -c 3 /dev/zero | wc -c
		echo gone > /dev/null && echo written'
	[ "$status" -eq 0 ]
	[ "$output" = "/dev/null character special file 1:3
/dev/zero character special file 1:5
/dev/full character special file 1:7
/dev/random character special file 1:8
/dev/urandom character special file 1:9
/dev/tty character special file 5:0
pts/ptmx
/proc/self/fd
/proc/self/fd/0
/proc/self/fd/1
/proc/self/fd/2
ptmx
3
written" ]
}

@test "10-full harden: a device node that the image or a volume brings cannot be opened" {
	# Without CAP_MKNOD no node can be made inside; but an image unpacked
	# by root, or a volume, can carry one. /dev/null's numbers (1:3)
	# keep the attack harmless; b 8 0 would be the host's first disk.
	img="$BATS_TEST_TMPDIR/image"
	cp -al "$RFS/." "$img" 2>/dev/null || cp -a "$RFS/." "$img"
	mknod "$img/image-null" c 1 3
	mkdir "$BATS_TEST_TMPDIR/vol"
	mknod "$BATS_TEST_TMPDIR/vol/vol-null" c 1 3
	# The control: on the host both open.
	echo x >"$img/image-null"
	echo x >"$BATS_TEST_TMPDIR/vol/vol-null"
	run "$CONTAINER" run -v "$BATS_TEST_TMPDIR/vol:/mnt" "$img" sh -c \
		'echo x > /image-null; echo x > /mnt/vol-null; echo x > /dev/null && echo dev-null-opens'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "sh: 1: cannot create /image-null: Permission denied" ]
	[ "${lines[1]}" = "sh: 1: cannot create /mnt/vol-null: Permission denied" ]
	[ "${lines[2]}" = dev-null-opens ]
}

@test "10-full harden: no file descriptor beyond 0-2 leaks in" {
	exec 5</etc/hostname 9</etc/hostname
	# The control: an ordinary child sees them (and bats' own).
	run sh -c 'ls /proc/$$/fd'
	[[ "$(echo $output)" == *5*9* ]]
	run "$CONTAINER" run "$RFS" sh -c 'ls /proc/$$/fd'
	exec 5<&- 9<&-
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "0 1 2" ]
}

@test "10-full harden: the chroot escape from 08 stays inside" {
	run "$CONTAINER" run "$RFS" chroot-escape cat "$MARKER"
	[ "$status" -eq 1 ] # cat's: no such file
	[[ "$output" == *"climbed 0 levels"* ]]
	[[ "$output" != *"$SECRET"* ]]
}

@test "10-full harden: under --userns the same limits hold" {
	run "$CONTAINER" run --userns "$RFS" sh -c \
		'grep -E "^(CapBnd|CapEff|NoNewPrivs|Seccomp):" /proc/self/status
		unshare -U true; ls -A /dev | wc -l'
	[ "$(echo $output)" = "CapEff: $CAPS CapBnd: $CAPS NoNewPrivs: 1 Seccomp: 2 unshare: unshare failed: Operation not permitted 14" ]
}

@test "10-full harden: exit status comes back through the hardening (7, 127, 125)" {
	run "$CONTAINER" run "$RFS" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 "$CONTAINER" run "$RFS" no-such-command-here
	run -125 "$CONTAINER" run --no-such-option "$RFS" true
	[[ "$output" == *--help* ]]
}

@test "10-full harden: leaves nothing behind on the host" {
	assert_no_leaks
}
