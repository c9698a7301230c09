#!/usr/bin/env bats
# 10-full: `container run` assembles lessons 01-09 into one runtime. Each
# test checks one claim, from the host's side where it can, and would fail
# if the step behind the claim were missing. The hardening (capabilities,
# seccomp, /proc, /sys, /dev) is proved in 10-full-harden.bats.

load helpers
bats_require_minimum_version 1.5.0

CONTAINER="$BATS_TEST_DIRNAME/../10-full/container"
RFS="$ROOT/build/rootfs"

setup_file() {
	snapshot_host
}

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
}

# What a container could leave on the host, and only that: state dirs,
# cgroups and mounts named after it, its processes (the runtime and the
# init are this binary; the command sits in its cgroup). Unlike
# assert_no_leaks (the last test), it ignores what other programs on the
# machine do meanwhile.
container_leftovers() {
	local p exe bin
	bin=$(realpath "$CONTAINER")
	ls -d /run/lesson-container-* /tmp/lesson-container-* 2>/dev/null
	find /sys/fs/cgroup -maxdepth 4 -type d -name 'lesson-container-*' 2>/dev/null
	grep lesson-container /proc/self/mountinfo
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "$exe" != "$bin" ] || echo "process ${p#/proc/} ($exe)"
		! grep -qs lesson-container "$p/cgroup" || echo "process ${p#/proc/} in a container's cgroup"
	done
	return 0
}

# Every test leaves nothing of its containers behind.
teardown() {
	local left
	[ "$(id -u)" -eq 0 ] || return 0
	wait_for test -z "$(container_leftovers)" && return 0
	left=$(container_leftovers)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# The host PID of a running container's init (PID 1 inside), given the PID
# of `container`.
init_of() {
	child_of "$1"
}

# Waits for background job $1 and checks that it exited with status $2.
wait_status() {
	local st=0
	wait "$1" || st=$?
	echo "status $st, expected $2"
	[ "$st" -eq "$2" ]
}

# The container's cgroup directory in the v1 tree of controller $1 (or the
# v2 tree), while it runs.
cgroup_dir() {
	local d
	for d in /sys/fs/cgroup/"$1" /sys/fs/cgroup; do
		find "$d" -maxdepth 4 -type d -name 'lesson-container-*' 2>/dev/null
	done | head -1
}

@test "10-full: the command's init is PID 1 inside and an ordinary PID on the host" {
	"$CONTAINER" run "$RFS" sleep 3 &
	prog=$!
	init=$(init_of $prog)
	# NSpid: the PID in each namespace, the host's first.
	run grep NSpid /proc/$init/status
	[[ "$output" =~ ^NSpid:[[:space:]]+$init[[:space:]]+1$ ]]
	[ "$init" -gt 1 ]
	cmd=$(child_of $init)
	run grep NSpid /proc/$cmd/status
	[[ "$output" =~ [[:space:]]2$ ]] # the command: PID 2, under init
	[ "$(cat /proc/$cmd/comm)" = sleep ]
	kill $prog
	wait_status $prog 143
}

@test "10-full: hostname: -h is used; by default the 12-digit short id" {
	run "$CONTAINER" run -h box "$RFS" sh -c 'hostname; cat /etc/hostname'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = box ] && [ "${lines[1]}" = box ]
	run "$CONTAINER" run "$RFS" sh -c 'hostname; cat /etc/hostname; grep -c "$(hostname)" /etc/hosts'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^[0-9a-f]{12}$ ]]
	[ "${lines[1]}" = "${lines[0]}" ] # the init layer's /etc/hostname
	[ "${lines[2]}" = 1 ]		   # and /etc/hosts names it
	[ "$(hostname)" != "${lines[0]}" ]
}

@test "10-full: the network namespace holds only lo, and lo is up (seen from the host)" {
	"$CONTAINER" run "$RFS" sleep 3 &
	prog=$!
	init=$(init_of $prog)
	[ "$(readlink /proc/$init/ns/net)" != "$(readlink /proc/self/ns/net)" ]
	run nsenter -t "$init" -n ip -o link show
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *" lo: <LOOPBACK,UP,LOWER_UP>"* ]]
	kill $prog
	wait_status $prog 143
	# --net host: the host's interfaces.
	run "$CONTAINER" run --net host "$RFS" ls /sys/class/net
	[ "$output" = "$(ls /sys/class/net)" ]
}

