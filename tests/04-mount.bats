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
	run "$MNT" -- sh -c 'sleep 5 & ps -e -o pid=,comm='
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

@test "04-mount: the host's mountinfo is the same before, during and after" {
	t=$BATS_TEST_TMPDIR
	cat /proc/self/mountinfo >"$t/before"
	"$MNT" -- sh -c "touch $t/in; sleep 1" &
	prog=$!
	wait_for test -e "$t/in"
	cat /proc/self/mountinfo >"$t/during"
	wait "$prog"
	cat /proc/self/mountinfo >"$t/after"
	diff -u "$t/before" "$t/during"
	diff -u "$t/before" "$t/after"
}

# On this host "/" is private already, so the test above could not fail.
# A throwaway mount namespace in which "/" is shared, as systemd makes it,
# gives a missing MS_PRIVATE something to leak into: without it, the
# container's procfs propagates onto that namespace's /proc, whose
# /proc/self then no longer exists (our shell is not in that PID namespace).
@test "04-mount: where / is shared, the new /proc still does not propagate" {
	cat >"$BATS_TEST_TMPDIR/shared.sh" <<-'EOF'
		mount --make-rshared / || exit 1
		# Proof that the setup can leak: findmnt says "shared".
		findmnt -n -o PROPAGATION / >"$1/propagation"
		cat /proc/self/mountinfo >"$1/before" 2>&1
		"$2" -- sh -c "touch $1/in; sleep 1" &
		prog=$!
		for i in $(seq 50); do [ -e "$1/in" ] && break; sleep 0.1; done
		cat /proc/self/mountinfo >"$1/during" 2>&1
		wait $prog
		echo $? >"$1/status"
		cat /proc/self/mountinfo >"$1/after" 2>&1
		exit 0
	EOF
	run unshare --mount --propagation shared \
		sh "$BATS_TEST_TMPDIR/shared.sh" "$BATS_TEST_TMPDIR" "$MNT"
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/propagation")" = shared ]
	[ "$(cat "$BATS_TEST_TMPDIR/status")" = 0 ]
	diff -u "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/during"
	diff -u "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
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

@test "04-mount: leaves nothing behind on the host" {
	assert_no_leaks
}
