#!/usr/bin/env bats
# 10-full: where a container lives on the host. Its writable layer is on
# disk under the data root, not in the host's memory; whatever a kill -9
# leaves at any instant, the next run of the same user removes, and
# nothing of another user's; a name is held by one running container.

load helpers
bats_require_minimum_version 1.5.0

CONTAINER="$BATS_TEST_DIRNAME/../10-full/container"
RFS="$ROOT/build/rootfs"
# Root's data root (10-full/state.h); each test's own, once setup ran.
DATA=/var/lib/lesson-container

# Each test has a data root of its own (CONTAINER_ROOT, the runtime's
# default for --root): its fixed fixture ids and its sweeps meet no one
# else's. On disk, like the default one, and searchable by others.
setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	DATA=$(mktemp -d /var/tmp/lesson-test-root.XXXXXX)
	chmod 711 "$DATA"
	export CONTAINER_ROOT=$DATA
	# The data root exists from the first run on: later runs make no
	# mkdir for it (the fault injections below count mkdirs).
	"$CONTAINER" run --rm "$RFS" true
}

# What a container could leave on the host, and only that: notes, dirs
# and names in the data roots (this binary's alone), mounts in them, its
# processes (the runtime, and its child until it execs, are this binary;
# only this test's, by their mark), the name of the
# fallback test's container in nobody's shared root, and the cgroups of
# the containers the test named with `track ID` (other programs on the
# machine make and leave lesson-container-* cgroups of their own).
container_leftovers() {
	local p exe bin id
	bin=$(realpath "$CONTAINER")
	find $DATA/containers $DATA/names "$NOBODY_HOME"/lesson-container/containers \
		"$NOBODY_HOME"/lesson-container/names -mindepth 1 2>/dev/null
	grep "$DATA" /proc/self/mountinfo
	# The one container a test made in nobody's shared fallback root.
	[ -z "${FALLBACK_NAME:-}" ] ||
		ls -d "/var/tmp/lesson-container-65534/names/$FALLBACK_NAME" 2>/dev/null
	for id in $(cat "$BATS_TEST_TMPDIR/ids" 2>/dev/null); do
		cgroups_of "$id"
	done
	# Only this test's processes (its mark): other files' containers run
	# beside it (tests/run), their runtimes from the same binary.
	for p in $(marked); do
		exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
		[ "$exe" != "$bin" ] || echo "process $p ($exe)"
	done
	return 0
}

# track ID: the teardown checks that container ID's cgroups are gone.
track() {
	echo "$1" >>"$BATS_TEST_TMPDIR/ids"
}

no_container_leftovers() {
	[ -z "$(container_leftovers)" ]
}

# Every test leaves nothing of its containers behind.
teardown() {
	local left
	kill_spawned
	[ "$(id -u)" -eq 0 ] || return 0
	wait_for no_container_leftovers || left=$(container_leftovers)
	# Reported above, and not left in a root that others share.
	[ -z "${FALLBACK_NAME:-}" ] || "${N[@]}" rm -f "$FALLBACK_NAME" >/dev/null 2>&1 || true
	case ${DATA:-} in /var/tmp/lesson-test-root.*) rm -rf "$DATA" ;; esac
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# The cgroup dirs of container $1, in every hierarchy.
cgroups_of() {
	find /sys/fs/cgroup -type d -name "lesson-container-$1" 2>/dev/null
}

# gone PID: PID has run its exit (a zombie, or no more).
gone() {
	! grep -qs '^State:.[^ZX]' /proc/"$1"/status
}

need_strace() {
	command -v strace >/dev/null || skip "strace is not installed (fault injection)"
}

@test "10-full disk: 256 MiB written inside land on disk, not in the host's memory (Shmem); the layer is gone afterwards" {
	[ "$(stat -f -c %T $DATA)" != tmpfs ] ||
		skip "the data root is a tmpfs here (a VM without a disk)"
	shmem() { awk '/^Shmem:/ { print int($2 / 1024) }' /proc/meminfo; }
	before=$(shmem)
	"$CONTAINER" run --rm --init "$RFS" sh -c 'hostname; dd if=/dev/zero of=/big bs=1M count=256 2>/dev/null && echo written; sleep 30' \
		>"$BATS_TEST_TMPDIR/out" &
	prog=$!
	wait_for grep -q written "$BATS_TEST_TMPDIR/out" ||
		wait_for grep -q written "$BATS_TEST_TMPDIR/out"
	after=$(shmem)
	id=$(head -1 "$BATS_TEST_TMPDIR/out")
	track "$id"
	upper=$DATA/containers/$id/upper
	# While it holds: the file is in upper/, and upper/ is on a disk.
	echo "upper $upper on $(stat -f -c %T "$upper"), Shmem ${before} -> ${after} MiB"
	[ "$(stat -c %s "$upper/big")" -eq $((256 << 20)) ]
	[ "$(stat -f -c %T "$upper")" != tmpfs ]
	# A tmpfs layer would add 256 MiB; other programs on a shared
	# machine move it by a few.
	[ $((after - before)) -lt 32 ]
	kill -TERM $prog
	wait $prog || true
	[ ! -e "$DATA/containers/$id" ]
	[ ! -e "$DATA/containers/$id.owner" ]
}

