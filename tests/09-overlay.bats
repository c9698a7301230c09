#!/usr/bin/env bats
# 09-overlay: the command's root is an overlayfs of read-only layers on the
# rootfs plus one writable upper dir: union, copy-up, whiteouts, opaque
# dirs; the layers never change and nothing stays mounted.

load helpers
load lang
bats_require_minimum_version 1.5.0

OVERLAY="$BATS_TEST_DIRNAME/../09-overlay/overlay"
RFS="$ROOT/build/rootfs"

# Names, types, sizes, modes and mtimes of everything under the dirs given.
tree_state() {
	ls -laR --time-style=+%s.%N "$@" | sha256sum
}

setup_file() {
	[ -f "$RFS/.complete" ] || make -C "$ROOT" rootfs >&2
	snapshot_host
	tree_state "$RFS" >"$BATS_FILE_TMPDIR/rootfs-before"
	# A place nobody can reach (bats' temp dirs are root's). Not a
	# lesson dir: the leak check does not look here.
	SHARED=$(mktemp -d /tmp/bats-09-overlay.XXXXXX)
	chmod 755 "$SHARED"
	export SHARED
}

teardown_file() {
	rm -rf "$SHARED"
	remove_nobody_copies
}

# Three image layers (l1 on top) and an empty upper dir, per test:
#   l1: same="top"     one
#   l2: same="middle"  two            dir/x dir/y
#   l3: same="bottom"  three
setup() {
	need_root
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/l1" "$T/l2/dir" "$T/l3" "$T/up"
	echo top >"$T/l1/same"
	echo middle >"$T/l2/same"
	echo bottom >"$T/l3/same"
	echo one >"$T/l1/one"
	echo two >"$T/l2/two"
	echo three >"$T/l3/three"
	echo x >"$T/l2/dir/x"
	echo y >"$T/l2/dir/y"
	LAYERS="$T/l1:$T/l2:$T/l3"
}

ov() {
	"$OVERLAY" --layers "$LAYERS" --upper "$T/up" "$@"
}

# start_of PID: its start time (field 22 of /proc/PID/stat, counted after
# the name, which may hold spaces). The program names the dirs it makes
# PREFIX-PID-START after itself.
start_of() {
	sed 's/.*) //' /proc/"$1"/stat | cut -d' ' -f20
}

@test "09-overlay: / is the union of every layer and the rootfs" {
	run ov -- sh -c 'cat /one /two /three; ls /bin/sh /etc/passwd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'one\ntwo\nthree\n/bin/sh\n/etc/passwd')" ]
}

@test "09-overlay: for a name in several layers the upper one wins" {
	run ov -- cat /same
	[ "$output" = top ]
	# The upper dir is above every layer: a file already there wins too.
	echo container >"$T/up/same"
	run ov -- cat /same
	[ "$output" = container ]
}

@test "09-overlay: writing a lower file copies it up; the lower file is unchanged" {
	run ov -- sh -c 'echo changed >>/two; cat /two'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'two\nchanged')" ]
	[ "$(cat "$T/l2/two")" = two ]
	[ "$(cat "$T/up/two")" = "$(printf 'two\nchanged')" ]
	# Only what was written is in the upper dir: not, say, /one, nor
	# the /proc and /sys that 04 and 06 mounted on the overlay.
	[ "$(ls -A "$T/up")" = two ]
}

@test "09-overlay: deleting a lower file leaves a whiteout, a 0/0 char device" {
	run ov -- sh -c 'rm /two /etc/group; ls /two /etc/group'
	[[ "$output" == *"'/two': No such file"* ]]
	[[ "$output" == *"'/etc/group': No such file"* ]]
	[ "$(stat -c '%F %t:%T' "$T/up/two")" = "character special file 0:0" ]
	[ "$(stat -c '%F %t:%T' "$T/up/etc/group")" = "character special file 0:0" ]
	# The layers still have them.
	[ -f "$T/l2/two" ]
	[ -f "$RFS/etc/group" ]
	# And the next container on this upper dir does not see them either.
	run ov -- ls /two
	[ "$status" -ne 0 ]
}

@test "09-overlay: a deleted-then-recreated dir is opaque: nothing below shows through" {
	run ov -- sh -c 'rm -r /dir && mkdir /dir && echo new >/dir/new && ls /dir'
	[ "$output" = new ]
	[ -d "$T/up/dir" ]
	# trusted.overlay.opaque = "y": read it where a reader is installed...
	if command -v getfattr >/dev/null; then
		[ "$(getfattr --only-values -n trusted.overlay.opaque "$T/up/dir")" = y ]
	elif command -v python3 >/dev/null; then
		[ "$(python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' "$T/up/dir")" = y ]
	fi
	# ...and see what it does: x and y of l2 stay hidden on the next run,
	# while l2 still has them.
	run ov -- ls /dir
	[ "$output" = new ]
	[ -f "$T/l2/dir/x" ]
}

