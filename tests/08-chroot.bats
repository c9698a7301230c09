#!/usr/bin/env bats
# 08-chroot: ROOTFS becomes the command's "/". chroot(2) can be escaped by
# a root process; pivot_root(2) with the old root detached cannot.
# The tests only read build/rootfs: 10-full checks it byte for byte.

load helpers
load lang
bats_require_minimum_version 1.5.0

CHROOT="$BATS_TEST_DIRNAME/../08-chroot/chroot"
RFS="$ROOT/build/rootfs"

# Everything that could change in the rootfs: names, sizes, modes, mtimes
# (a mkdir + rmdir inside changes the mtime of its directory).
rootfs_state() {
	find "$RFS" -printf '%P %y %s %m %T@\n' | sort | sha256sum
}

setup_file() {
	[ -f "$RFS/.complete" ] || make -C "$ROOT" rootfs >&2
	snapshot_host
	rootfs_state >"$BATS_FILE_TMPDIR/rootfs-before"
	# A file only the host has; its content proves where a read came from.
	echo "host-secret-$$" >"$BATS_FILE_TMPDIR/marker"
	# The same, where nobody may read it too (bats' temp dirs are
	# root's). Not a lesson dir: the leak check does not look here.
	SHARED=$(mktemp -d /tmp/bats-08-chroot.XXXXXX)
	chmod 755 "$SHARED"
	cp "$BATS_FILE_TMPDIR/marker" "$SHARED/marker"
	chmod 644 "$SHARED/marker"
	export SHARED
}

teardown_file() {
	rm -rf "$SHARED"
	remove_nobody_copies
}

# For wait_for: checked again on every try.
root_is() {
	[ "$(readlink /proc/"$1"/root)" = "$2" ]
}

# True once the command (sleep) has replaced the program in process $1.
runs_sleep() {
	[ "$(cat /proc/"$1"/comm 2>/dev/null)" = sleep ]
}

# The root directory that a process entering the mount namespace of $1
# lands in (setns(2) puts it at the namespace's root mount), listed.
ns_root_is() {
	[ "$(nsenter --mount=/proc/"$1"/ns/mnt ls -A /)" = "$2" ]
}

setup() {
	need_root
	MARKER="$BATS_FILE_TMPDIR/marker"
	SECRET=$(cat "$MARKER")
}