# The record of a container that ended is rewritten (exited, its code):
# a new file, renamed over the old one. On a full disk that write fails,
# and the run then removed the container as if it were --rm: its layer,
# its log, its name. A container that fills the disk (there is no quota:
# the bound is the free space) made every other one that ended meanwhile
# vanish, and itself too, with the evidence. Here it fills a 24 MiB
# tmpfs, the data root in a mount namespace of the test's own.
@test "10-full disk: a container that ends on a full disk is kept, with its layer and name: exited, code unknown (255)" {
	full=$BATS_TEST_TMPDIR/full
	mkdir "$full"
	run unshare -m sh -c "mount -t tmpfs -o size=24m tmpfs '$full' || exit 99
		export CONTAINER_ROOT='$full/r'
		'$CONTAINER' run --name filler '$RFS' sh -c 'echo precious >/data
			dd if=/dev/zero of=/big bs=1M 2>/dev/null; exit 3'
		echo \"status \$?\"
		df -k '$full' | awk 'NR == 2 { print \"free \" \$4 }'
		echo \"ps \$('$CONTAINER' ps -a | grep ' filler\$' | grep -o 'Exited ([0-9]*)')\"
		echo \"data \$(cat '$full'/r/containers/*/upper/data)\"
		'$CONTAINER' rm filler >/dev/null &&
			echo \"left \$(ls -A '$full/r/containers')\$(ls -A '$full/r/names')\"
		# The sweep of a runtime killed with -9 rewrites the record
		# too: same disk, filled by a -d container.
		'$CONTAINER' run -d --name orphan '$RFS' sh -c 'echo precious >/data
			dd if=/dev/zero of=/big bs=1M; sleep 1000' >/dev/null 2>&1
		pid=\$('$CONTAINER' inspect -f '{{.State.Pid}}' orphan)
		for i in \$(seq 600); do
			[ \"\$(df -k '$full' | awk 'NR == 2 { print \$4 }')\" -lt 64 ] && break
			sleep 0.05
		done
		kill -KILL \$(awk '{ print \$4 }' /proc/\$pid/stat)
		for i in \$(seq 600); do
			[ -e /proc/\$pid ] || break
			sleep 0.05
		done
		echo \"swept \$('$CONTAINER' ps -a | grep ' orphan\$' | grep -o 'Exited ([0-9]*)')\"
		echo \"data \$(cat '$full'/r/containers/*/upper/data)\"
		'$CONTAINER' rm orphan >/dev/null &&
			echo \"left \$(ls -A '$full/r/containers')\$(ls -A '$full/r/names')\""
	echo "$output"
	[ "$status" -eq 0 ]
	id=$(echo "$output" | grep -o 'container [0-9a-f]\{12\} is kept' | head -1 | cut -d' ' -f2)
	[ -n "$id" ]
	grep -qx "container: container $id is kept, its record not updated (container rm $id removes it)" <<<"$output"
	grep -qx "status 3" <<<"$output"
	free=$(awk '/^free / { print $2 }' <<<"$output")
	[ "$free" -lt 64 ] # the control: the disk was full
	grep -qx "ps Exited (255)" <<<"$output"
	grep -qx "swept Exited (255)" <<<"$output"
	[ "$(grep -cx "data precious" <<<"$output")" -eq 2 ]
	[ "$(grep -cx "left " <<<"$output")" -eq 2 ] # and rm removed it all
}

@test "10-full disk: a data root on overlayfs (as inside docker) is refused up front with a hint" {
	lower=$BATS_TEST_TMPDIR/lower scratch=$BATS_TEST_TMPDIR/scratch
	mkdir -p "$lower" "$scratch"
	# In a mount namespace of its own: the host's data root is untouched.
	run -125 unshare -m sh -c "mount -t tmpfs tmpfs '$scratch' &&
		mkdir '$scratch/u' '$scratch/w' &&
		mount -t overlay overlay -o 'lowerdir=$lower,upperdir=$scratch/u,workdir=$scratch/w' $DATA &&
		exec '$CONTAINER' run --rm '$RFS' true"
	[ "$output" = "container: $DATA is on overlayfs (inside a docker container?): the kernel cannot put a container's writable layer there. Mount a directory of a disk on it (docker run -v /some/dir:$DATA ...)" ]
	# Refused before anything was made in it.
	[ -z "$(ls -A "$scratch/u")" ]
}

@test "10-full disk: a user's data root without user.* xattrs (ramfs) is refused up front, saying what to do; nothing is made" {
	# A rootless overlay keeps its marks (opaque dirs, an image's
	# whiteouts) in user.* xattrs. ramfs has none (tmpfs had none before
	# Linux 6.6, Debian 12's /tmp): the run used to fail later, inside
	# (EIO removing a lower directory). In a mount namespace of its own,
	# on a dir of this test's: no one else sees the mount.
	container=$(for_nobody "$CONTAINER") && rfs=$(for_nobody "$RFS")
	mnt=$DATA/xattrless
	mkdir -m 755 "$mnt"
	mkdir -m 777 "$DATA/disk"
	# try MOUNT: nobody's run with its data root on what MOUNT puts on
	# mnt; then what the mount holds afterwards.
	try() {
		unshare -m sh -c '$1 "$2" || exit 1; m=$2; shift 2
			"$@"; echo "rc $?"; ls -A "$m"' sh "$1" "$mnt" \
			"${AS_NOBODY[@]}" XDG_DATA_HOME="$mnt" "$container" run --rm "$rfs" true
	}
	run -0 try "mount -t ramfs -o mode=777 lesson-xattr"
	[ "${lines[0]}" = "container: $mnt/lesson-container is on a filesystem without user.* extended attributes (ramfs, or tmpfs before Linux 6.6), in which a rootless overlay keeps its marks: set XDG_DATA_HOME, or --root, to a directory on a disk" ]
	[ "${lines[1]}" = "rc 125" ]
	# Nothing made: no data root, nothing at all.
	[ "${#lines[@]}" -eq 2 ]
	# The control: the same run on a dir of the disk runs, and makes its
	# data root there.
	run -0 try "mount --bind $DATA/disk"
	[ "$output" = "$(printf 'rc 0\nlesson-container')" ]
}

# kill_at INJECT: runs `container run --name x -m 64M` under strace with
# the fault injection INJECT (a syscall held after it completed), kills
# the runtime with SIGKILL while it is held there, and sets id to the
# container's id and pid to the runtime's PID.
kill_at() {
	local log=$BATS_TEST_TMPDIR/strace.log note
	rm -f "$log"
	strace -f -o "$log" -e trace=linkat,mkdir,symlinkat,renameat2 -e inject="$1" \
		"$CONTAINER" run --rm --name x -m 64M "$RFS" true &
	tracer=$!
	wait_for grep -qs DELAYED "$log" || wait_for grep -qs DELAYED "$log"
	pid=$(awk '/DELAYED/ { print $1; exit }' "$log")
	kill -KILL "$pid"
	# strace itself would sit out the rest of the delay.
	kill -KILL $tracer
	wait $tracer || true
	wait_for gone "$pid"
	note=$(ls $DATA/containers/ | grep '\.owner$')
	id=${note%.owner}
	track "$id"
}

@test "10-full disk: a kill -9 at each step of the start leaves what the next run removes: note, layer dir, name, cgroups" {
	need_strace
	# The order (run.c's prepare): note (linkat), name (symlinkat), the
	# container's dir (a spare's rename, spare.c; or, with no spare,
	# mkdir 1), its cgroups (mkdir 2, 3...): listed in the note only
	# once all are made. Each run below leaves a spare (setup's did).
	for inject in linkat:delay_exit=30000000:when=1 \
		symlinkat:delay_exit=30000000:when=1 \
		renameat2:delay_exit=30000000:when=1 \
		nospare,mkdir:delay_exit=30000000:when=1 \
		nospare,mkdir:delay_exit=30000000:when=2; do
		[[ $inject != nospare,* ]] || rm -rf "$DATA/spare"
		[[ $inject == nospare,* ]] || [ -d "$DATA/spare/0" ]
		inject=${inject#nospare,}
		kill_at "$inject"
		echo "killed at $inject: id $id, $(ls $DATA/containers | tr '\n' ' ')cgroups: $(cgroups_of "$id" | wc -l)"
		[[ "$id" =~ ^[0-9a-f]{12}$ ]]
		case $inject in
		mkdir*when=2) [ -n "$(cgroups_of "$id")" ] ;; # made, not yet noted
		esac
		run "$CONTAINER" run --rm "$RFS" true
		[ "$status" -eq 0 ]
		[ "$output" = "container: removed what container $id left behind (its runtime, PID $pid, was killed)" ]
		[ -z "$(find $DATA/containers $DATA/names -mindepth 1)" ]
		[ -z "$(cgroups_of "$id")" ]
	done
}

@test "10-full disk: the sweep leaves another user's leftovers alone, and a user's run leaves root's" {
	# A dead owner's note (a PID of an earlier boot) in root's data root,
	# but the file and the dir belong to nobody: not root's to remove.
	printf 'pid 1\nstart 1\npidns 1\nboot earlier-boot\n' >$DATA/containers/0000000000aa.owner
	mkdir $DATA/containers/0000000000aa
	chown 65534:65534 $DATA/containers/0000000000aa.owner $DATA/containers/0000000000aa
	# nobody's own leftovers, in nobody's data root (this run's own:
	# $XDG_DATA_HOME/lesson-container, helpers.bash).
	container=$(for_nobody "$CONTAINER") && rfs=$(for_nobody "$RFS")
	"${AS_NOBODY[@]}" "$container" run --rm "$rfs" true
	mine=$NOBODY_HOME/lesson-container/containers
	"${AS_NOBODY[@]}" sh -c "printf 'pid 1\nstart 1\npidns 1\nboot earlier-boot\n' >$mine/0000000000bb.owner && mkdir $mine/0000000000bb"
	# And a dead leftover of root's own.
	printf 'pid 1\nstart 1\npidns 1\nboot earlier-boot\n' >$DATA/containers/0000000000cc.owner
	mkdir $DATA/containers/0000000000cc

	# nobody's run sweeps its own, and cannot touch root's.
	run "${AS_NOBODY[@]}" "$container" run --rm "$rfs" true
	[ "$status" -eq 0 ]
	[ "$output" = "container: removed what container 0000000000bb left behind (its runtime, PID 1, was killed)" ]
	[ ! -e $mine/0000000000bb ]
	[ -d $DATA/containers/0000000000cc ]
	"${AS_NOBODY[@]}" sh -c "printf 'pid 1\nstart 1\npidns 1\nboot earlier-boot\n' >$mine/0000000000bb.owner"

	# root's run sweeps root's, and leaves nobody's, in either place.
	run "$CONTAINER" run --rm "$RFS" true
	[ "$status" -eq 0 ]
	[ "$output" = "container: removed what container 0000000000cc left behind (its runtime, PID 1, was killed)" ]
	[ ! -e $DATA/containers/0000000000cc ]
	[ -f $DATA/containers/0000000000aa.owner ]
	[ -d $DATA/containers/0000000000aa ]
	[ -f $mine/0000000000bb.owner ]
	rm -r $DATA/containers/0000000000aa* $mine/0000000000bb.owner
}

@test "10-full disk: a user with no XDG dirs and no HOME of their own keeps containers in /var/tmp/lesson-container-UID" {
	# The fallback (state.h) as nobody meets it: setpriv, sudo -u and
	# cron keep someone else's HOME, or none. Every rootless run of
	# nobody's on this machine without XDG dirs shares this root: the
	# test judges only its own container, by a name no one else uses.
	container=$(for_nobody "$CONTAINER") && rfs=$(for_nobody "$RFS")
	fallback=/var/tmp/lesson-container-65534
	FALLBACK_NAME=fallback-$$-$RANDOM
	N=("${AS_NOBODY[@]}" env -u XDG_DATA_HOME -u XDG_RUNTIME_DIR
		HOME=/nonexistent "$container")
	# Not removed: kept, exited, under its name until `rm`.
	run -0 "${N[@]}" run --name "$FALLBACK_NAME" "$rfs" true
	id=$(readlink "$fallback/names/$FALLBACK_NAME")
	[[ "$id" =~ ^[0-9a-f]{12}$ ]]
	[ -d "$fallback/containers/$id" ]
	[ "$(stat -c '%u %a' "$fallback")" = "65534 700" ]
	run -0 "${N[@]}" ps -a
	[[ "$output" == *"$id"*"$FALLBACK_NAME"* ]]
	run -0 "${N[@]}" rm "$FALLBACK_NAME"
	[ ! -e "$fallback/names/$FALLBACK_NAME" ]
	[ ! -e "$fallback/containers/$id" ]
	[ ! -e "$fallback/containers/$id.owner" ]
}

@test "10-full disk: an owner that exits while a run judges its note is not reported as killed" {
	need_strace
	# The owner runs under a parent that never reaps it: when it exits
	# it stays a zombie, as a runtime whose caller is slow to wait does.
	sh -c "'$CONTAINER' run --rm --init '$RFS' sleep 60 & exec sleep 60" &
	holder=$!
	wait_for sh -c "ls $DATA/containers/ | grep -q owner"
	owner=$(child_of $holder)
	note=$(ls $DATA/containers/ | grep owner)
	track "${note%.owner}"
	# The sweeper reads the note (its first read(2)) and is held there.
	log=$BATS_TEST_TMPDIR/strace.log
	strace -o "$log" -e trace=read -e inject=read:delay_exit=8000000:when=1 \
		"$CONTAINER" run --rm "$RFS" true >"$BATS_TEST_TMPDIR/out" 2>&1 &
	sweeper=$!
	wait_for grep -qs DELAYED "$log"
	# Meanwhile the owner ends normally (its cleanup removes the note)
	# and turns zombie.
	kill -TERM "$owner"
	wait_for grep -q '^State:.Z' /proc/"$owner"/status ||
		wait_for grep -q '^State:.Z' /proc/"$owner"/status
	wait "$sweeper"
	echo "sweeper said: $(cat "$BATS_TEST_TMPDIR/out")"
	[ -z "$(cat "$BATS_TEST_TMPDIR/out")" ]
	kill "$holder"
	wait "$holder" || true
}

@test "10-full disk: --name: a second run while the first runs exits 125 naming it; free again once it exited" {
	"$CONTAINER" run --rm --init --name web "$RFS" sh -c 'hostname; sleep 30' >"$BATS_TEST_TMPDIR/out" &
	first=$!
	wait_for test -s "$BATS_TEST_TMPDIR/out"
	id=$(cat "$BATS_TEST_TMPDIR/out")
	track "$id"
	run -125 "$CONTAINER" run --rm --name web "$RFS" true
	[ "$output" = "container: --name web: the name is in use by container $id; choose another name" ]
	kill -TERM $first
	wait $first || true
	run "$CONTAINER" run --rm --name web "$RFS" hostname
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9a-f]{12}$ ]]
	[ "$output" != "$id" ]
}

