#!/usr/bin/env bats
# 04-mount: a new mount namespace, made private first, gets its own /proc:
# ps inside sees only the container, and the mount never reaches the host.

load helpers
bats_require_minimum_version 1.5.0

MNT="$BATS_TEST_DIRNAME/../04-mount/mount"

setup_file() {
	snapshot_host
}

setup() {
	need_root
}

@test "04-mount: ps -e inside lists only the container's processes" {
	run "$MNT" -- ps -e -o pid=,comm=
	[ "$status" -eq 0 ]
	# With the host's /proc, ps would list every process on the machine.
	[ "${#lines[@]}" -eq 1 ]
	[ "$(echo ${lines[0]})" = "1 ps" ]
	# (ps waits until the background job has become sleep: a forked sh
	# that has not exec'd yet would be listed as sh.)
	run "$MNT" -- sh -c 'sleep 5 & i=0
		until [ "$(cat /proc/$!/comm)" = sleep ] || [ $((i += 1)) -gt 5000 ]; do :; done
		ps -e -o pid=,comm='
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$output" == *sleep* ]]
}

@test "04-mount: /proc inside is a new procfs, not the host's" {
	host=$(awk '$5 == "/proc" { print $3 }' /proc/self/mountinfo)
	run "$MNT" -- awk '$5 == "/proc" { print $3, $9 }' /proc/self/mountinfo
	[ "$status" -eq 0 ]
	# The host's /proc, copied into the namespace, then ours on top of it:
	# a procfs with a device number of its own (a new superblock).
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$host proc" ]
	[[ "${lines[1]}" == *" proc" ]]
	[ "${lines[1]}" != "$host proc" ]
}

# The host's mounts, but those under /run/netns: the network namespaces
# that `ip netns add` binds there, which other people's runs (06, 10-full's
# tests) make and remove on the same machine meanwhile; this lesson makes
# none. A test judges only what it made.
mounts() {
	awk '$5 !~ "^/run/netns(/|$)"' /proc/self/mountinfo
}

@test "04-mount: the host's mountinfo is the same before, during and after" {
	t=$BATS_TEST_TMPDIR
	mounts >"$t/before"
	"$MNT" -- sh -c "touch $t/in; sleep 1" &
	prog=$!
	wait_for test -e "$t/in"
	mounts >"$t/during"
	wait "$prog"
	mounts >"$t/after"
	diff -u "$t/before" "$t/during"
	diff -u "$t/before" "$t/after"
}

# On this host "/" is private already, so the test above could not fail.
# A throwaway mount namespace in which "/" is shared, as systemd makes it,
# (made private first, so that its new peer groups are its own: copies of a
# host's shared "/" would be the host's peers, and a leak would reach it),
# gives a missing MS_PRIVATE something to leak into: without it, the
# container's procfs propagates onto that namespace's /proc, whose
# /proc/self then no longer exists (our shell is not in that PID namespace).
# Private cuts the other direction too: a mount that namespace makes
# during the run must not appear inside (with MS_SLAVE it would).
@test "04-mount: where / is shared, mounts propagate neither out nor in" {
	cat >"$BATS_TEST_TMPDIR/shared.sh" <<-'EOF'
		mount --make-rshared / || exit 1
		# Proof that the setup can leak: findmnt says "shared".
		findmnt -n -o PROPAGATION / >"$1/propagation"
		mkdir "$1/mnt"
		# (/run/netns: other runs' network namespaces, as mounts() says)
		mounts() { awk '$5 !~ "^/run/netns(/|$)"' /proc/self/mountinfo; }
		mounts >"$1/before" 2>&1
		"$2" -- sh -c "touch $1/in
			for i in \$(seq 50); do [ -e $1/mounted ] && break; sleep 0.1; done
			cat /proc/self/mountinfo >$1/inside" &
		prog=$!
		for i in $(seq 50); do [ -e "$1/in" ] && break; sleep 0.1; done
		mounts >"$1/during" 2>&1
		# A mount made outside while the container runs.
		mount -t tmpfs lesson-from-outside "$1/mnt" &&
			grep lesson-from-outside /proc/self/mountinfo >"$1/outside"
		touch "$1/mounted"
		wait $prog
		echo $? >"$1/status"
		umount "$1/mnt"
		mounts >"$1/after" 2>&1
		exit 0
	EOF
	t=$BATS_TEST_TMPDIR
	run unshare --mount --propagation private sh "$t/shared.sh" "$t" "$MNT"
	[ "$status" -eq 0 ]
	[ "$(cat "$t/propagation")" = shared ]
	[ "$(cat "$t/status")" = 0 ]
	# Out: that namespace's mounts are the same before, during and after.
	diff -u "$t/before" "$t/during"
	diff -u "$t/before" "$t/after"
	# In: its tmpfs was mounted (it sees it) but is not in the container.
	[ -s "$t/outside" ]
	grep -q ' /proc ' "$t/inside" # the container did write its mountinfo
	run grep lesson-from-outside "$t/inside"
	[ "$status" -eq 1 ]
}

@test "04-mount: the command's exit status comes back (7, 127)" {
	run -7 "$MNT" sh -c 'exit 7'
	run -127 "$MNT" no-such-command-here
	[[ "$output" == *"04-mount: exec no-such-command-here"* ]]
}

@test "04-mount: a bad option exits 125 with a usage hint" {
	run -125 "$MNT" --no-such-option true
	[ "${lines[0]}" = "04-mount: unknown option '--no-such-option'" ]
	[[ "${lines[1]}" == *--help* ]]
}

# Students copy the README's commands literally: each one shown with its
# output must print it (tests/readme; … marks what varies).
@test "04-mount: the README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/04-mount/README.md"
}

@test "04-mount: the Chinese README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/04-mount/README.zh-CN.md"
	# and they are the English one's: the same blocks (and the same
	# marks before them), line for line.
	diff <(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/04-mount/README.md") \
		<(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/04-mount/README.zh-CN.md")
}

@test "04-mount: leaves nothing behind on the host" {
	assert_no_leaks
}
