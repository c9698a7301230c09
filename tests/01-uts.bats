#!/usr/bin/env bats
# 01-uts: a UTS namespace gives the command its own hostname, and the
# program passes the command's exit status through.

load helpers
bats_require_minimum_version 1.5.0

UTS="$BATS_TEST_DIRNAME/../01-uts/uts"

setup_file() {
	snapshot_host
}

setup() {
	need_root
}

@test "01-uts: hostname inside is the one given" {
	run "$UTS" --hostname lesson-box -- hostname
	[ "$status" -eq 0 ]
	[ "$output" = lesson-box ]
}

@test "01-uts: the host's hostname is unchanged during and after" {
	before=$(hostname)
	# A name the host cannot have already (an earlier test that leaked
	# its name to the host would otherwise make this one pass).
	name=lesson-$$-$RANDOM
	[ "$before" != "$name" ]
	"$UTS" --hostname "$name" -- sh -c "hostname > $BATS_TEST_TMPDIR/in; sleep 1" &
	prog=$!
	wait_for test -s "$BATS_TEST_TMPDIR/in"
	[ "$(cat "$BATS_TEST_TMPDIR/in")" = "$name" ]
	[ "$(hostname)" = "$before" ] # during
	wait "$prog"
	[ "$(hostname)" = "$before" ] # after
}

@test "01-uts: /proc/PID/ns/uts of the container differs from the host's" {
	"$UTS" --hostname lesson-box -- sleep 2 &
	prog=$!
	child=$(child_of $prog)
	inside=$(readlink /proc/$child/ns/uts)
	host=$(readlink /proc/self/ns/uts)
	# Without CLONE_NEWUTS the two links would name the same namespace.
	[ -n "$inside" ]
	[ "$inside" != "$host" ]
	# The program itself stays in the host's namespace.
	[ "$(readlink /proc/$prog/ns/uts)" = "$host" ]
	wait "$prog"
}

@test "01-uts: the command's exit status comes back (7, 127, 126, 128+N)" {
	run "$UTS" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 "$UTS" no-such-command-here
	[[ "$output" == *"01-uts: exec no-such-command-here"* ]]
	run -126 "$UTS" /etc/passwd
	run "$UTS" sh -c 'kill -TERM $$'
	[ "$status" -eq $((128 + 15)) ]
}

@test "01-uts: stdin and stdout pass through" {
	run sh -c "echo through-the-pipe | '$UTS' cat"
	[ "$status" -eq 0 ]
	[ "$output" = through-the-pipe ]
}

@test "01-uts: a bad option or hostname exits 125 with a clear line" {
	run -125 "$UTS" --no-such-option true
	[[ "${lines[0]}" == "01-uts: unknown option '--no-such-option'" ]]
	[[ "$output" == *"--help"* ]]
	before=$(hostname)
	run -125 "$UTS" --hostname 'not a name' true
	[[ "$output" == *"01-uts: hostname 'not a name'"* ]]
	# RFC 1123 labels: none empty, none starting or ending with '-'.
	for name in .. - -x x- a..b .a a.; do
		run -125 "$UTS" --hostname "$name" true
		[[ "$output" == *"01-uts: hostname '$name': each dot-separated part"* ]]
	done
	run "$UTS" --hostname a-b.c-d.1 hostname
	[ "$output" = a-b.c-d.1 ]
	[ "$(hostname)" = "$before" ]
}

# A check made in the child, after clone(), would exit 125 with the same
# message: only a trace of the program tells "refused before anything was
# created" from "created, then failed".
@test "01-uts: a bad hostname is refused before clone() (strace)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	trace="$BATS_TEST_TMPDIR/trace"
	run -125 strace -f -qq -e trace=clone,clone3 -o "$trace" \
		"$UTS" --hostname 'not a name' true
	[[ "$output" == *"01-uts: hostname 'not a name'"* ]]
	run grep clone "$trace"
	[ "$status" -eq 1 ] # not one clone
	# The same trace of a good run shows the clone: the filter works.
	run -0 strace -f -qq -e trace=clone,clone3 -o "$trace" \
		"$UTS" --hostname lesson-box true
	grep -q 'clone.*CLONE_NEWUTS' "$trace"
}

@test "01-uts: --help prints usage and exits 0" {
	run "$UTS" --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
	[[ "$output" == *--hostname* ]]
}

@test "01-uts: leaves nothing behind on the host" {
	assert_no_leaks
}