@test "10-full disk: --name: two runs at the same instant, exactly one runs (the names lock)" {
	need_strace
	# The first takes the names lock and is held just before it links the
	# name; the second comes meanwhile and must wait for the lock.
	log=$BATS_TEST_TMPDIR/strace.log
	strace -o "$log" -e trace=symlinkat -e inject=symlinkat:delay_enter=4000000:when=1 \
		"$CONTAINER" run --rm --init --name twin "$RFS" sh -c 'hostname; sleep 30' >"$BATS_TEST_TMPDIR/first" 2>&1 &
	first=$!
	wait_for grep -qs symlinkat "$log"
	run -125 "$CONTAINER" run --rm --name twin "$RFS" true
	wait_for test -s "$BATS_TEST_TMPDIR/first"
	id=$(cat "$BATS_TEST_TMPDIR/first")
	track "$id"
	[[ "$id" =~ ^[0-9a-f]{12}$ ]]
	[ "$output" = "container: --name twin: the name is in use by container $id; choose another name" ]
	kill -TERM $(child_of $first)
	wait $first || true
}

@test "10-full disk: --name of a runtime killed with -9 is free for the next run" {
	"$CONTAINER" run --rm --name gone "$RFS" sh -c 'hostname; sleep 30' >"$BATS_TEST_TMPDIR/out" &
	prog=$!
	wait_for test -s "$BATS_TEST_TMPDIR/out"
	id=$(cat "$BATS_TEST_TMPDIR/out")
	track "$id"
	kill -KILL $prog
	wait $prog || true
	[ "$(readlink $DATA/names/gone)" = "$id" ]
	run "$CONTAINER" run --rm --name gone "$RFS" true
	[ "$status" -eq 0 ]
	[ "$output" = "container: removed what container $id left behind (its runtime, PID $prog, was killed)" ]
}