@test "09-overlay: --diff lists the changes as A/C/D after the command exits" {
	run ov --diff -- sh -c 'echo changed >>/two; rm /one; echo hi >/added;
		rm -r /dir; mkdir /dir; echo new >/dir/new; echo last-line-of-the-command'
	[ "$status" -eq 0 ]
	expected="last-line-of-the-command
A /added
C /dir
D /dir/x
D /dir/y
A /dir/new
D /one
C /two"
	[ "$output" = "$expected" ]
}

@test "09-overlay: the root is an overlay in the container's namespace only" {
	"$OVERLAY" --layers "$LAYERS" --upper "$T/up" -- sleep 1000 &
	prog=$!
	child=$(child_of $prog)
	own=$prog-$(start_of $prog)
	# The container's "/" is the overlay of our layers...
	wait_for grep -q " / / .* - overlay overlay .*lowerdir=$T/l1:$T/l2:$T/l3:" /proc/$child/mountinfo
	# (the work dir is the last option on Linux 6.1; later kernels add more)
	grep -Eq "upperdir=$T/up,workdir=$T/up\.work-$LESSON_TAG-$own(,| |\$)" /proc/$child/mountinfo
	# ...the host has no overlay mount, and the mount point is empty.
	run ! grep -q ' - overlay ' /proc/self/mountinfo
	[ -d /tmp/lesson-merged-$LESSON_TAG-$own ]
	[ -z "$(ls -A /tmp/lesson-merged-$LESSON_TAG-$own)" ]
	kill -KILL $child
	wait $prog || true
	# After: the work dir and the mount point are gone.
	[ ! -e "$T/up.work-$LESSON_TAG-$own" ]
	[ ! -e /tmp/lesson-merged-$LESSON_TAG-$own ]
}

@test "09-overlay: the rootfs is found from any working directory" {
	cd /
	run "$OVERLAY" --upper "$T/up" -- ls /bin/chroot-escape
	[ "$status" -eq 0 ]
	# Another rootfs: l3, with a /proc for 04-mount, and no shell.
	mkdir "$T/l3/proc"
	run -127 "$OVERLAY" --rootfs "$T/l3" --upper "$T/up" -- sh -c true
}

@test "09-overlay: rootless (as nobody): the overlay is the root, with its own /proc, and the escape fails" {
	# The program and the rootfs, where nobody can reach them.
	overlay=$(for_nobody "$OVERLAY") && rfs=$(for_nobody "$RFS")
	S=$SHARED
	cp -r "$T/l1" "$T/l2" "$T/l3" "$S"/
	# The upper dir, and next to it the work dir the program makes:
	# nobody's. (Overlayfs in a user namespace needs Linux 5.11.)
	mkdir -p "$S/own/up"
	chown -R 65534:65534 "$S/own"
	echo "host-secret-$$" >"$S/marker"
	chmod 644 "$S/marker"
	# The control: nobody can read the marker on the host.
	[ "$("${AS_NOBODY[@]}" cat "$S/marker")" = "host-secret-$$" ]
	# /proc is mounted inside the overlay before the pivot: after it,
	# a user namespace may not mount one (it was refused, 125).
	run -1 "${AS_NOBODY[@]}" "$overlay" --rootfs "$rfs" --layers "$S/l1:$S/l2:$S/l3" \
		--upper "$S/own/up" -- sh -c 'echo $$; cat /proc/1/comm
			ps -e -o pid=,comm=; cat /same /two
			echo new >/new; rm /one
			chroot-escape cat '"$S/marker"
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = sh ]
	# Only the container's processes: the shell and ps.
	[ "$(echo ${lines[2]})" = "1 sh" ]
	[ "$(echo ${lines[3]} | cut -d' ' -f2)" = ps ]
	[ "${lines[4]}" = top ]
	[ "${lines[5]}" = two ]
	[[ "${lines[6]}" == *"climbed 0 levels"* ]]
	[[ "${lines[7]}" == *"No such file or directory"* ]]
	[ "${#lines[@]}" -eq 8 ]
	# From the host: the changes are nobody's, in the upper dir only.
	[ "$(stat -c '%u %F' "$S/own/up/new")" = "65534 regular file" ]
	[ "$(stat -c '%F %t:%T' "$S/own/up/one")" = "character special file 0:0" ]
	[ "$(cat "$S/l1/one")" = one ]
	# The work dir (overlayfs's work/work is mode 000) is gone too.
	[ "$(ls "$S/own")" = up ]
}

