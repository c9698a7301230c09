#!/usr/bin/env bats
# make doctor (tests/doctor): before a workshop, what will work on this
# machine for this user, lesson by lesson, with a fix for each problem. Each
# verdict is checked against a control made here, on this machine, so the
# tests hold on any machine: what doctor says must agree with what the
# kernel does.

load helpers

DOCTOR="$BATS_TEST_DIRNAME/doctor"

# The doctor, as nobody, from a copy nobody can reach.
doctor_as_nobody() {
	local d
	d=$(for_nobody "$ROOT/tests") || return 1
	TMPDIR="$T" "${AS_NOBODY[@]}" TMPDIR="$T" "$d/doctor"
}

# A TMPDIR of the test's own that nobody may write (bats' own temp dirs
# are out of nobody's reach): doctor's temp dirs land there, to be counted.
setup() {
	T="$NOBODY_COPIES/tmp-$BATS_TEST_NUMBER"
	mkdir -p "$T"
	chmod 755 "$NOBODY_COPIES"
	chmod 1777 "$T"
}

@test "doctor: as root, a lesson is ready exactly when its namespaces can be made" {
	need_root
	TMPDIR="$T" run "$DOCTOR"
	echo "$output"
	# The control: the namespaces 06-10 need, made here by unshare.
	if unshare --uts --ipc --pid --mount --net --fork true; then
		[[ "$output" == *"06-net      ready"* ]]
	else
		[[ "$output" == *"06-net      NOT READY"* ]]
	fi
	[[ "$output" == *"01-uts"* && "$output" == *"10-full"* ]]
}

@test "doctor: as nobody, it names root for 01-04 and its userns verdict agrees with the kernel's" {
	need_root
	run doctor_as_nobody
	echo "$output"
	[[ "$output" == *"user        nobody (uid 65534)"* ]]
	for l in 01-uts 02-ipc 03-pid 04-mount; do
		grep -A1 "^$l " <<<"$output" | grep -q 'fix: needs root'
	done
	grep -A1 '^make test ' <<<"$output" | grep -q 'fix: the tests run as root'
	[ "$status" -eq 1 ]
	# The control: can nobody make a user namespace here?
	if "${AS_NOBODY[@]}" unshare --user --map-root-user true; then
		grep -q '^05-user     ready' <<<"$output"
	else
		grep -A1 '^05-user ' <<<"$output" | grep -q 'fix: unprivileged user namespaces are off'
	fi
}

@test "doctor: as root, it names a FORWARD chain that drops (a Docker host's) for 10-full's bridge, and says nothing without one" {
	need_root
	[ -x "$ROOT/10-full/container" ] || skip "10-full is not built (run: make)"
	full_build
	$FULL_CC -O2 -I"$ROOT" -o "$T/drv" "$BATS_TEST_DIRNAME/10-full-port-drv.c" \
		"$ROOT"/10-full/${FULL_OBJ}{nat,nft,masq,ports,proxy}.o \
		"$ROOT"/06-net/${FULL_OBJ}netlink.o -lpthread
	# Each in a network namespace of its own: the machine's firewall is
	# not the test's to change (nor to judge).
	TMPDIR="$T" run unshare -n "$DOCTOR"
	[[ "$output" != *"drops forwarded packets"* ]]
	TMPDIR="$T" run unshare -n sh -c "'$T/drv' forward-drop && '$DOCTOR'"
	echo "$output"
	grep -A1 '^10-full ' <<<"$output" |
		grep -q 'note: --net bridge: ip filter FORWARD drops forwarded packets'
}

@test "doctor: changes nothing (its overlay try leaves no temp dir, no mount)" {
	need_root
	local before after
	# (but /run/netns: other runs' network namespaces, which `ip netns
	# add` binds there while this runs; 04-mount.bats says more)
	before=$(awk '$5 !~ "^/run/netns(/|$)" { print $5 }' /proc/self/mountinfo | sort)
	run doctor_as_nobody
	echo "$output"
	# The control: the overlay try really ran (nobody made its temp
	# dir here) exactly when nobody can mount overlayfs in a userns.
	if "${AS_NOBODY[@]}" unshare --user --map-root-user --mount sh -c \
		"cd $T && mkdir c c/l c/u c/w c/m &&
		mount -t overlay x -o lowerdir=c/l,upperdir=c/u,workdir=c/w c/m"; then
		grep -q '^09-overlay  ready' <<<"$output"
	else
		grep -A3 '^09-overlay ' <<<"$output" | grep -q 'fix: overlayfs'
	fi
	rm -rf "$T/c"
	TMPDIR="$T" run "$DOCTOR"
	after=$(awk '$5 !~ "^/run/netns(/|$)" { print $5 }' /proc/self/mountinfo | sort)
	[ "$before" = "$after" ]
	# Both runs made their temp dirs in our TMPDIR: none is left.
	[ -z "$(ls -A "$T")" ]
}