# The next container's "/": from inside, its mode and owners, what it
# holds at the top and in /tmp (how many); from the host, its upper/'s
# user.planted xattr ("-" when there is none). Nothing of it is written
# (no volume: its mount point would be), so it leaves a spare itself.
fresh_root() {
	local id inside
	id=$("$CONTAINER" run -d --rm "$RFS" sleep 100) || return 1
	track "$id"
	inside=$("$CONTAINER" exec "$id" sh -c \
		'stat -c "%a %u %g" /; ls /; ls /tmp | wc -l' | tr '\n' ' ')
	echo "$inside$("$BATS_TEST_TMPDIR/xattr" "$DATA/containers/$id/upper" \
		user.planted 2>/dev/null || echo -)"
	"$CONTAINER" kill "$id" >/dev/null
	wait_for test ! -e "$DATA/containers/$id.owner"
}

@test "10-full disk: a container that wrote nothing leaves its dir for the next run (ROOT/spare, at most 4): the next run's upper/ is that dir" {
	# setup's run --rm left one.
	[ "$(ls "$DATA/spare")" = 0 ]
	ino=$(stat -c %i "$DATA/spare/0/upper")
	id=$("$CONTAINER" run -d --rm "$RFS" sleep 100)
	track "$id"
	[ "$(stat -c %i "$DATA/containers/$id/upper")" = "$ino" ]
	[ -z "$(ls "$DATA/spare")" ]
	# Six that end together keep four: the slots are bounded.
	ids=$id
	for i in 1 2 3 4 5; do
		id=$("$CONTAINER" run -d --rm "$RFS" sleep 100)
		track "$id"
		ids="$ids $id"
	done
	"$CONTAINER" kill $ids
	for id in $ids; do
		wait_for test ! -e "$DATA/containers/$id.owner"
	done
	[ "$(ls "$DATA/spare" | tr '\n' ' ')" = "0 1 2 3 " ]
	# Each is a container's dir as made: upper/ and work/, both empty.
	for i in 0 1 2 3; do
		[ "$(ls -A "$DATA/spare/$i" | tr '\n' ' ')" = "upper work " ]
		[ -z "$(find "$DATA/spare/$i/upper" "$DATA/spare/$i/work" -mindepth 1)" ]
	done
	[ "$(stat -c %a "$DATA/spare")" = 700 ]
}