@test "09-overlay: the command's exit status comes back (7, 127)" {
	run ov -- sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 ov -- bash -c true
	[[ "$output" == *"09-overlay: exec bash"* ]]
}

@test "09-overlay: bad layers or upper dir: 125, one clear line, nothing made" {
	run -125 "$OVERLAY" --layers "$T/l1:$T/missing" --upper "$T/up" true
	[ "$output" = "09-overlay: layer '$T/missing': No such file or directory" ]
	run -125 "$OVERLAY" --layers "$T/l1" true
	[[ "$output" == "09-overlay: --upper DIR is missing"* ]]
	run -125 "$OVERLAY" --upper "$T/no-upper" true
	[ "$output" = "09-overlay: upper '$T/no-upper': No such file or directory" ]
	# Filesystems overlayfs cannot write its upper layer to.
	run -125 "$OVERLAY" --upper /proc/sys true
	[[ "$output" == "09-overlay: upper '/proc/sys' is on proc, which overlayfs cannot"* ]]
	run -125 "$OVERLAY" --upper /sys/kernel true
	[[ "$output" == "09-overlay: upper '/sys/kernel' is on sysfs,"* ]]
	# An upper dir inside a layer would change the layer.
	mkdir "$T/l1/inner"
	run -125 "$OVERLAY" --layers "$T/l1" --upper "$T/l1/inner" true
	[ "$output" = "09-overlay: upper '$T/l1/inner' and layer '$T/l1' overlap: give them separate directories" ]
	run -125 "$OVERLAY" --rootfs "$T/one" --upper "$T/up" true
	[[ "$output" == "09-overlay: ROOTFS '$T/one': No such file"* ]]
	run -125 "$OVERLAY" --no-such-option
	[ "${lines[0]}" = "09-overlay: unknown option '--no-such-option'" ]
	[[ "$output" == *"--help"* ]]
	# Nothing was made: no work dir next to upper, no mount point.
	[ -z "$(ls -d "$T"/*.work-* 2>/dev/null)" ] # (the last test checks /tmp)
}

@test "09-overlay: rootless, an upper dir whose parent is not the user's: 125, one line saying the work dir goes next to it" {
	overlay=$(for_nobody "$OVERLAY") && rfs=$(for_nobody "$RFS")
	# nobody's upper dir, in a directory of root's (mode 755).
	mkdir -p "$SHARED/roots/up"
	chown 65534:65534 "$SHARED/roots/up"
	run -125 "${AS_NOBODY[@]}" "$overlay" --rootfs "$rfs" --upper "$SHARED/roots/up" -- true
	[[ "$output" == "09-overlay: mkdir $SHARED/roots/up.work-"*": permission denied: the work dir goes next to --upper, on its filesystem, so the directory that holds --upper must be writable by you" ]]
	[ "$(ls -A "$SHARED/roots")" = up ]
}

@test "09-overlay: an upper dir inside another overlay: 125, named" {
	# The other overlay lives in a throwaway mount namespace of unshare's.
	mkdir -p "$T/o/lower" "$T/o/upper" "$T/o/work" "$T/o/merged"
	run -125 unshare -m --propagation private sh -c "
		mount -t overlay overlay -o lowerdir=$T/o/lower,upperdir=$T/o/upper,workdir=$T/o/work $T/o/merged &&
		mkdir $T/o/merged/up && exec '$OVERLAY' --upper $T/o/merged/up true"
	[ "$output" = "09-overlay: upper '$T/o/merged/up' is on overlay, which overlayfs cannot write to: use a directory on ext4, xfs, btrfs or tmpfs" ]
	[ -d "$T/o/upper/up" ] # the mkdir above did go through that overlay
}

@test "09-overlay: a failure after the work dir was made removes it" {
	# exec keeps the PID and the start time: the mount point the program
	# wants is taken (by a live owner, itself: the sweep leaves it).
	run -125 sh -c 'mkdir /tmp/lesson-merged-$LESSON_TAG-$$-$(sed "s/.*) //" /proc/$$/stat | cut -d" " -f20) &&
		exec "$0" --upper "$1" true' "$OVERLAY" "$T/up"
	taken=$(grep -o "/tmp/lesson-merged-$LESSON_TAG-[0-9]*-[0-9]*" <<<"$output")
	rmdir "$taken"
	[[ "$output" == "09-overlay: mkdir $taken: File exists" ]]
	[ -z "$(ls -d "$T"/up.work-* 2>/dev/null)" ]
}

