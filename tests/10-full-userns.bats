#!/usr/bin/env bats
# 10-full --userns as root (10-full/userns.c): the image is owned by the
# container's root (an idmapped mount), so the container can change it;
# and each container's root is a host user of its own, from a pool of
# ranges that is given back when the run ends, also after a kill -9.

load helpers
load container
bats_require_minimum_version 1.5.0

POOL=/run/lesson-container-ids # IDPOOL_DIR in 10-full/userns.h
POOL_FIRST=1610612736	       # IDPOOL_FIRST, 0x60000000
POOL_END=1879048192	       # 0x70000000: 4096 ranges of 65536

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	container_setup
}

# Every test leaves nothing of its containers behind (container.bash).
teardown() {
	container_teardown
}

# The host PID of the command of a running container, given the PID of
# `container`: its child, PID 1 inside (once it has exec'd the command).
command_of() {
	child_of "$1"
}

# The host uid that is root inside, from a uid_map line "0 FIRST 65536".
first_of_map() {
	awk '$1 == 0 && $3 == 65536 { print $2 }' "$1"
}

# A range of the pool: inside it, aligned, not 100000 (the first user's
# /etc/subuid range on Debian and Ubuntu).
# True unless the range starting at $1 is stale: its file there, and
# locked by no run. (Opened without O_CREAT: flock(1) would make it.)
not_stale() {
	local fd ret=0
	exec {fd}<"$POOL/$1" || return 0 # gone: given back
	! flock -n "$fd" || ret=1
	exec {fd}<&-
	return $ret
}

in_pool() {
	echo "range starts at $1"
	[ "$1" -ge $POOL_FIRST ] && [ "$1" -lt $POOL_END ] &&
		[ $(($1 % 65536)) -eq 0 ]
}

@test "10-full --userns: mkdir and edits under /tmp and /etc work; the image belongs to root inside, and stays unchanged" {
	cp -a "$RFS/etc/passwd" "$BATS_TEST_TMPDIR/passwd"
	# stderr apart: a run may say it swept what another left.
	run --separate-stderr "$CONTAINER" run --rm --userns "$RFS" sh -c '
		mkdir /tmp/d && echo made >/tmp/d/f && cat /tmp/d/f
		echo "guest:x:1000:1000::/tmp:/bin/sh" >>/etc/passwd && tail -1 /etc/passwd
		echo new >/etc/new-file && cat /etc/new-file
		chmod 640 /etc/passwd && stat -c %a /etc/passwd
		stat -c %u /etc /usr /tmp /etc/passwd /bin/sh'
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = made ]
	[ "${lines[1]}" = "guest:x:1000:1000::/tmp:/bin/sh" ]
	[ "${lines[2]}" = new ]
	[ "${lines[3]}" = 640 ]
	# Not nobody (65534): the image's files are root's inside.
	[ "$(echo ${lines[@]:4})" = "0 0 0 0 0" ]
	# Written to the container's layer, never to the image.
	cmp "$RFS/etc/passwd" "$BATS_TEST_TMPDIR/passwd"
	[ "$(stat -c %a "$RFS/etc/passwd")" = 644 ]
	[ ! -e "$RFS/tmp/d" ] && [ ! -e "$RFS/etc/new-file" ]
}

@test "10-full --userns: an image that cannot be idmapped still runs, with a warning that says why" {
	# ramfs cannot be idmapped: the runtime must say so, and run as
	# before (the image owned by nobody inside). A mount namespace of
	# the test's own, so the ramfs never shows on the host.
	run unshare -m --propagation private sh -c '
		mkdir "$2/ram" && mount -t ramfs none "$2/ram" &&
		cp -a "$1" "$2/ram/rootfs" || exit 99
		"$0" run --rm --userns "$2/ram/rootfs" sh -c "cat /etc/hostname >/dev/null && stat -c %u /usr"' \
		"$CONTAINER" "$RFS" "$BATS_TEST_TMPDIR"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"--userns: warning: the image cannot be idmapped"*"Linux 5.19"* ]]
	[ "${lines[-1]}" = 65534 ]
}