@test "10-full disk: a spare that served 256 runs, or a dir made in containers/, is renewed: it waits in ROOT/removing, and a new dir made in ROOT/spare (chattr +T) takes its slot; a kill -9 meanwhile leaves what the next run removes" {
	cc -O2 -o "$BATS_TEST_TMPDIR/xattr" "$BATS_TEST_DIRNAME/10-full-setxattr.c"
	x=$BATS_TEST_TMPDIR/xattr
	uses=trusted.lesson-container.uses
	# setup's run made its dir in containers/ (no count):
	# at its end that dir went to ROOT/removing and slot 0 was made new,
	# in ROOT/spare, its count at 0. Each run it serves counts.
	[ "$(ls "$DATA/removing" | wc -l)" = 2 ]
	[ "$("$x" "$DATA/spare/0" $uses)" = 0 ]
	"$CONTAINER" run --rm "$RFS" true
	[ "$("$x" "$DATA/spare/0" $uses)" = 1 ]
	old=$(stat -c %i "$DATA/spare/0")
	# Its 256th run: the dir goes to ROOT/removing (beside the run's own
	# work/work), a new one is slot 0.
	"$x" "$DATA/spare/0" $uses 255
	"$CONTAINER" run --rm "$RFS" true
	echo "spare: $(ls -A "$DATA/spare" | tr '\n' ' ')removing: $(ls "$DATA/removing" | tr '\n' ' ')"
	[ "$(ls -A "$DATA/spare")" = 0 ]
	[ "$(stat -c %i "$DATA/spare/0")" != "$old" ]
	[ "$(stat -c %i "$DATA"/removing/* | grep -cx "$old")" = 1 ]
	# The new one is a container's dir as made, its count begun anew;
	# and the next run takes it.
	[ "$(stat -c '%a %u' "$DATA/spare/0" "$DATA/spare/0/upper" "$DATA/spare/0/work" | tr '\n' ' ')" = "700 0 755 0 755 0 " ]
	[ -z "$(find "$DATA/spare/0" -mindepth 2)" ]
	[ "$("$x" "$DATA/spare/0" $uses)" = 0 ]
	new=$(stat -c %i "$DATA/spare/0/upper")
	id=$("$CONTAINER" run -d --rm "$RFS" sleep 100)
	track "$id"
	[ "$(stat -c %i "$DATA/containers/$id/upper")" = "$new" ]
	"$CONTAINER" kill "$id" >/dev/null
	wait_for test ! -e "$DATA/containers/$id.owner"
	# Where the filesystem has the flag (the control: a dir of ours
	# takes it), ROOT/spare has it: each new dir in it is placed afresh.
	mkdir "$DATA/ctl"
	if chattr +T "$DATA/ctl" 2>/dev/null && lsattr -d "$DATA/ctl" | grep -q '^[^ ]*T'; then
		[[ $(lsattr -d "$DATA/spare") =~ ^[^\ ]*T ]]
	fi
	rmdir "$DATA/ctl"
	# A run killed while it made the new dir left it half made, beside
	# its note: the next run removes both.
	need_strace
	kill_at linkat:delay_exit=30000000:when=1
	mkdir -p "$DATA/spare/.new-$id/upper"
	run "$CONTAINER" run --rm "$RFS" true
	[ "$status" -eq 0 ]
	[ "$output" = "container: removed what container $id left behind (its runtime, PID $pid, was killed)" ]
	[ ! -e "$DATA/spare/.new-$id" ]
}