@test "09-overlay: too many layers: 125 before anything is made" {
	mkdir "$T/many"
	cd "$T/many"
	for i in $(seq 500); do mkdir "$i"; done
	# 500 lower dirs plus the rootfs: more than overlayfs stacks.
	run -125 "$OVERLAY" --layers "$(seq -s: 500)" --upper "$T/up" true
	[[ "$output" == "09-overlay: too many layers: 500; overlayfs stacks at most 500"* ]]
	# Fewer, but with long names: more than mount(2) takes as options.
	long=$T/many/$(printf 'x%.0s' $(seq 200))
	mkdir "$long"
	run -125 "$OVERLAY" --layers "$(for i in $(seq 30); do printf '%s:' "$long"; done)" --upper "$T/up" true
	[[ "$output" == "09-overlay: too many layers or too long paths"* ]]
	[ -z "$(ls -d "$T"/*.work-* 2>/dev/null)" ] # (the last test checks /tmp)
}

@test "09-overlay: --help lists --layers, --upper, --diff" {
	run "$OVERLAY" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--layers* && "$output" == *--upper* && "$output" == *--diff* ]]
}

@test "09-overlay: the rootfs is unchanged by every run above" {
	tree_state "$RFS" >"$BATS_FILE_TMPDIR/rootfs-after"
	cmp "$BATS_FILE_TMPDIR/rootfs-before" "$BATS_FILE_TMPDIR/rootfs-after"
}

@test "09-overlay: leaves nothing behind on the host" {
	assert_no_leaks
}

# plant PREFIX DEAD LIVE DIR...: in each DIR, leftovers the sweep must
# leave alone: another user's (dead owner), a live owner's, one of a run
# with another LESSON_TAG (ours with each digit moved on by one, which no
# run has; dead owner, ours). Not one without a tag: any untagged run on
# the machine (a student's, another checkout's README check) rightly
# sweeps that. Listed in planted, removed by teardown if a check fails.
plant() {
	local prefix=$1 dead=$2 live=$3 d other
	other=$(tr 0-9 1-90 <<<"$LESSON_TAG") # as long as ours: read as one
	shift 3
	for d; do
		mkdir "$d/$prefix-$dead-1" "$d/$prefix-$live-$(start_of $live)" \
			"$d/${prefix%-$LESSON_TAG}-$other-$dead-1"
		chown 65534 "$d/$prefix-$dead-1"
		printf '%s\n' "$d/$prefix-$dead-1" "$d/$prefix-$live-$(start_of $live)" \
			"$d/${prefix%-$LESSON_TAG}-$other-$dead-1" >>"$BATS_TEST_TMPDIR/planted"
	done
}

teardown() {
	kill_spawned
	if [ -f "$BATS_TEST_TMPDIR/planted" ]; then
		xargs -r rmdir <"$BATS_TEST_TMPDIR/planted" 2>/dev/null || true
	fi
}

@test "09-overlay: kill -9 while the command runs: the next run removes its mount point, work dir and cgroups, and only those" {
	go=$BATS_TEST_TMPDIR/go
	"$OVERLAY" --layers "$LAYERS" --upper "$T/up" -- sleep 600 &
	prog=$!
	child=$(child_of $prog)
	wait_for grep -q " / / .* - overlay " /proc/$child/mountinfo
	own=$prog-$(start_of $prog)
	kill -KILL $prog
	wait $prog || true
	# Its child dies with it (the parent-death signal), but not always at
	# once: one that had not exec'd the command yet still held the upper
	# dir's lock when the next run came (seen under load: 125, "in use").
	wait_for test ! -e /proc/$child
	# What SIGKILL left: no code ran after it.
	[ -d /tmp/lesson-merged-$LESSON_TAG-$own ]
	[ -d "$T/up.work-$LESSON_TAG-$own" ]
	cgroups=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "lesson-09-overlay-$LESSON_TAG-$own" 2>/dev/null)
	echo "# kill -9 left the mount point, the work dir, $(echo "$cgroups" | grep -c .) cgroup dirs" >&3
	# Beside them, what is not ours: another user's mount point and work
	# dir (dead owner), a live run's.
	sh -c "while [ ! -e $go ]; do sleep 0.05; done" &
	live=$!
	plant lesson-merged-$LESSON_TAG $prog $live /tmp
	plant up.work-$LESSON_TAG $prog $live "$T"
	# The next run on the same upper dir removes what was left.
	run -0 ov true
	[[ "$output" == *"09-overlay: removed /tmp/lesson-merged-$LESSON_TAG-$own, left by PID $prog (killed)"* ]]
	[[ "$output" == *"09-overlay: removed $T/up.work-$LESSON_TAG-$own, left by PID $prog (killed)"* ]]
	[ ! -e /tmp/lesson-merged-$LESSON_TAG-$own ]
	[ ! -e "$T/up.work-$LESSON_TAG-$own" ]
	for d in $cgroups; do [ ! -e "$d" ]; done
	while read -r d; do [ -d "$d" ]; done <"$BATS_TEST_TMPDIR/planted"
	[ "$(grep -c removed <<<"$output")" -eq $((2 + $(echo "$cgroups" | grep -c .))) ]
	xargs rmdir <"$BATS_TEST_TMPDIR/planted"
	rm "$BATS_TEST_TMPDIR/planted"
	touch "$go"
	wait $live
}