@test "08-chroot: make rootfs gives the commands the lessons run, libraries included" {
	for c in sh ls cat echo ps mount umount hostname id ip ipcs sleep kill \
		mkdir rm touch stat env grep head tail wc tr readlink ln chmod dd \
		timeout true false uname mknod unshare swapoff ipcmk ping nproc seq \
		mv cp stty od chroot-escape; do
		[ -x "$RFS/bin/$c" ] || [ -x "$RFS/sbin/$c" ] || {
			echo "missing in the rootfs: $c"
			return 1
		}
	done
	for d in proc sys dev tmp etc root mnt; do [ -d "$RFS/$d" ]; done
	grep -q '^root:x:0:0:' "$RFS/etc/passwd"
	grep -q '^root:x:0:' "$RFS/etc/group"
	# The loader of the rootfs finds every library of every dynamic
	# program inside the rootfs (it prints "not found" otherwise).
	run "$CHROOT" "$RFS" sh -c '
		for p in /usr/bin/* /usr/sbin/*; do
			[ "$p" = /usr/bin/chroot-escape ] && continue
			/lib64/ld-linux-x86-64.so.2 --list "$p" || echo "FAIL $p"
		done'
	[ "$status" -eq 0 ]
	[[ "$output" != *"not found"* ]]
	[[ "$output" != *FAIL* ]]
	run "$CHROOT" "$RFS" id
	[ "$output" = "uid=0(root) gid=0(root) groups=0(root)" ]
}

@test "08-chroot: ROOTFS_TAR builds the rootfs from a tarball instead" {
	# A file only the tarball has: it proves where the rootfs came from.
	mkdir "$BATS_TEST_TMPDIR/extra"
	echo "from-the-tarball-$$" >"$BATS_TEST_TMPDIR/extra/tar-only"
	tar -czf "$BATS_TEST_TMPDIR/image.tar.gz" -C "$RFS" ./usr ./bin ./lib ./lib64 ./etc \
		-C "$BATS_TEST_TMPDIR/extra" ./tar-only
	ROOTFS_TAR="$BATS_TEST_TMPDIR/image.tar.gz" \
		"$ROOT/08-chroot/mkrootfs.sh" "$BATS_TEST_TMPDIR/from-tar"
	[ -f "$BATS_TEST_TMPDIR/from-tar/.complete" ]
	# The tarball had no /proc, /tmp...: the script adds them.
	for d in proc sys dev tmp; do [ -d "$BATS_TEST_TMPDIR/from-tar/$d" ]; done
	run "$CHROOT" "$BATS_TEST_TMPDIR/from-tar" sh -c 'ls /bin/chroot-escape && cat /tar-only'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/bin/chroot-escape\nfrom-the-tarball-%s' $$)" ]
}

@test "08-chroot: ls / lists the rootfs and a host file is unreachable (both modes)" {
	expected=$(ls -A "$RFS")
	for mode in "" --pivot; do
		run "$CHROOT" $mode "$RFS" ls -A /
		[ "$status" -eq 0 ]
		[ "$output" = "$expected" ]
		run -1 "$CHROOT" $mode "$RFS" cat "$MARKER"
		[[ "$output" == *"No such file or directory"* ]]
		[[ "$output" != *"$SECRET"* ]]
	done
	# The control: without the lesson the same cat reads it.
	[ "$(cat "$MARKER")" = "$SECRET" ]
}

@test "08-chroot: the command cannot tell: its root is \"/\", and /.. is /" {
	for mode in "" --pivot; do
		run "$CHROOT" $mode "$RFS" sh -c \
			'readlink /proc/self/root; cd /..; pwd; stat -c %d:%i / /..
			ls -A /'
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = / ]
		[ "${lines[1]}" = / ]
		[ "${lines[2]}" = "${lines[3]}" ] # "/" and "/.." are one inode
		# ...and yet that "/" is the rootfs, not the host's.
		[ "$(printf '%s\n' "${lines[@]:4}")" = "$(ls -A "$RFS")" ]
	done
}

@test "08-chroot: the host sees the chroot: /proc/PID/root is ROOTFS" {
	"$CHROOT" "$RFS" sleep 3 &
	prog=$!
	child=$(child_of $prog)
	want=$(realpath "$RFS")
	wait_for root_is $child "$want"
	# The program itself keeps the host's root.
	[ "$(readlink /proc/$prog/root)" = / ]
	kill -KILL $child # PID 1 of its namespace: only KILL gets through
	wait $prog || true
}

@test "08-chroot: chroot mode: the classic escape reaches the host's file" {
	run "$CHROOT" "$RFS" chroot-escape cat "$MARKER"
	[ "$status" -eq 0 ]
	[[ "$output" == *"climbed"*"levels above the root"* ]]
	[[ "$output" == *"$SECRET"* ]]
}

@test "08-chroot: --pivot: the same escape stays in the rootfs" {
	run "$CHROOT" --pivot "$RFS" chroot-escape cat "$MARKER"
	[ "$status" -eq 1 ] # cat's own status: no such file
	[[ "$output" == *"climbed 0 levels"* ]]
	[[ "$output" == *"No such file or directory"* ]]
	[[ "$output" != *"$SECRET"* ]]
}

@test "08-chroot: --pivot: the host's root is gone from the container's mount namespace" {
	# Mount points only the host has (the container mounts /proc, and
	# later lessons /sys and /dev, itself).
	host_only=$(awk '$5 !~ "^/(proc|sys|dev)?$" { print $5 }' /proc/self/mountinfo)
	[ -n "$host_only" ]
	# And one of the test's own, which stays while it runs: other host
	# mounts may go meanwhile (other tests, other users), so only this
	# one must be seen inside after chroot(2). It is made in a mount
	# namespace of the test's own, a copy of the host's (a mount on the
	# host would show in other tests' checks of the host's mounts), and
	# goes with it.
	mkdir "$BATS_TEST_TMPDIR/own"
	for mode in "" --pivot; do
		unshare -m --propagation private -- sh -c \
			'mount -t tmpfs lesson-own "$0" && exec "$@"' \
			"$BATS_TEST_TMPDIR/own" "$CHROOT" $mode "$RFS" sleep 3 &
		prog=$!
		# (sh's child, until it execs the program, is the mount)
		wait_for eval '[ "$(cat /proc/$prog/comm 2>/dev/null)" = chroot ]'
		child=$(child_of $prog)
		wait_for runs_sleep $child
		# Its whole mount table, from inside its namespaces.
		inside=$(nsenter -t $child -m -p cat /proc/self/mountinfo | awk '{ print $5 }')
		kill -KILL $child
		wait $prog || true
		# The table was read (an empty one would prove nothing below).
		grep -qx /proc <<<"$inside"
		if [ -z "$mode" ]; then
			# chroot(2): the host's mounts are still there.
			grep -qx "$BATS_TEST_TMPDIR/own" <<<"$inside"
			continue
		fi
		for m in $host_only "$BATS_TEST_TMPDIR/own"; do
			if grep -qx "$m" <<<"$inside"; then
				echo "after --pivot, host mount $m is in the container"
				return 1
			fi
		done
	done
}

@test "08-chroot: --pivot: the namespace's root mount is the rootfs" {
	# nsenter --mount lands at the root mount of that namespace. After
	# chroot(2) it is still the host's "/"; after --pivot it is ROOTFS.
	"$CHROOT" --pivot "$RFS" sleep 3 &
	prog=$!
	child=$(child_of $prog)
	wait_for ns_root_is $child "$(ls -A "$RFS")"
	kill -KILL $child
	wait $prog || true
}

@test "08-chroot: rootless (nobody, or root with --userns): --pivot gets its own /proc, and the escape still fails" {
	# The program and the rootfs, where nobody can reach them.
	chroot=$(for_nobody "$CHROOT") && rfs=$(for_nobody "$RFS")
	# The control: nobody can read the marker on the host.
	[ "$("${AS_NOBODY[@]}" cat "$SHARED/marker")" = "$SECRET" ]
	for who in nobody userns; do
		if [ $who = nobody ]; then
			prog=("${AS_NOBODY[@]}" "$chroot")
		else
			prog=("$chroot" --userns)
		fi
		# The kernel mounts a proc in a user namespace only while the
		# host's is in sight: 04 mounts it inside ROOTFS before the
		# pivot detaches the host's (it was refused, 125, when the
		# mount came after).
		run "${prog[@]}" --pivot "$rfs" sh -c \
			'echo $$; cat /proc/1/comm; ps -e -o pid=,comm=; id -u'
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = 1 ]
		[ "${lines[1]}" = sh ]
		# Only the container's processes: the shell and ps.
		[ "$(echo ${lines[2]})" = "1 sh" ]
		[ "$(echo ${lines[3]} | cut -d' ' -f2)" = ps ]
		[ "${lines[4]}" = 0 ]
		[ "${#lines[@]}" -eq 5 ]
		# Root in its user namespace may chroot(2): after plain chroot
		# the escape works rootless too...
		run "${prog[@]}" "$rfs" chroot-escape cat "$SHARED/marker"
		[ "$status" -eq 0 ]
		[[ "$output" == *"$SECRET"* ]]
		# ...and after --pivot it stays in the rootfs.
		run -1 "${prog[@]}" --pivot "$rfs" chroot-escape cat "$SHARED/marker"
		[[ "$output" == *"climbed 0 levels"* ]]
		[[ "$output" == *"No such file or directory"* ]]
		[[ "$output" != *"$SECRET"* ]]
	done
}

@test "08-chroot: the command's exit status comes back (7; 127 when not in the rootfs)" {
	run "$CHROOT" "$RFS" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	# bash is on the host but not in the rootfs.
	command -v bash
	for mode in "" --pivot; do
		run -127 "$CHROOT" $mode "$RFS" bash -c true
		[[ "$output" == *"08-chroot: exec bash"* ]]
	done
}

@test "08-chroot: bad ROOTFS or option: exit 125 with one clear line" {
	run -125 "$CHROOT" /no/such/rootfs true
	[ "$output" = "08-chroot: ROOTFS '/no/such/rootfs': No such file or directory (build one with \`make rootfs\`)" ]
	run -125 "$CHROOT" "$MARKER" true
	[[ "${lines[0]}" == "08-chroot: ROOTFS '$MARKER' is not a directory"* ]]
	run -125 "$CHROOT"
	[[ "${lines[0]}" == "08-chroot: missing ROOTFS"* ]]
	run -125 "$CHROOT" --no-such-option "$RFS" true
	[ "${lines[0]}" = "08-chroot: unknown option '--no-such-option'" ]
	[[ "$output" == *"--help"* ]]
}

@test "08-chroot: --help names ROOTFS and --pivot" {
	run "$CHROOT" --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == Usage:*ROOTFS* ]]
	[[ "$output" == *--pivot* ]]
}

@test "08-chroot: the rootfs is unchanged by every run above" {
	rootfs_state >"$BATS_FILE_TMPDIR/rootfs-after"
	cmp "$BATS_FILE_TMPDIR/rootfs-before" "$BATS_FILE_TMPDIR/rootfs-after"
}

@test "08-chroot: leaves nothing behind on the host" {
	assert_no_leaks
}

# start_of PID: its start time, field 22 of /proc/PID/stat (counted after
# the name, which may hold spaces): the START in lesson-PROGRAM-PID-START.
start_of() {
	sed 's/.*) //' /proc/"$1"/stat | cut -d' ' -f20
}

# plant PREFIX DEAD LIVE DIR...: in each DIR, leftovers the sweep must
# leave alone: another user's (dead owner), a live owner's, another
# program's, one of a run with another LESSON_TAG (ours with each digit
# moved on by one, which no run has; dead owner, ours). Not one without
# a tag: any untagged run on the machine (a student's, another
# checkout's README check) rightly sweeps that. Listed in planted,
# removed by teardown if a check fails.
plant() {
	local prefix=$1 dead=$2 live=$3 d other
	other=$(tr 0-9 1-90 <<<"$LESSON_TAG") # as long as ours: read as one
	shift 3
	for d; do
		mkdir "$d/$prefix-$dead-1" "$d/$prefix-$live-$(start_of $live)" \
			"$d/lesson-other-program-$dead-1" "$d/${prefix%-$LESSON_TAG}-$other-$dead-1"
		chown 65534 "$d/$prefix-$dead-1"
		printf '%s\n' "$d/$prefix-$dead-1" "$d/$prefix-$live-$(start_of $live)" \
			"$d/lesson-other-program-$dead-1" "$d/${prefix%-$LESSON_TAG}-$other-$dead-1" \
			>>"$BATS_TEST_TMPDIR/planted"
	done
}

teardown() {
	kill_spawned
	if [ -f "$BATS_TEST_TMPDIR/planted" ]; then
		xargs -r rmdir <"$BATS_TEST_TMPDIR/planted" 2>/dev/null || true
	fi
}

@test "08-chroot: kill -9 while the command runs: the next run removes the cgroups left, and only those" {
	[ -n "$(find /sys/fs/cgroup -maxdepth 1 -type d)" ] || skip "no cgroups on this host"
	go=$BATS_TEST_TMPDIR/go
	"$CHROOT" --pivot "$RFS" sleep 600 &
	prog=$!
	child=$(child_of $prog)
	wait_for runs_sleep $child
	kill -KILL $prog
	wait $prog || true
	left=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "lesson-08-chroot-$LESSON_TAG-$prog-*")
	[ -n "$left" ]
	echo "# kill -9 left $(echo "$left" | wc -l) cgroup dirs" >&3
	sh -c "while [ ! -e $go ]; do sleep 0.05; done" &
	live=$!
	plant lesson-08-chroot-$LESSON_TAG $prog $live $(echo "$left" | xargs -n1 dirname)
	run -0 "$CHROOT" "$RFS" true
	for d in $left; do
		[[ "$output" == *"08-chroot: removed cgroup $d, left by PID $prog (killed)"* ]]
		[ ! -e "$d" ]
	done
	wait_for test ! -e /proc/$child # the container died with it
	while read -r d; do [ -d "$d" ]; done <"$BATS_TEST_TMPDIR/planted"
	[ "$(grep -c removed <<<"$output")" -eq "$(echo "$left" | wc -l)" ]
	xargs rmdir <"$BATS_TEST_TMPDIR/planted"
	rm "$BATS_TEST_TMPDIR/planted"
	touch "$go"
	wait $live
}

@test "08-chroot: ROOTFS -- command runs the command, as the usage line shows" {
	run -0 "$CHROOT" "$RFS" -- echo hi
	[ "$output" = hi ]
}

@test "08-chroot: --pivot / and an empty ROOTFS are refused before clone (strace)" {
	need_strace
	mkdir "$BATS_TEST_TMPDIR/empty"
	for args in "--pivot / true" "$BATS_TEST_TMPDIR/empty true"; do
		run -125 strace -f -qq -e trace=clone,clone3 -o "$BATS_TEST_TMPDIR/trace" \
			"$CHROOT" $args
		echo "$args: $output"
		[[ "$output" == *"08-chroot: "*"ROOTFS '"*"'"* ]]
		run grep clone "$BATS_TEST_TMPDIR/trace"
		[ "$status" -eq 1 ]
	done
	# The control: a good run's trace has the clone.
	strace -f -qq -e trace=clone,clone3 -o "$BATS_TEST_TMPDIR/trace" "$CHROOT" --pivot "$RFS" true
	grep -q clone "$BATS_TEST_TMPDIR/trace"
}

# dev_check RFS PROGRAM...: PROGRAM RFS writes to its /dev/null as a
# command's ">/dev/null" and "2>/dev/null" do, and lists its /dev; the
# rootfs's own /dev stays empty. (Before dev.c, the first write made a
# regular file ROOTFS/dev/null, shared by every later run.)
dev_check() {
	local r=$1
	shift
	run "$@" "$r" sh -c 'echo one >/dev/null; ls /no-such 2>/dev/null
		echo /dev/*; stat -c "%F %t,%T" /dev/null; wc -c </dev/null'
	echo "$*: $output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/full /dev/null /dev/random /dev/tty /dev/urandom /dev/zero" ]
	[ "${lines[1]}" = "character special file 1,3" ]
	[ "${lines[2]}" = 0 ]
	[ -z "$(ls -A "$r/dev")" ]
}

@test "08-chroot: /dev inside is its own: the host's six nodes, and writes to it never reach the rootfs (both modes, rootless)" {
	local chroot rfs
	chroot=$(for_nobody "$CHROOT") && rfs=$(for_nobody "$RFS")
	dev_check "$RFS" "$CHROOT"
	dev_check "$RFS" "$CHROOT" --pivot
	dev_check "$rfs" "${AS_NOBODY[@]}" "$chroot"
	dev_check "$rfs" "${AS_NOBODY[@]}" "$chroot" --pivot
	[ -z "$(ls -A "$RFS/dev")" ]
}

@test "08-chroot: make rootfs rebuilds a rootfs whose /dev a run wrote into, and leaves a sound one alone" {
	# A rootfs of the test's own (ROOTFS=DIR): build/rootfs is shared.
	local r=$BATS_TEST_TMPDIR/rfs
	run -0 make -s -C "$ROOT" rootfs ROOTFS="$r"
	[ -f "$r/.complete" ]
	# Sound: --check passes, and make says and changes nothing.
	"$ROOT/08-chroot/mkrootfs.sh" --check "$r"
	# (a rebuild would not keep this file)
	touch "$r/tmp/kept"
	run -0 make -s -C "$ROOT" rootfs ROOTFS="$r"
	[ -z "$output" ]
	[ -e "$r/tmp/kept" ]
	# What a chroot run without a /dev of its own left: a regular file.
	echo x >"$r/dev/null"
	run -1 "$ROOT/08-chroot/mkrootfs.sh" --check "$r"
	[ "$output" = "mkrootfs: $r/dev holds null: a run wrote into the shared rootfs" ]
	run -0 make -s -C "$ROOT" rootfs ROOTFS="$r"
	[[ "$output" == *"holds null"*"mkrootfs: $r ready"* ]]
	[ -z "$(ls -A "$r/dev")" ]
	# A command missing (a rootfs built by an older script) is rebuilt too.
	rm "$r/usr/bin/od"
	run -1 "$ROOT/08-chroot/mkrootfs.sh" --check "$r"
	[[ "$output" == *"has no od"* ]]
	run -0 make -s -C "$ROOT" rootfs ROOTFS="$r"
	[ -x "$r/usr/bin/od" ]
}

# The README's commands, run as a student would type them (tests/readme),
# in English and in Chinese.
@test "08-chroot: the README's commands print what it shows (tests/readme)" {
	"$ROOT/tests/readme" "$ROOT/08-chroot/README.md"
}

@test "08-chroot: the Chinese README's commands print what it shows, and its code is the English one's" {
	"$ROOT/tests/readme" "$ROOT/08-chroot/README.zh-CN.md"
	same_blocks "$ROOT/08-chroot/README.md" "$ROOT/08-chroot/README.zh-CN.md"
}