@test "10-full disk: a kept spare's overlayfs scratch dir waits in ROOT/removing (at most 8), and goes while a later container's command runs" {
	d=$BATS_TEST_TMPDIR
	# setup's run --rm left a spare, and its work/work here; and its dir,
	# made in containers/, renewed (the test above).
	[ "$(ls "$DATA/removing" | tr '\n' ' ')" = "0 1 " ]
	[ "$(stat -c %a "$DATA/removing")" = 700 ]
	[ -z "$(ls -A "$DATA/removing/0")" ]
	# Something overlayfs might have left in it: goes too.
	mkdir -p "$DATA/removing/0/#1/a" && touch "$DATA/removing/0/#1/a/f"
	# A run in the foreground removes it while its command runs: the
	# command waits (a fifo) until it is gone.
	mkfifo "$d/in"
	"$CONTAINER" run --rm -i "$RFS" sh -c 'read x; echo $x' <"$d/in" >"$d/out" &
	prog=$!
	exec 4>"$d/in"
	wait_for test ! -e "$DATA/removing/0/#1"
	echo ran >&4
	exec 4>&-
	wait $prog
	[ "$(cat "$d/out")" = ran ]
	# ...and left its own, empty, in the slot it freed.
	[ "$(ls "$DATA/removing")" = 0 ]
	[ -z "$(ls -A "$DATA/removing/0")" ]
	# At most 8 wait: with every slot taken, the end removes work/work
	# itself (a container in the background: nothing removes them).
	mkdir "$DATA/removing/"{1..7}
	for i in 0 1 2 3 4 5 6 7; do echo "$i $(stat -c %i "$DATA/removing/$i")"; done >"$d/before"
	id=$("$CONTAINER" run -d --rm "$RFS" true)
	track "$id"
	wait_for test ! -e "$DATA/containers/$id.owner"
	for i in 0 1 2 3 4 5 6 7; do echo "$i $(stat -c %i "$DATA/removing/$i")"; done >"$d/after"
	[ "$(ls "$DATA/removing" | tr '\n' ' ')" = "0 1 2 3 4 5 6 7 " ]
	cmp "$d/before" "$d/after"
	# It was kept all the same: its dir holds no work/work.
	[ -d "$DATA/spare/0" ]
	[ -z "$(find "$DATA/spare" -path '*/work/*')" ]
	# The next run in the foreground empties them all.
	"$CONTAINER" run --rm -i "$RFS" sh -c 'read x' <"$d/in" &
	prog=$!
	exec 4>"$d/in"
	wait_for test ! -e "$DATA/removing/7"
	echo >&4
	exec 4>&-
	wait $prog
	[ "$(ls "$DATA/removing")" = 0 ]
}