@test "10-full: environment: minimal, -e adds or overrides, -e KEY takes the host's, -w sets the directory" {
	export LESSON_SECRET=host-only LESSON_PASS=passed
	run "$CONTAINER" run -e FOO=bar -e HOME=/tmp -e LESSON_PASS -w /tmp "$RFS" \
		sh -c 'pwd; env'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /tmp ]
	env=$(printf '%s\n' "${lines[@]:1}" | grep -v '^PWD=' | LC_ALL=C sort | tr '\n' ' ')
	host=$(printf '%s\n' "${lines[@]}" | sed -n 's/^HOSTNAME=//p')
	[[ "$host" =~ ^[0-9a-f]{12}$ ]]
	# Exactly these: nothing of the host's unless asked (LESSON_SECRET),
	# and no TERM without a terminal.
	[ "$env" = "FOO=bar HOME=/tmp HOSTNAME=$host LESSON_PASS=passed PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin " ]
	# A symlink in the image is followed as the container sees it:
	# /bin -> usr/bin.
	run "$CONTAINER" run -w /bin "$RFS" sh -c pwd
	[ "$output" = /usr/bin ]
	# A -w directory the image lacks is made, in the writable layer.
	run "$CONTAINER" run -w /new/dir "$RFS" sh -c pwd
	[ "$output" = /new/dir ]
	[ ! -e "$RFS/new" ]
}

@test "10-full: -m 32M: a 64 MiB allocation is killed (137) and reported" {
	run -137 "$CONTAINER" run -m 32M "$RFS" dd if=/dev/zero of=/dev/null bs=64M count=1
	[[ "$output" == *"container: the container ran out of memory (-m 32M)"* ]]
	# The same without the limit succeeds: the limit did it.
	run "$CONTAINER" run "$RFS" dd if=/dev/zero of=/dev/null bs=64M count=1
	[ "$status" -eq 0 ]
}

@test "10-full: --pids-limit stops a fork bomb" {
	# 40 background sleeps would need 42 tasks; the limit allows 10.
	run "$CONTAINER" run --pids-limit 10 "$RFS" sh -c \
		'for i in $(seq 40); do sleep 5 & done; echo all-started'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Cannot fork"* ]]
	[[ "$output" != *all-started* ]]
	run "$CONTAINER" run "$RFS" sh -c \
		'for i in $(seq 40); do sleep 0.1 & done; wait; echo all-started'
	[ "$output" = all-started ]
}

@test "10-full: --cpus 0.25 throttles a busy loop to about a quarter CPU (cgroup counter over wall time)" {
	"$CONTAINER" run --cpus 0.25 "$RFS" sh -c 'while :; do :; done' &
	prog=$!
	init=$(init_of $prog)
	dir=$(cgroup_dir cpuacct)
	[ -n "$dir" ] && [ -f "$dir/cpuacct.usage" ]
	u0=$(cat "$dir/cpuacct.usage") t0=$(date +%s%N)
	sleep 1
	u1=$(cat "$dir/cpuacct.usage") t1=$(date +%s%N)
	kill $prog
	wait_status $prog 143
	share=$(((u1 - u0) * 100 / (t1 - t0)))
	echo "used ${share}% of one CPU"
	# Wide tolerance: a busy loop alone would take ~100%.
	[ "$share" -ge 10 ] && [ "$share" -le 40 ]
}

@test "10-full: the image directory is byte-for-byte unchanged after the container writes and deletes" {
	snapshot() {
		(cd "$RFS" && find . -printf '%p %y %m %U %G %s %T@ %l\n' | sort &&
			find . -type f -exec sha256sum {} + | sort) | sha256sum
	}
	before=$(snapshot)
	run "$CONTAINER" run "$RFS" sh -c '
		echo new > /etc/new-file && echo changed >> /etc/passwd &&
		rm /etc/group && rm -r /mnt && mkdir /etc/dir && chmod 700 /etc &&
		ln -s /x /etc/link && cat /etc/new-file && ls /etc/group 2>&1'
	[ "$status" -ne 0 ] # ls of the deleted file fails: deletions took
	[[ "$output" == new* ]]
	[ "$(snapshot)" = "$before" ]
	[ -d "$RFS/mnt" ] && [ -f "$RFS/etc/group" ] && [ ! -e "$RFS/etc/new-file" ]
}

@test "10-full: -v: writes reach the host; :ro refuses them; a missing target is made" {
	vol="$BATS_TEST_TMPDIR/vol"
	mkdir "$vol" && echo from-host >"$vol/in"
	run "$CONTAINER" run -v "$vol:/data" "$RFS" sh -c 'cat /data/in; echo from-container > /data/out'
	[ "$status" -eq 0 ] && [ "$output" = from-host ]
	[ "$(cat "$vol/out")" = from-container ]
	run "$CONTAINER" run -v "$vol:/mnt/deep/ro:ro" "$RFS" sh -c 'cat /mnt/deep/ro/in; touch /mnt/deep/ro/x'
	[ "$status" -ne 0 ]
	[[ "$output" == from-host*"Read-only file system"* ]]
	[ ! -e "$vol/x" ]
	[ ! -e "$RFS/mnt/deep" ] # the target was made in the writable layer
	# A file as a volume.
	run "$CONTAINER" run -v "$vol/in:/etc/in-file" "$RFS" cat /etc/in-file
	[ "$output" = from-host ]
}