@test "10-full --userns: two containers at once are two host users: disjoint ranges, and neither may signal the other" {
	"$CONTAINER" run --rm --userns "$RFS" sleep 1000 &
	prog_a=$!
	"$CONTAINER" run --rm --userns "$RFS" sleep 1000 &
	prog_b=$!
	a=$(command_of $prog_a)
	b=$(command_of $prog_b)
	# PID 1 is the runtime's clone until its exec of sleep: wait for
	# both execs, not only for both children.
	wait_for eval '[ "$(cat /proc/$a/comm) $(cat /proc/$b/comm)" = "sleep sleep" ]'
	# The host's view: each command's real, effective, saved, fs uid.
	uid_a=$(first_of_map /proc/$a/uid_map)
	uid_b=$(first_of_map /proc/$b/uid_map)
	in_pool "$uid_a"
	in_pool "$uid_b"
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$a/status)" = "$uid_a $uid_a $uid_a $uid_a" ]
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$b/status)" = "$uid_b $uid_b $uid_b $uid_b" ]
	# Disjoint: 65536 ids each, starting 65536 apart or more.
	diff=$((uid_a - uid_b))
	echo "ranges $uid_a and $uid_b"
	[ "${diff#-}" -ge 65536 ]
	# Each range is held by its run: a lock file in the pool, locked.
	run -1 flock -n "$POOL/$uid_a" true
	run -1 flock -n "$POOL/$uid_b" true
	# What counts: A's root, as the host sees it, may not signal B's
	# command, while B's own root may (the control).
	run setpriv --reuid="$uid_a" --regid="$uid_a" --clear-groups kill -0 "$b"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	run setpriv --reuid="$uid_b" --regid="$uid_b" --clear-groups kill -0 "$b"
	[ "$status" -eq 0 ]
	run setpriv --reuid="$uid_b" --regid="$uid_b" --clear-groups kill -0 "$a"
	[ "$status" -ne 0 ]
	# PID 1 of a namespace: from the host only SIGKILL ends a sleep.
	kill -KILL $a $b
	wait_status $prog_a 137
	wait_status $prog_b 137
}

@test "10-full --userns: a range is given back when the run ends, and after a kill -9 of container the next run takes it back" {
	run --separate-stderr "$CONTAINER" run --rm --userns "$RFS" cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	first=$(echo "$output" | awk '$1 == 0 { print $2 }')
	in_pool "$first"
	not_stale "$first" # given back

	"$CONTAINER" run --rm --userns "$RFS" sleep 1000 &
	prog=$!
	cmd=$(command_of $prog)
	# The child is there before its parent writes its uid_map (under
	# load, read too soon once): wait for its exec of sleep, as above.
	wait_for eval '[ "$(cat /proc/$cmd/comm)" = sleep ]'
	dead=$(first_of_map /proc/$cmd/uid_map)
	in_pool "$dead"
	run -1 flock -n "$POOL/$dead" true # held
	kill -KILL $prog
	wait $prog || true
	wait_for test ! -e /proc/$cmd
	# No code ran after SIGKILL: the file is still there, but the kernel
	# dropped the lock with its holder. (Held again, it is another run's
	# of this machine, which took the range back meanwhile: the pool is
	# the host's. Then the run below takes another, or a lower one.)
	[ -e "$POOL/$dead" ]
	flock -n "$POOL/$dead" true || echo "taken by another run meanwhile"
	# The next run takes it back: the lowest free range, and gives it
	# back in turn.
	run --separate-stderr "$CONTAINER" run --rm --userns "$RFS" cat /proc/self/uid_map
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	got=$(echo "$output" | awk '{ print $2 }')
	in_pool "$got"
	# The pool is the machine's (host ids are): another run here may
	# have freed a lower range meanwhile, or taken this one first; then
	# it is not left stale either.
	[ "$got" = "$dead" ] || [ "$got" -lt "$dead" ] || not_stale "$dead"
	not_stale "$got"
}