@test "10-full disk: a container that changed its / (owner, an xattr, inode flags, its size) or wrote a file leaves no spare; one with a volume or the host's network neither takes nor leaves one; the next container's / is a new one" {
	mkdir "$BATS_TEST_TMPDIR/t"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/setxattr" "$BATS_TEST_DIRNAME/10-full-setxattr.c"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/chown" "$BATS_TEST_DIRNAME/10-full-chown.c"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/chattr" "$BATS_TEST_DIRNAME/10-full-chattr.c"
	cc -O2 -o "$BATS_TEST_TMPDIR/xattr" "$BATS_TEST_DIRNAME/10-full-setxattr.c"
	# The tools in an image (a container with a volume keeps no spare,
	# so the attacks may not bring them in one): its /bin/false,
	# /bin/true and /bin/echo replaced, in a layer of their own.
	id=$("$CONTAINER" run -d -v "$BATS_TEST_TMPDIR/t:/t:ro" "$RFS" sh -c \
		'cp /t/setxattr /bin/false && cp /t/chown /bin/true && cp /t/chattr /bin/echo')
	track "$id"
	wait_for sh -c "'$CONTAINER' ps -a | grep -q '^$id .*Exited (0)'"
	"$CONTAINER" commit "$id" spare-tools >/dev/null
	"$CONTAINER" rm "$id" >/dev/null
	# The control: a container that wrote nothing leaves its dir, and
	# the next one's / is a new one all the same.
	new=$(fresh_root)
	echo "new: $new"
	[ "$(ls "$DATA/spare")" = 0 ]
	[[ $new == "755 0 0 bin "* && $new == *" usr 0 -" ]]
	"$CONTAINER" run --rm spare-tools /bin/echo / 0
	[ -d "$DATA/spare/0" ]
	for attack in '/bin/true / 1234 1234' '/bin/false / user.planted yes' \
		'touch /planted' 'mkdir /tmp/planted' \
		'chmod 700 /; /bin/true / 1234 0; chmod 755 /' \
		'/bin/echo / 8' '/bin/echo / 10000' '/bin/echo / 80' \
		'for i in $(seq 100); do : >/$(printf %0200d $i); done; rm /0*'; do
		# It takes the spare the run before left (one that took none
		# would leave it there), and its dir is not kept...
		[ -d "$DATA/spare/0" ]
		"$CONTAINER" run --rm spare-tools sh -c "$attack"
		[ ! -e "$DATA/spare/0" ]
		# ...and the next container's / is as new (it leaves a spare).
		run -0 fresh_root
		echo "after '$attack': $output"
		[ "$output" = "$new" ]
	done
	# A volume (or the host's network) could carry an fd of its layer
	# out to a process that outlives it, which would then write into
	# the next container's / through it: a container with a volume on
	# a dir the image has (no write in its layer) takes no spare, so
	# leaves the one there to the next run, and keeps none.
	ino=$(stat -c %i "$DATA/spare/0/upper")
	mkdir "$BATS_TEST_TMPDIR/vol"
	id=$("$CONTAINER" run -d --rm -v "$BATS_TEST_TMPDIR/vol:/tmp" "$RFS" sleep 100)
	track "$id"
	[ "$(stat -c %i "$DATA/spare/0/upper")" = "$ino" ]
	"$CONTAINER" kill "$id" >/dev/null
	wait_for test ! -e "$DATA/containers/$id.owner"
	id=$("$CONTAINER" run -d --rm --net host "$RFS" sleep 100)
	track "$id"
	[ "$(stat -c %i "$DATA/spare/0/upper")" = "$ino" ]
	"$CONTAINER" kill "$id" >/dev/null
	wait_for test ! -e "$DATA/containers/$id.owner"
	[ "$(ls "$DATA/spare")" = 0 ]
	[ "$(stat -c %i "$DATA/spare/0/upper")" = "$ino" ]
	# The control: the same without them takes it, and keeps it.
	id=$("$CONTAINER" run -d --rm "$RFS" sleep 100)
	track "$id"
	[ ! -e "$DATA/spare/0" ]
	[ "$(stat -c %i "$DATA/containers/$id/upper")" = "$ino" ]
	"$CONTAINER" kill "$id" >/dev/null
	wait_for test ! -e "$DATA/containers/$id.owner"
	[ "$(stat -c %i "$DATA/spare/0/upper")" = "$ino" ]
}