@test "10-full: --read-only: the root refuses writes; /dev/shm and volumes do not" {
	vol="$BATS_TEST_TMPDIR/vol"
	mkdir "$vol"
	run "$CONTAINER" run --read-only -v "$vol:/data" "$RFS" sh -c \
		'touch /etc/x || echo root-refused; touch /data/x /dev/shm/x && echo others-ok'
	[[ "$output" == *"Read-only file system"*root-refused*others-ok ]]
	[ -e "$vol/x" ]
	run "$CONTAINER" run "$RFS" sh -c 'touch /etc/x && echo writable'
	[ "$output" = writable ]
}

@test "10-full: exit status: 7 passes through, 127 not found, 126 not executable, 143 on SIGTERM, 125 on a bad option" {
	run -7 "$CONTAINER" run "$RFS" sh -c 'exit 7'
	run -127 "$CONTAINER" run "$RFS" no-such-command
	[[ "$output" == *"container: exec no-such-command"* ]]
	run -126 "$CONTAINER" run "$RFS" /etc/passwd
	run -143 "$CONTAINER" run "$RFS" sh -c 'kill -TERM $$'
	run -125 "$CONTAINER" run --no-such-option "$RFS" true
	[ "${lines[0]}" = "container: unknown option '--no-such-option'" ]
	[[ "$output" == *"container run --help"* ]]
	run -125 "$CONTAINER" frobnicate
	[[ "$output" == *"unknown verb 'frobnicate'"* ]]
	run "$CONTAINER" run --help
	[ "$status" -eq 0 ] && [[ "$output" == Usage:* ]]
}

# Bad input, one case a line: options | what the message must say.
bad_inputs() {
	cat <<EOF
|missing ROOTFS
/no/such/rootfs true|/no/such/rootfs
$BATS_TEST_TMPDIR/file true|not a directory
-m lots $RFS true|--memory
-m 12Q $RFS true|--memory
--cpus -1 $RFS true|--cpus
--pids-limit 0 $RFS true|--pids-limit
--cpus 1 --cpu-quota 50000 $RFS true|--cpus and --cpu-quota
--net bridge $RFS true|--net bridge
-h 'bad name' $RFS true|hostname 'bad name'
--name -x $RFS true|--name
-e =x $RFS true|-e '=x'
-v /no/such/dir:/data $RFS true|/no/such/dir
-v $BATS_TEST_TMPDIR:data $RFS true|absolute path
-v $BATS_TEST_TMPDIR:/data:rx $RFS true|ro or rw
-v $BATS_TEST_TMPDIR:/ $RFS true|cannot be the container's /
-v $BATS_TEST_TMPDIR:/dev/x $RFS true|/dev belongs to the runtime
-v $BATS_TEST_TMPDIR:/../../etc $RFS true|'..' leads out of the rootfs
-w /etc/../../.. $RFS true|'..' leads out of the rootfs
-w /up/etc $BATS_TEST_TMPDIR/badroot true|a symlink in the image leads out of the rootfs
-v $BATS_TEST_TMPDIR:/up/x $BATS_TEST_TMPDIR/badroot true|a symlink in the image leads out of the rootfs
-w /etc/passwd/x $RFS true|Not a directory
EOF
}

# A rootfs with a link that climbs out (up) and one that stays in (abs).
make_bad_root() {
	mkdir -p "$BATS_TEST_TMPDIR/badroot/etc"
	ln -s ../../../.. "$BATS_TEST_TMPDIR/badroot/up"
	ln -s /etc "$BATS_TEST_TMPDIR/badroot/abs"
	echo file >"$BATS_TEST_TMPDIR/file"
}

@test "10-full: bad input exits 125 with one clear line" {
	make_bad_root
	while IFS='|' read -r args want; do
		eval "set -- $args"
		run -125 "$CONTAINER" run "$@"
		echo "$args -> ${lines[0]}" # shown if the test fails
		[[ "${lines[0]}" == "container: "*"$want"* ]]
	done < <(bad_inputs)
	# An absolute symlink is the container's, not the host's: /abs/x is
	# /etc/x inside badroot, which is fine: it runs (and finds no true).
	run -127 "$CONTAINER" run -w /abs/x "$BATS_TEST_TMPDIR/badroot" true
	[[ "$output" == "container: exec true"* ]]
}