@test "09-overlay: two runs on one upper dir: the second exits 125 naming the first; kill -9 of the first frees it" {
	"$OVERLAY" --layers "$LAYERS" --upper "$T/up" -- sleep 600 &
	first=$!
	child=$(child_of $first)
	wait_for grep -q " / / .* - overlay " /proc/$child/mountinfo
	"$OVERLAY" --layers "$LAYERS" --upper "$T/up" true 2>"$BATS_TEST_TMPDIR/err" &
	second=$!
	rc=0
	wait $second || rc=$?
	[ "$rc" -eq 125 ]
	grep -qF "09-overlay: upper '$T/up' is in use by another run (PID $first)" "$BATS_TEST_TMPDIR/err"
	# Refused before it made anything.
	[ -z "$(ls -d "$T"/up.work-$LESSON_TAG-$second-* /tmp/lesson-merged-$LESSON_TAG-$second-* 2>/dev/null)" ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -name "lesson-09-overlay-$LESSON_TAG-$second-*")" ]
	# Another upper dir is no conflict.
	mkdir "$T/up2"
	run -0 "$OVERLAY" --layers "$LAYERS" --upper "$T/up2" true
	# The lock dies with its holder, however it dies.
	kill -KILL $first
	wait $first || true
	run -0 ov true
}

@test "09-overlay: a layer given twice, or an upper that is a layer under another name (a bind mount), is refused before clone" {
	need_strace
	d=$BATS_TEST_TMPDIR
	mkdir -p "$d/a/sub" "$d/up" "$d/bind"
	unshare -m sh -c '
		mount --bind "$1/a" "$1/bind" || exit 9
		for args in "--layers $1/a:$1/a --upper $1/up" \
			"--layers $1/bind:$1/a --upper $1/up" \
			"--layers $1/a --upper $1/bind" \
			"--layers $1/a --upper $1/bind/sub"; do
			strace -f -qq -e trace=clone,clone3 -o "$1/trace" "$2" $args -- true
			echo "rc=$? $(grep -c clone "$1/trace")"
		done' sh "$d" "$OVERLAY" >"$d/out" 2>&1 || true
	cat "$d/out"
	[ "$(grep -c '^rc=125 0$' "$d/out")" -eq 4 ]
	[ "$(grep -c 'is given twice' "$d/out")" -eq 2 ]
	[ "$(grep -c 'overlap: give them separate directories' "$d/out")" -eq 2 ]
}

@test "09-overlay: a 2>/dev/null inside writes to the null device, not into the upper dir (08's /dev)" {
	run -0 ov --diff sh -c 'echo one >/dev/null; ls /no-such 2>/dev/null
		stat -c "%F %t,%T" /dev/null'
	# No "C /dev", no "A /dev/null": the diff is empty, and so is UPPER.
	[ "$output" = "character special file 1,3" ]
	[ -z "$(ls -A "$T/up")" ]
}

# The README's commands, run as a student would type them (tests/readme),
# in English and in Chinese, with a TMPDIR of the test's own that nobody
# may write to (its rootless block makes nobody's upper dir with mktemp):
# every dir they make with mktemp must be gone afterwards.
readme_check() {
	local t="$NOBODY_COPIES/tmp-$BATS_TEST_NUMBER"
	mkdir -p "$t"
	chmod 755 "$NOBODY_COPIES"
	chmod 1777 "$t"
	TMPDIR="$t" "$ROOT/tests/readme" "$1"
	[ -z "$(ls -A "$t")" ]
}

@test "09-overlay: the README's commands print what it shows (tests/readme)" {
	readme_check "$ROOT/09-overlay/README.md"
}

@test "09-overlay: the Chinese README's commands print what it shows, and its code is the English one's" {
	readme_check "$ROOT/09-overlay/README.zh-CN.md"
	same_blocks "$ROOT/09-overlay/README.md" "$ROOT/09-overlay/README.zh-CN.md"
}
