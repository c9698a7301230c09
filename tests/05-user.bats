#!/usr/bin/env bats
# 05-user: a user namespace makes the caller root inside and leaves it the
# caller outside; run by an ordinary user, the whole chain of 01-04 works
# with no root at all.

load helpers
bats_require_minimum_version 1.5.0

USR="$BATS_TEST_DIRNAME/../05-user/user"
MNT="$BATS_TEST_DIRNAME/../04-mount/mount"

setup_file() {
	# A place nobody can read, write and run from (bats' own temp dirs
	# are root's). Not a lesson dir: the leak check does not look here.
	SHARED=$(mktemp -d /tmp/bats-05-user.XXXXXX)
	chmod 1777 "$SHARED"
	export SHARED
	# nobody runs the programs from the repo if it may, else from a copy.
	NB_USR=$(for_nobody "$USR") && NB_MNT=$(for_nobody "$MNT")
	export NB_USR NB_MNT
	snapshot_host
}

# A shell snippet for the container: wait (5 s at most) until the test has
# looked at it from the host and says "go" by creating the file $1.
hold() {
	echo "for i in \$(seq 100); do [ -e $1 ] && break; sleep 0.05; done"
}

teardown_file() {
	rm -rf "$SHARED"
	remove_nobody_copies
}

setup() {
	need_root
}

@test "05-user: root inside, while the host sees the caller's uid and gid" {
	"${AS_NOBODY[@]}" "$NB_USR" -- sh -c "id -u >$SHARED/in; id -g >>$SHARED/in; $(hold $SHARED/go1)" &
	prog=$!
	child=$(child_of $prog)
	# Both lines: the file is not empty after the first (seen under load).
	wait_for has_lines "$SHARED/in" 2
	[ "$(cat "$SHARED/in")" = "$(printf '0\n0')" ]
	# The kernel's view of the same process: nobody, all four ids.
	grep -q "^Uid:	65534	65534	65534	65534$" /proc/$child/status
	grep -q "^Gid:	65534	65534	65534	65534$" /proc/$child/status
	[ "$(readlink /proc/$child/ns/user)" != "$(readlink /proc/self/ns/user)" ]
	touch "$SHARED/go1"
	wait $prog
}

@test "05-user: the maps are the caller's ids, with setgroups denied" {
	run "${AS_NOBODY[@]}" "$NB_USR" -- cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups
	[ "$status" -eq 0 ]
	[ "$(echo ${lines[0]})" = "0 65534 1" ]
	[ "$(echo ${lines[1]})" = "0 65534 1" ]
	[ "${lines[2]}" = deny ]
}

@test "05-user: an id with no mapping shows as 65534 (nobody)" {
	touch "$BATS_TEST_TMPDIR/owned"
	chown 1234:1234 "$BATS_TEST_TMPDIR/owned"
	run "$USR" -- stat -c '%u %g' "$BATS_TEST_TMPDIR/owned"
	[ "$status" -eq 0 ]
	# Outside it is 1234; inside only 0 is mapped.
	[ "$output" = "65534 65534" ]
}

@test "05-user: as nobody, with no root at all: hostname, PID 1, /proc inside" {
	before=$(hostname)
	run "${AS_NOBODY[@]}" "$NB_USR" --hostname rootless -- \
		sh -c 'hostname; echo $$; ps -e -o pid=,comm=; id -u'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = rootless ]
	[ "${lines[1]}" = 1 ]
	# A /proc of its own: the shell and ps, nothing of the host's.
	[ "$(echo ${lines[2]})" = "1 sh" ]
	[ "$(echo ${lines[3]} | cut -d' ' -f2)" = ps ]
	[ "${lines[4]}" = 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(hostname)" = "$before" ]
}

@test "05-user: without the user namespace, nobody gets a clear refusal" {
	run -125 "${AS_NOBODY[@]}" "$NB_MNT" true
	[[ "$output" == *"04-mount: clone: Operation not permitted"* ]]
	[[ "$output" == *"see 05-user for a rootless run"* ]]
}

@test "05-user: full capabilities inside, no power over the host" {
	last=$(cat /proc/sys/kernel/cap_last_cap)
	full=$(printf '%016x' $(((1 << (last + 1)) - 1)))
	# Root on the host can read /etc/shadow (CAP_DAC_OVERRIDE)...
	cat /etc/shadow >/dev/null
	"${AS_NOBODY[@]}" "$NB_USR" -- sh -c "
		grep CapEff /proc/self/status >$SHARED/caps
		cat /etc/shadow >/dev/null 2>$SHARED/shadow; echo \$? >>$SHARED/shadow
		$(hold $SHARED/go6)" &
	prog=$!
	child=$(child_of $prog)
	wait_for grep -q '^[0-9]' "$SHARED/shadow"
	# ...and so could the container's root, were its CapEff the host's.
	[ "$(cat "$SHARED/caps")" = "CapEff:	$full" ]
	[[ "$(cat "$SHARED/shadow")" == *"Permission denied"* ]]
	[ "$(tail -n1 "$SHARED/shadow")" -ne 0 ]
	grep -q "^Uid:	65534	" /proc/$child/status
	touch "$SHARED/go6"
	wait $prog
}