@test "10-full disk: a chain of 10,000 directories made inside goes with --rm, rm (64 fds) and the sweep; commit and import refuse it and diff stops at 1024 levels, in one line (125); the container runs on" {
	mkdir "$BATS_TEST_TMPDIR/t"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/deep" "$BATS_TEST_DIRNAME/10-full-deep.c"
	# The end of a --rm run (a recursive removal crashed at ~3,900).
	run -0 "$CONTAINER" run --rm -v "$BATS_TEST_TMPDIR/t:/t:ro" "$RFS" /t/deep /tmp 10000
	[ -z "$(ls "$DATA/containers")" ]
	# rm, with 64 fds (an fd a level ran out at ~1,000 of 1024).
	run -0 "$CONTAINER" run --name deep1 -v "$BATS_TEST_TMPDIR/t:/t:ro" "$RFS" /t/deep /tmp 10000
	(ulimit -n 64; "$CONTAINER" rm deep1)
	[ -z "$(find "$DATA/containers" "$DATA/names" -mindepth 1)" ]
	# commit: at most 1024 levels (TREE_MAX_DEPTH), said in one line;
	# the container is not left frozen.
	id=$("$CONTAINER" run -d -v "$BATS_TEST_TMPDIR/t:/t:ro" "$RFS" sh -c \
		'/t/deep /tmp 2000 && touch /deep-done; exec sleep 100')
	track "$id"
	wait_long test -e "$DATA/containers/$id/upper/deep-done"
	# commit raises its soft limit of fds to the hard one (verbs.h):
	# three a level; a machine whose hard limit is below that runs out
	# first, which is one line and 125 too.
	hard=$(ulimit -Hn)
	run -125 "$CONTAINER" commit "$id" deep-image
	echo "$output (hard limit of fds: $hard)"
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == "container: copy /tmp/a/a/a/"*"...: more than 1024 directories deep" ||
	   ( $hard != unlimited && $hard -lt 3200 &&
	     ( $output == "container: copy /tmp/a/a/a/"*": Too many open files" ||
	       $output == "container: copy /tmp/a/a/a/"*": No file descriptors available" ) ) ]] # glibc's words, musl's
	run -0 "$CONTAINER" exec "$id" echo running
	[ "$output" = running ]
	# diff: as deep, and the rest in one line (it crashed at ~970).
	run -125 --separate-stderr "$CONTAINER" diff "$id"
	[ "${#lines[@]}" -eq 1027 ] # /deep-done, /t, /tmp, 1024 levels
	[[ $stderr == "container: diff: /tmp/a/a/"*"...: more than 1024 directories deep: what is below is not listed" ]]
	"$CONTAINER" rm -f "$id"
	# import of a tar 1,100 levels deep: the layer's walk (save's too)
	# held 17 KiB of stack a level, and crashed at ~500; the unpack now
	# refuses a name that deep before it makes anything.
	mkdir -p "$BATS_TEST_TMPDIR/deep/$(printf 'a/%.0s' $(seq 1100))"
	tar -C "$BATS_TEST_TMPDIR/deep" -cf "$BATS_TEST_TMPDIR/deep.tar" .
	run -125 "$CONTAINER" import "$BATS_TEST_TMPDIR/deep.tar" deep-tar
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == "container: layer: "*"a/a/a/"*"...: more than 1024 directories deep (refused)" ]]
	[ -z "$("$CONTAINER" images -q)" ]
	# Its half-made layer is gone too, not left for the next verb.
	[ -z "$(ls -A "$DATA/images/tmp")" ]
	# The sweep, after a runtime killed with -9 (the next run's).
	"$CONTAINER" run --rm -v "$BATS_TEST_TMPDIR/t:/t:ro" "$RFS" sh -c \
		'/t/deep /tmp 10000 && touch /deep-done; exec sleep 100' &
	pid=$!
	wait_long eval 'ls "$DATA"/containers/*/upper/deep-done >/dev/null 2>&1'
	kill -KILL "$pid"
	wait "$pid" || true # reaped: a zombie would still own its note
	# Its cgroups too, for the teardown's check should the sweep fail.
	note=$(ls "$DATA"/containers/*.owner)
	note=${note##*/}
	track "${note%.owner}"
	run -0 "$CONTAINER" run --rm "$RFS" true
	[[ $output == "container: removed what container "*" left behind (its runtime, PID $pid, was killed)" ]]
	[ -z "$(ls "$DATA/containers")" ]
}