@test "10-full: bad input is refused before anything is created (strace: no mkdir, no clone)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	make_bad_root
	while IFS='|' read -r args want; do
		eval "set -- $args"
		run -125 strace -f -qq -e trace=mkdir,mkdirat,clone,clone3 \
			-o "$BATS_TEST_TMPDIR/trace" "$CONTAINER" run "$@"
		run grep -E 'mkdir|clone' "$BATS_TEST_TMPDIR/trace"
		echo "$args: $output" # shown if the test fails
		[ "$status" -ne 0 ] # not one
	done < <(bad_inputs)
}

@test "10-full: rootless (uid 65534, via setpriv): a user namespace makes it work; limits are refused by name" {
	as_nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)
	# Not under $BATS_TEST_TMPDIR: nobody may not enter it.
	vol=$(mktemp -d /tmp/container-test-vol.XXXXXX)
	chown 65534:65534 "$vol"
	run "${as_nobody[@]}" "$CONTAINER" run -v "$vol:/data" "$RFS" sh -c \
		'id -u; cat /proc/self/uid_map; hostname; echo hi > /data/f'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ] # root inside...
	read -r inside outside count <<<"${lines[1]}"
	[ "$inside $outside $count" = "0 65534 1" ] # ...nobody outside
	[[ "${lines[2]}" =~ ^[0-9a-f]{12}$ ]]
	[ "$(stat -c %u "$vol/f")" = 65534 ]
	rm -rf "$vol"
	run -125 "${as_nobody[@]}" "$CONTAINER" run -m 32M --pids-limit 5 "$RFS" true
	[[ "$output" == *"--memory, --pids-limit need root or a delegated cgroup"* ]]
}

@test "10-full: -t: a pty of the container's own, its own session; our terminal is restored" {
	command -v script >/dev/null || skip "script(1) is not installed (bsdutils)"
	d=$BATS_TEST_TMPDIR
	# script(1) gives the runtime a terminal, as a user's shell would.
	run script -qec "stty -g > $d/before; $CONTAINER run -t $RFS sh -c '
		readlink /proc/self/fd/0; ls /dev/pts; read -r p c s pp pg sid rest < /proc/self/stat
		echo sid=\$sid; echo \$TERM; exit 5'; echo rc=\$?; stty -g > $d/after" /dev/null
	echo "$output"
	[[ "${lines[0]}" == /dev/pts/0* ]] # the container's devpts, not ours
	[[ "${lines[1]}" == "0  ptmx"* ]]
	[[ "${lines[2]}" == sid=1* ]] # its init leads the session
	[[ "${lines[3]}" != $'\r' ]] # TERM is set
	[[ "$output" == *rc=5* ]]
	cmp "$d/before" "$d/after" # raw mode undone
}

@test "10-full: --userns as root: root inside is uid 100000 on the host" {
	"$CONTAINER" run --userns "$RFS" sh -c 'sleep 3' &
	prog=$!
	init=$(init_of $prog)
	wait_for test -n "$(child_of "$init")"
	cmd=$(child_of "$init")
	# The host's view: the command's real, effective, saved and fs uids.
	run awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$cmd/status
	[ "$output" = "100000 100000 100000 100000" ]
	run cat /proc/$cmd/uid_map
	[[ "$output" =~ ^[[:space:]]+0[[:space:]]+100000[[:space:]]+65536$ ]]
	kill $prog
	wait_status $prog 143
}

@test "10-full: host processes can be neither seen nor signalled from inside" {
	sleep 30 &
	victim=$!
	run "$CONTAINER" run "$RFS" sh -c "ls /proc/$victim 2>&1; kill -0 $victim 2>&1; kill -9 $victim 2>&1"
	[[ "$output" == *"No such file or directory"* ]]
	[[ "$output" == *"No such process"* ]]
	kill -0 $victim # still alive
	kill $victim
	wait $victim || true
}

@test "10-full: SIGTERM to container reaches the command, and everything is removed" {
	"$CONTAINER" run "$RFS" sh -c 'trap "echo got-term; exit 3" TERM; sleep 10 & wait' >"$BATS_TEST_TMPDIR/out" &
	prog=$!
	init=$(init_of $prog)
	wait_for test -n "$(child_of "$init")"
	sleep 0.2
	kill -TERM $prog
	wait_status $prog 3
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = got-term ]
}

@test "10-full: leaves nothing behind on the host" {
	assert_no_leaks
}