@test "05-user: root can shift the map: 0 inside is 1000 outside, no groups" {
	"$USR" --uid-map 0:1000:1 --gid-map 0:1000:1 -- \
		sh -c "id -u >$SHARED/shifted; $(hold $SHARED/go7)" &
	prog=$!
	child=$(child_of $prog)
	wait_for test -s "$SHARED/shifted"
	[ "$(cat "$SHARED/shifted")" = 0 ]
	grep -q "^Uid:	1000	1000	1000	1000$" /proc/$child/status
	grep -q "^Gid:	1000	1000	1000	1000$" /proc/$child/status
	# Host root's supplementary groups did not follow it in.
	grep -q "^Groups:	 *$" /proc/$child/status
	touch "$SHARED/go7"
	wait $prog
}

@test "05-user: a map the kernel would refuse stops the run before clone" {
	run -125 "${AS_NOBODY[@]}" "$NB_USR" --uid-map 0:0:1 true
	[ "$output" = "05-user: --uid-map 0:0:1: without root you may map only your own uid: use --uid-map 0:65534:1 (more needs root, or newuidmap(1))" ]
	run -125 "$USR" --gid-map 5:0:1 true
	[[ "$output" == "05-user: --gid-map 5:0:1 maps nothing to gid 0"* ]]
	run -125 "$USR" --uid-map 0:1000 true
	[ "${lines[0]}" = "05-user: map '0:1000': expected INSIDE:OUTSIDE:COUNT, e.g. 0:0:1" ]
	[[ "${lines[1]}" == *--help* ]]
	run -125 "$USR" --uid-map 0:4294967295:1 true
	[[ "${lines[0]}" == "05-user: map '0:4294967295:1': COUNT must be"* ]]
}

@test "05-user: a refused map makes no namespace (strace: no clone)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	trace=$BATS_TEST_TMPDIR/trace
	clones() {
		strace -f -qq -e trace=clone,clone3,unshare -o "$trace" "$@"
	}
	# The control: an accepted map, and strace sees the clone it makes.
	run -0 clones "$USR" --uid-map 0:1000:1 --gid-map 0:1000:1 true
	grep -q CLONE_NEWUSER "$trace"
	# Refused ones stop before it: no clone with a new namespace at all.
	run -125 clones "${AS_NOBODY[@]}" "$NB_USR" --uid-map 0:0:1 true
	run -1 grep -q CLONE_NEW "$trace"
	run -125 clones "$USR" --gid-map 5:0:1 true
	run -1 grep -q CLONE_NEW "$trace"
	run -125 clones "$USR" --uid-map 0:1000 true
	run -1 grep -q CLONE_NEW "$trace"
}

@test "05-user: the command's exit status comes back (7, 127), also rootless" {
	run -7 "$USR" sh -c 'exit 7'
	run -7 "${AS_NOBODY[@]}" "$NB_USR" sh -c 'exit 7'
	run -127 "${AS_NOBODY[@]}" "$NB_USR" no-such-command-here
	[[ "$output" == *"05-user: exec no-such-command-here"* ]]
}

@test "05-user: a bad option exits 125 with a usage hint" {
	run -125 "$USR" --no-such-option true
	[ "${lines[0]}" = "05-user: unknown option '--no-such-option'" ]
	[[ "${lines[1]}" == *--help* ]]
}

# Students copy the README's commands literally: each one shown with its
# output must print it (tests/readme; … marks what varies; the blocks an
# ordinary user types run as nobody).
@test "05-user: the README's commands print what it shows" {
	need_root
	"$ROOT/tests/readme" "$ROOT/05-user/README.md"
}

@test "05-user: the Chinese README's commands print what it shows" {
	need_root
	"$ROOT/tests/readme" "$ROOT/05-user/README.zh-CN.md"
	# and they are the English one's: the same blocks (and the same
	# marks before them), line for line.
	diff <(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/05-user/README.md") \
		<(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/05-user/README.zh-CN.md")
}

# The control for the two above: a block marked "as nobody" really runs as
# nobody (and an unmarked one as root), so the rootless blocks prove what
# they claim.
@test "tests/readme: a block marked <!-- as nobody --> runs as nobody" {
	need_root
	"${AS_NOBODY[@]}" test -r "$ROOT" -a -x "$ROOT" ||
		skip "nobody cannot reach $ROOT: tests/readme does not check such blocks"
	md="$BATS_TEST_TMPDIR/nobody.md"
	printf '%s\n' '<!-- as nobody -->' '```console' '$ id -u' '65534' '```' \
		'```console' '$ id -u' '0' '```' >"$md"
	run "$ROOT/tests/readme" "$md"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"block 1: 1 of 1 commands print"* ]]
	# The same block, unmarked, runs as root: it must fail.
	printf '%s\n' '```console' '$ id -u' '65534' '```' >"$md"
	run "$ROOT/tests/readme" "$md"
	[ "$status" -eq 1 ]
	[[ "$output" == *"+0"* ]]
}

@test "05-user: leaves nothing behind on the host" {
	assert_no_leaks
}
