#!/usr/bin/env bats
# 10-full's seccomp filter (10-full/seccomp.c, seccomp_tree.c, syscalls.c)
# is an allowlist: each test attacks it from inside the container, with a
# static probe (tests/10-full-probe.c) that makes the calls and prints
# what each one got, and would fail if the filter were a denylist again
# (io_uring_setup, kcmp, personality(ADDR_NO_RANDOMIZE) would work).

load helpers
load container
bats_require_minimum_version 1.5.0

setup_file() {
	# The probe is x86_64 code (x32 and i386 doors).
	if [ "$(uname -m)" = x86_64 ]; then
		cc -static -O2 -o "$BATS_FILE_TMPDIR/probe" "$BATS_TEST_DIRNAME/10-full-probe.c" -pthread ||
			cc -O2 -o "$BATS_FILE_TMPDIR/probe" "$BATS_TEST_DIRNAME/10-full-probe.c" -pthread
	fi
}

setup() {
	[ "$BATS_TEST_DESCRIPTION" != "${BATS_TEST_DESCRIPTION#10-full seccomp table}" ] ||
		{ need_root; [ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"; }
	container_setup
}

# Every test leaves nothing of its containers behind (container.bash).
teardown() {
	container_teardown
}

# Runs the probe inside a container; its output in $output. What
# container itself says (its sweep of what other runs left) stays out.
probe_inside() {
	run --separate-stderr "$CONTAINER" run --rm "$RFS" sh -c \
		'cat >/tmp/probe && chmod +x /tmp/probe && /tmp/probe "$@" </dev/null' \
		sh "$@" <"$BATS_FILE_TMPDIR/probe"
}

@test "10-full harden: seccomp allowlist: refused calls EPERM, unknown and probed ones ENOSYS, fork and threads work" {
	[ -x "$BATS_FILE_TMPDIR/probe" ] || skip "the probe is x86_64 code"
	probe_inside
	[ "$status" -eq 0 ] || { echo "status $status: $stderr"; false; }
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
i386-getpid SYS
io_uring_setup EPERM
personality-ADDR_NO_RANDOMIZE EPERM
personality-PER_LINUX ok
personality-query ok
kcmp-pid1 EPERM
kcmp-self EPERM
pidfd_getfd-pid1 EPERM
pidfd_getfd-self EPERM
open_tree_attr EPERM
socket-vsock EPERM
socket-inet ok
syscall-470 ENOSYS
syscall-1000 ENOSYS
faccessat2 ENOSYS
fchmodat2 ENOSYS
faccessat-libc ok"
	# The i386 door (int $0x80) is there on most x86_64 machines, and
	# the filter must kill a process that uses it (SIGSYS). Some have no
	# door at all (ia32_emulation=0, kernels without IA32 emulation):
	# int $0x80 is then SIGSEGV on the host too, and there is nothing
	# for the filter to close. The host says which.
	host_i386=$("$BATS_FILE_TMPDIR/probe" i386)
	if [ "$host_i386" != "i386-getpid ok" ]; then
		echo "# no i386 entry on this machine ($host_i386 on the host)" >&3
		expected=$(grep -v '^i386-getpid ' <<<"$expected")
		output=$(grep -v '^i386-getpid ' <<<"$output")
	fi
	diff -u <(echo "$expected") <(echo "$output")
}

@test "10-full harden: seccomp allowlist: the control: on the host, nobody gets past what only the filter stops" {
	[ -x "$BATS_FILE_TMPDIR/probe" ] || skip "the probe is x86_64 code"
	# An ordinary user with no capability at all: what works for it
	# works for container root without the filter.
	probe=$(for_nobody "$BATS_FILE_TMPDIR/probe")
	run "${AS_NOBODY[@]}" "$probe" </dev/null
	[ "$status" -eq 0 ]
	for call in ioctl-TIOCSTI:ENOTTY process_vm_readv:ok clone3:ok \
		open_tree:ok personality-ADDR_NO_RANDOMIZE:ok kcmp-self:ok \
		pidfd_getfd-self:ok faccessat2:ok; do
		[[ "$output" == *"${call%:*} ${call#*:}"* ]] ||
			{ echo "on the host: not '${call%:*} ${call#*:}'"; false; }
	done
	# io_uring can be switched off for the machine (Linux 6.6+).
	if [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ]; then
		[[ "$output" == *"io_uring_setup ok"* ]]
	fi
	# Linux 6.15+; inside, the filter refuses it on any kernel.
	[[ "$output" == *"open_tree_attr ok"* || "$output" == *"open_tree_attr ENOSYS"* ]]
	# vsock where the machine has it (a VM's virtio-vsock); never EPERM.
	[[ "$output" == *"socket-vsock ok"* || "$output" == *"socket-vsock EAFNOSUPPORT"* ]]
}

@test "10-full harden: seccomp allowlist: a shell, coreutils, procps, pipes and background jobs work" {
	run --separate-stderr "$CONTAINER" run --rm "$RFS" sh -c '
		set -e
		mkdir -p /tmp/d/e
		echo hello >/tmp/d/f
		cat /tmp/d/f
		ln -s f /tmp/d/l
		readlink /tmp/d/l
		chmod 600 /tmp/d/f
		stat -c "%a %s" /tmp/d/f
		touch /tmp/d/t
		ls /tmp/d | tr "\n" " " | wc -w
		seq 5 | tail -n 2 | head -n 1
		dd if=/dev/zero of=/tmp/d/z bs=1k count=4 2>/dev/null
		stat -c %s /tmp/d/z
		grep -c "^root:" /etc/passwd
		test -x /bin/sh && [ -w /tmp/d ] && echo access
		rm -r /tmp/d
		[ ! -e /tmp/d ] && echo removed
		id -u
		ps -o pid= -p 1 | tr -d " "
		sleep 0 & wait $!
		echo "job $?"
		timeout 5 true && echo timeout
		uname -s
		env | grep -c "^PATH="'
	[ "$status" -eq 0 ] || { echo "status $status: $stderr"; false; }
	[ "$output" = "hello
f
600 6
4
4
4096
1
access
removed
0
1
job 0
timeout
Linux
1" ]
}

@test "10-full seccomp table: every call of the system's headers is in syscalls.c, with the same number" {
	# x86_64 from <asm/unistd_64.h>; aarch64 from the generic table with
	# the switches arm64's <asm/unistd.h> sets, through the preprocessor.
	# The headers are as old as the C library: the table goes further.
	local table=$BATS_TEST_DIRNAME/../10-full/syscalls.c x86 arm name nr
	if [ "$(uname -m)" = x86_64 ]; then
		x86=$(cc -E -dM -include asm/unistd_64.h - </dev/null |
			awk '/^#define __NR_/ { sub("__NR_", "", $2); print $2, $3 }')
		[ "$(wc -l <<<"$x86")" -gt 300 ]
		while read -r name nr; do
			grep -Eq "\($name, $nr, -?[0-9]+[,)]" "$table" ||
				{ echo "x86_64: $name $nr not in syscalls.c"; return 1; }
		done <<<"$x86"
	fi
	arm=$(sed -n 's/^#define __NR\(3264\)\?_\([a-z0-9_]*\) .*/\2/p' /usr/include/asm-generic/unistd.h |
		sort -u | grep -vx 'syscalls\|arch_specific_syscall' |
		sed 's/.*/"&" __NR_& __NR3264_&/' |
		{ printf '#define __ARCH_WANT_%s\n' RENAMEAT NEW_STAT \
			SET_GET_RLIMIT SYS_CLONE3 MEMFD_SECRET
		  echo '#define __BITS_PER_LONG 64'
		  echo '#include <asm-generic/unistd.h>'
		  cat; } | cc -E -P - | awk '/^"/ {
			gsub("\"", "", $1); for (i = 2; i <= NF; i++)
			if ($i ~ /^[0-9]+$/) { print $1, $i; break } }' |
		sed 's/^fstatat /newfstatat /')
	[ "$(wc -l <<<"$arm")" -gt 250 ]
	while read -r name nr; do
		grep -Eq "\($name, -?[0-9]+, $nr[,)]" "$table" ||
			{ echo "aarch64: $name $nr not in syscalls.c"; return 1; }
	done <<<"$arm"
}

@test "10-full seccomp table: the filter, run by an interpreter, gives every number the table's answer, also through far jumps" {
	# Each range's answer is written once and the search's tests jump to
	# it (seccomp_tree.c): a wrong offset would give a number its
	# neighbour's verdict. tests/10-full-seccomp-tree.c runs the program
	# as built for every number, with arguments clone, ioctl and
	# personality look at; then built so that no conditional jump may
	# skip anything, which sends every test through a "ja".
	local src=$BATS_TEST_DIRNAME/../10-full reach
	for reach in 255 0; do
		cc -O2 -std=gnu11 -D_GNU_SOURCE -DJUMP_REACH=$reach -I"$src" \
			-o "$BATS_TEST_TMPDIR/tree" "$BATS_TEST_DIRNAME/10-full-seccomp-tree.c" \
			"$src/seccomp.c" "$src/seccomp_tree.c" "$src/syscalls.c"
		run "$BATS_TEST_TMPDIR/tree"
		echo "JUMP_REACH=$reach: $output"
		[ "$status" -eq 0 ]
		[[ $output == *"every verdict as the table says" ]]
	done
	# As built, the answers are shared: fewer instructions than ranges
	# take with an answer of their own each (two per range).
	cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$src" -o "$BATS_TEST_TMPDIR/tree" \
		"$BATS_TEST_DIRNAME/10-full-seccomp-tree.c" "$src/seccomp.c" \
		"$src/seccomp_tree.c" "$src/syscalls.c"
	run "$BATS_TEST_TMPDIR/tree"
	local len=${output%% instructions*} ranges=${output#*, }
	ranges=${ranges%% ranges*}
	echo "$len instructions, $ranges ranges"
	[ "$len" -lt $((2 * ranges)) ]
}