@test "the top README's commands print what it shows, in English and in Chinese" {
	need_root
	"$ROOT/tests/readme" "$ROOT/README.md"
	"$ROOT/tests/readme" "$ROOT/README.zh-CN.md"
}

@test "the top READMEs link each lesson's README in their own language; every README links its other language" {
	local d l
	for d in "$ROOT"/[0-9][0-9]-*/; do
		l=$(basename "$d")
		echo "$l"
		grep -qF "]($l/README.md)" "$ROOT/README.md"
		grep -qF "]($l/README.zh-CN.md)" "$ROOT/README.zh-CN.md"
		grep -qF '](README.zh-CN.md)' "$d/README.md"
		grep -qF '](README.md)' "$d/README.zh-CN.md"
	done
	grep -qF '](README.zh-CN.md)' "$ROOT/README.md"
	grep -qF '](README.md)' "$ROOT/README.zh-CN.md"
	# No lesson linked by its directory (a Chinese reader would land on
	# the English README), nor in the other language.
	run grep -E '\]\([0-9][0-9]-[a-z]+/(README\.md[^)]*)?\)' "$ROOT/README.zh-CN.md"
	[ "$status" -eq 1 ]
	run grep -E '\]\([0-9][0-9]-[a-z]+/(README\.zh-CN\.md[^)]*)?\)' "$ROOT/README.md"
	[ "$status" -eq 1 ]
}

@test "tests/readme: a README whose output drifted from the program fails the check" {
	# The control for the check above: the same block with one word
	# changed must fail, and … must match what varies.
	printf '%s\n' '```console' '$ echo "pid 123 ok"' 'pid … ok' '```' >"$BATS_TEST_TMPDIR/good.md"
	"$ROOT/tests/readme" "$BATS_TEST_TMPDIR/good.md"
	printf '%s\n' '```console' '$ echo "pid 123 ok"' 'pid … OK' '```' >"$BATS_TEST_TMPDIR/bad.md"
	run "$ROOT/tests/readme" "$BATS_TEST_TMPDIR/bad.md"
	[ "$status" -eq 1 ]
	[[ "$output" == *"+pid 123 ok"* ]]
	# A line of … alone stands for any number of lines, even none.
	printf '%s\n' '```console' '$ seq 5' '1' '…' '5' '$ seq 2' '1' '…' '2' '```' >"$BATS_TEST_TMPDIR/lines.md"
	"$ROOT/tests/readme" "$BATS_TEST_TMPDIR/lines.md"
	# A block marked as not checked is skipped, and says so.
	printf '%s\n' '<!-- not checked: a demo -->' '```console' '$ false' 'nothing' '```' >"$BATS_TEST_TMPDIR/skip.md"
	run "$ROOT/tests/readme" "$BATS_TEST_TMPDIR/skip.md"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not checked"* ]]
}

@test "the leak check sees what this run leaves behind, and nothing of another run's or seat's" {
	# The control for every file's "leaves nothing behind on the host":
	# names as 09-overlay makes them (stale.h), with this run's tag, with
	# another tag, and with none.
	ours=/tmp/lesson-merged-$LESSON_TAG-1-1
	theirs=/tmp/lesson-merged-tother$$-1-1
	untagged=/tmp/lesson-merged-$$-1
	snapshot_host
	mkdir "$theirs" "$untagged"
	assert_no_leaks # another run's, a student's: not ours to judge
	mkdir "$ours"
	run assert_no_leaks
	rmdir "$ours" "$theirs" "$untagged"
	[ "$status" -eq 1 ]
	[[ "$output" == *"+$ours"* ]]
	[[ "$output" != *"$theirs"* && "$output" != *"$untagged"* ]]
}
