#!/usr/bin/env bats
# 10-full: `container run` assembles lessons 01-09 into one runtime. Each
# test checks one claim, from the host's side where it can, and would fail
# if the step behind the claim were missing. The hardening tests ("10-full
# harden:") are attacks from inside that must fail: each would succeed on
# a bare namespace or on the host. The seccomp filter's are in
# tests/10-full-seccomp.bats.

load helpers
load container
load lang
bats_require_minimum_version 1.5.0

# Docker's default capabilities without CAP_MKNOD (harden.c).
CAPS=00000000a00425fb
# Root's data root: the containers' notes, layers and names (state.h).
DATA=/var/lib/lesson-container

setup_file() {
	netns_setup_file
	# A host file the chroot escape would read if it got out.
	export SECRET="host-secret-$$"
	export MARKER="$BATS_FILE_TMPDIR/marker"
	echo "$SECRET" >"$MARKER"
	snapshot_host
}

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	container_setup
}

# Every test leaves nothing of its containers behind (container.bash).
# A hog a failed test still holds gives back what it took first, and its
# run ends as runs end (hogging, below).
teardown() {
	[ -z "${hog_run:-}" ] || { exec 7>&-; wait "$hog_run" 2>/dev/null; }
	container_teardown
}

# The host PID of a running container's init (PID 1 inside), given the PID
# of `container`.
init_of() {
	child_of "$1"
}

# The cgroup directory of process $2 (a container's init) in the v1 tree
# of controller $1, or the v2 tree without $1: its own, from its
# /proc/PID/cgroup, never the first lesson-container-* of the machine
# (someone else's container, which may go at any moment).
cgroup_dir() {
	local path
	if [ -n "$1" ]; then
		path=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++)
			if (a[i] == c) { print $3; exit } }' "/proc/$2/cgroup")
		[[ "$path" == *lesson-container-* ]] && echo "/sys/fs/cgroup/$1$path"
	else
		path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$2/cgroup")
		[[ "$path" == *lesson-container-* ]] && echo "/sys/fs/cgroup$path"
	fi
}

# True when process $1's cgroup (controller $2, or v2) is a container's.
in_container_cgroup() {
	[ -n "$(cgroup_dir "$2" "$1")" ]
}

# Which C library the runtime is built with (10-full/Makefile, README
# "Which C library"): musl where musl-gcc is installed, unless LIBC (which
# `make test LIBC=glibc` passes on) says otherwise. Seen from the outside:
# glibc's start files give the binary its ABI note (.note.ABI-tag), and
# musl's do not.
@test "10-full: built with musl where musl-gcc is installed, else (or with LIBC=glibc) with glibc; build-info and the binary agree" {
	local want=glibc
	command -v musl-gcc >/dev/null && want=musl
	want=${LIBC:-$want}
	full_build
	[ "$FULL_LIBC" = "$want" ]
	run -0 readelf -n "$CONTAINER"
	if [ "$want" = musl ]; then
		[[ "$output" != *NT_GNU_ABI_TAG* ]]
		[[ "$FULL_CC" == musl-gcc* ]]
	else
		[[ "$output" == *NT_GNU_ABI_TAG* ]]
	fi
}

@test "10-full: the command is PID 1 inside and an ordinary PID on the host; SIGTERM to a PID 1 without a handler is dropped" {
	"$CONTAINER" run --rm "$RFS" sleep 1000 &
	prog=$!
	pid=$(init_of $prog)
	# NSpid: the PID in each namespace, the host's first.
	run grep NSpid /proc/$pid/status
	[[ "$output" =~ ^NSpid:[[:space:]]+$pid[[:space:]]+1$ ]]
	[ "$pid" -gt 1 ]
	# Once the sealed copy has exec'd it: PID 1 is sleep itself.
	wait_for eval '[ "$(cat /proc/$pid/comm)" = sleep ]'
	[ -z "$(cat /proc/$pid/task/*/children)" ]
	# The kernel drops a signal to its namespace's PID 1 that has no
	# handler for it, even from inside, as docker's sleep ignores it.
	run -0 "$CONTAINER" run --rm "$RFS" sh -c 'kill -TERM $$; echo still-here'
	[ "$output" = still-here ]
	# From the host only SIGKILL gets through.
	kill -KILL $pid
	wait_status $prog 137
}

@test "10-full: with --init, 03's init is PID 1 inside, the command PID 2, and SIGTERM to container ends it (143)" {
	"$CONTAINER" run --rm --init "$RFS" sleep 1000 &
	prog=$!
	init=$(init_of $prog)
	run grep NSpid /proc/$init/status
	[[ "$output" =~ ^NSpid:[[:space:]]+$init[[:space:]]+1$ ]]
	[ "$init" -gt 1 ]
	cmd=$(child_of $init)
	run grep NSpid /proc/$cmd/status
	[[ "$output" =~ [[:space:]]2$ ]] # the command: PID 2, under init
	# Once the init's vfork child has exec'd it (it is "container" until
	# then: seen under load).
	wait_for eval '[ "$(cat /proc/$cmd/comm)" = sleep ]'
	kill $prog
	wait_status $prog 143
}

@test "10-full: hostname: -h is used; by default the 12-digit short id" {
	run "$CONTAINER" run --rm -h box "$RFS" sh -c 'hostname; cat /etc/hostname'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = box ]
	[ "${lines[1]}" = box ]
	run "$CONTAINER" run --rm "$RFS" sh -c 'hostname; cat /etc/hostname; grep -c "$(hostname)" /etc/hosts'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^[0-9a-f]{12}$ ]]
	[ "${lines[1]}" = "${lines[0]}" ] # the init layer's /etc/hostname
	[ "${lines[2]}" = 1 ]		   # and /etc/hosts names it
	[ "$(hostname)" != "${lines[0]}" ]
}

@test "10-full: the network namespace holds only lo, and lo is up (seen from the host)" {
	"$CONTAINER" run --rm --init "$RFS" sleep 1000 &
	prog=$!
	init=$(init_of $prog)
	# Once the command runs, the child has brought lo up.
	descendant $prog sleep >/dev/null
	[ "$(readlink /proc/$init/ns/net)" != "$(readlink /proc/self/ns/net)" ]
	run nsenter -t "$init" -n ip -o link show
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *" lo: <LOOPBACK,UP,LOWER_UP>"* ]]
	kill $prog
	wait_status $prog 143
	# --net host: the host's interfaces.
	run "$CONTAINER" run --rm --net host "$RFS" ls /sys/class/net
	[ "$output" = "$(ls /sys/class/net)" ]
}

# The namespace is made by a thread of the runtime while the child,
# clone()d at once, makes its root; the child takes it over a socket
# before its /sys (netearly.c). strace makes each process's first
# unshare() fail: the thread's, then the child's, which makes the
# namespace itself when the thread could not. The run says why, exits
# 125, and the leak check after the test finds nothing left.
@test "10-full: the network namespace comes from a thread beside the child; if it cannot be made, the child tries itself and says why (strace)" {
	need_strace
	run -125 strace -f -qq -o /dev/null -e signal=none -e trace=unshare \
		-e inject=unshare:error=ENOMEM:when=1 \
		"$CONTAINER" run --rm "$RFS" true
	# ENOMEM in the words of the libc it was built with (full_build).
	[[ "$output" =~ ^"container: unshare(CLONE_NEWNET): "("Cannot allocate memory"|"Out of memory")$ ]]
	# Without the injection, the same run works: the control.
	run -0 strace -f -qq -o /dev/null -e signal=none -e trace=unshare \
		"$CONTAINER" run --rm "$RFS" true
}

# The child is clone()d at once, not after the thread: strace holds the
# thread's unshare() 1 s. The child mounts its layers, /dev and /proc
# meanwhile, and enters the namespace (handed over by the parent once the
# thread is done) after /proc and before /sys, whose interfaces are the
# mounter's network namespace's. (Its own first unshare(), of the cgroup
# namespace, is held 1 s too.)
@test "10-full: the child is clone()d before its network namespace exists, and enters it after /proc, before /sys (strace)" {
	need_strace
	run -0 strace -f -qq -ttt -o "$BATS_TEST_TMPDIR/st" -e signal=none \
		-e trace=execve,unshare,clone,setns,mount \
		-e inject=unshare:delay_enter=1000000:when=1 \
		"$CONTAINER" run --rm "$RFS" true
	cat "$BATS_TEST_TMPDIR/st"
	run -0 awk '
		NR == 1 { t0 = $2 }
		# strace splits the call when a call of another thread comes between:
		# "clone(... <unfinished ...>", "<... clone resumed>) = PID".
		/CLONE_NEWPID/ { clone = $2 - t0; parent = $1
		                 if ($NF ~ /^[0-9]+$/) child = $NF }
		$1 == parent && /<\.\.\. clone resumed>/ && !child { child = $NF }
		$1 == child && /mount\("proc"/ { proc = $2 - t0 }
		$1 == child && /setns\(.*CLONE_NEWNET\) = 0/ { net = $2 - t0 }
		$1 == child && /mount\("sysfs"/ { sys = $2 - t0 }
		END { print clone, proc, net, sys;
		      exit !(child && clone < 0.5 && proc < net && net >= 0.9 && net < sys) }
	' "$BATS_TEST_TMPDIR/st"
	echo "$output"
}

# An fd closed twice: the second close() hits whatever file got the number
# since (netearly.c hands the namespace's fd to its caller, who closes it;
# the end of a -d run closed that number again). The runtime's closes,
# in the foreground and through a supervisor, all find an open fd.
@test "10-full: the runtime never closes an fd number that is no longer its own (strace: no EBADF)" {
	need_strace
	local opt
	for opt in "" -d; do
		# -d: the supervisor is strace's tracee too, and strace
		# returns once it is gone.
		run -0 strace -f -qq -o "$BATS_TEST_TMPDIR/st" -e signal=none -e trace=close \
			"$CONTAINER" run $opt --rm "$RFS" true
		grep -c 'close(' "$BATS_TEST_TMPDIR/st" # the control: closes were traced
		run -1 grep EBADF "$BATS_TEST_TMPDIR/st"
	done
}

@test "10-full: environment: minimal, -e adds or overrides, -e KEY takes the host's, -w sets the directory" {
	export LESSON_SECRET=host-only LESSON_PASS=passed
	run "$CONTAINER" run --rm -e FOO=bar -e HOME=/tmp -e LESSON_PASS -w /tmp "$RFS" \
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
	run "$CONTAINER" run --rm -w /bin "$RFS" sh -c pwd
	[ "$output" = /usr/bin ]
	# A -w directory the image lacks is made, in the writable layer.
	run "$CONTAINER" run --rm -w /new/dir "$RFS" sh -c pwd
	[ "$output" = /new/dir ]
	[ ! -e "$RFS/new" ]
}

@test "10-full: -m 32M: a 64 MiB allocation is killed (137) and reported" {
	run -137 "$CONTAINER" run --rm -m 32M "$RFS" dd if=/dev/zero of=/dev/null bs=64M count=1
	[[ "$output" == *"container: the container ran out of memory (-m 32M)"* ]]
	# The same without the limit succeeds: the limit did it.
	run "$CONTAINER" run --rm "$RFS" dd if=/dev/zero of=/dev/null bs=64M count=1
	[ "$status" -eq 0 ]
}

@test "10-full: --pids-limit stops a fork bomb" {
	# 40 background sleeps would need 42 tasks; the limit allows 10.
	run "$CONTAINER" run --rm --pids-limit 10 "$RFS" sh -c \
		'for i in $(seq 40); do sleep 5 & done; echo all-started'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Cannot fork"* ]]
	[[ "$output" != *all-started* ]]
	run "$CONTAINER" run --rm "$RFS" sh -c \
		'for i in $(seq 40); do sleep 0.1 & done; wait; echo all-started'
	[ "$output" = all-started ]
}

@test "10-full: --cpus 0.25 throttles a busy loop to about a quarter CPU (cgroup counter over wall time)" {
	"$CONTAINER" run --rm --init --cpus 0.25 "$RFS" sh -c 'while :; do :; done' &
	prog=$!
	init=$(init_of $prog)
	# The cgroup's own CPU counter, in ns: v1 cpuacct.usage, v2 cpu.stat.
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		wait_for in_container_cgroup "$init"
		dir=$(cgroup_dir "" "$init")
		usage() { echo $(($(awk '$1 == "usage_usec" { print $2 }' "$dir/cpu.stat") * 1000)); }
	else
		wait_for in_container_cgroup "$init" cpuacct
		dir=$(cgroup_dir cpuacct "$init")
		usage() { cat "$dir/cpuacct.usage"; }
	fi
	[ -n "$dir" ]
	echo "# cgroup $(stat -f -c %T /sys/fs/cgroup): $dir" >&3
	u0=$(usage) t0=$(date +%s%N)
	sleep 1
	u1=$(usage) t1=$(date +%s%N)
	kill $prog
	wait_status $prog 143
	share=$(((u1 - u0) * 100 / (t1 - t0)))
	echo "used ${share}% of one CPU"
	# Wide tolerance: a busy loop alone would take ~100%.
	[ "$share" -ge 10 ]
	[ "$share" -le 40 ]
}

@test "10-full: the container runs on the CPUs it was started on: all the caller's, or those taskset gave" {
	# Right after clone() the runtime moves itself off its child's CPU
	# and back (cpuplace.c): the child's own CPU set is never touched.
	local host cpu
	host=$(grep '^Cpus_allowed_list:' /proc/self/status)
	run -0 "$CONTAINER" run --rm "$RFS" grep '^Cpus_allowed_list:' /proc/self/status
	[ "$output" = "$host" ]
	command -v taskset >/dev/null || skip "no taskset (util-linux)"
	cpu=${host##*[,-]} # the last CPU we may run on
	[ "$host" != "Cpus_allowed_list:	$cpu" ] || skip "one CPU only: nothing to narrow"
	run -0 taskset -c "$cpu" "$CONTAINER" run --rm "$RFS" grep '^Cpus_allowed_list:' /proc/self/status
	[ "$output" = "Cpus_allowed_list:	$cpu" ]
}

@test "10-full: the image directory is byte-for-byte unchanged after the container writes and deletes" {
	snapshot() {
		(cd "$RFS" && find . -printf '%p %y %m %U %G %s %T@ %l\n' | sort &&
			find . -type f -exec sha256sum {} + | sort) | sha256sum
	}
	before=$(snapshot)
	run "$CONTAINER" run --rm "$RFS" sh -c '
		echo new > /etc/new-file && echo changed >> /etc/passwd &&
		rm /etc/group && rm -r /mnt && mkdir /etc/dir && chmod 700 /etc &&
		ln -s /x /etc/link && cat /etc/new-file && ls /etc/group 2>&1'
	[ "$status" -ne 0 ] # ls of the deleted file fails: deletions took
	[[ "$output" == new* ]]
	[ "$(snapshot)" = "$before" ]
	[ -d "$RFS/mnt" ]
	[ -f "$RFS/etc/group" ]
	[ ! -e "$RFS/etc/new-file" ]
}

@test "10-full: -v: writes reach the host; :ro refuses them; a missing target is made" {
	vol="$BATS_TEST_TMPDIR/vol"
	mkdir "$vol" && echo from-host >"$vol/in"
	run "$CONTAINER" run --rm -v "$vol:/data" "$RFS" sh -c 'cat /data/in; echo from-container > /data/out'
	[ "$status" -eq 0 ]
	[ "$output" = from-host ]
	[ "$(cat "$vol/out")" = from-container ]
	run "$CONTAINER" run --rm -v "$vol:/mnt/deep/ro:ro" "$RFS" sh -c 'cat /mnt/deep/ro/in; touch /mnt/deep/ro/x'
	[ "$status" -ne 0 ]
	[[ "$output" == from-host*"Read-only file system"* ]]
	[ ! -e "$vol/x" ]
	[ ! -e "$RFS/mnt/deep" ] # the target was made in the writable layer
	# A file as a volume.
	run "$CONTAINER" run --rm -v "$vol/in:/etc/in-file" "$RFS" cat /etc/in-file
	[ "$output" = from-host ]
}

@test "10-full: --read-only: the root refuses writes; /dev/shm and volumes do not" {
	vol="$BATS_TEST_TMPDIR/vol"
	mkdir "$vol"
	run "$CONTAINER" run --rm --read-only -v "$vol:/data" "$RFS" sh -c \
		'touch /etc/x || echo root-refused; touch /data/x /dev/shm/x && echo others-ok'
	[[ "$output" == *"Read-only file system"*root-refused*others-ok ]]
	[ -e "$vol/x" ]
	run "$CONTAINER" run --rm "$RFS" sh -c 'touch /etc/x && echo writable'
	[ "$output" = writable ]
}

@test "10-full: exit status: 7 passes through, 127 not found, 126 not executable, 143 on SIGTERM (--init), 125 on a bad option" {
	run -7 "$CONTAINER" run --rm "$RFS" sh -c 'exit 7'
	run -127 "$CONTAINER" run --rm "$RFS" no-such-command
	[[ "$output" == *"container: exec no-such-command"* ]]
	run -126 "$CONTAINER" run --rm "$RFS" /etc/passwd
	run -143 "$CONTAINER" run --rm --init "$RFS" sh -c 'kill -TERM $$'
	run -125 "$CONTAINER" run --rm --no-such-option "$RFS" true
	[ "${lines[0]}" = "container: unknown option '--no-such-option'" ]
	[[ "$output" == *"container run --help"* ]]
	run -125 "$CONTAINER" frobnicate
	[[ "$output" == *"unknown verb 'frobnicate'"* ]]
	run "$CONTAINER" run --rm --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
}

@test "10-full: every verb that 'container --help' lists answers 'container VERB --help' with its usage on stdout and 0, as that help promises" {
	# A student found 12 of the 20 refusing it ("invalid option -- '-'"),
	# and 3 more printing it with 125.
	run "$CONTAINER" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"'container VERB --help' tells more."* ]]
	local verbs v n=0
	verbs=$(sed -n '/^Verbs:/,/^$/{s/^  \([a-z]*\) .*/\1/p}' <<<"$output")
	for v in $verbs; do
		run --separate-stderr "$CONTAINER" "$v" --help
		echo "$v: $status, ${lines[0]:-}, stderr: $stderr"
		[ "$status" -eq 0 ] && [ -z "$stderr" ]
		[[ "${lines[0]}" == "Usage: container $v"* ]]
		n=$((n + 1))
	done
	[ "$n" -ge 20 ]
}

@test "10-full: every verb refuses an option it does not take in the same two lines, with 125: what is wrong, and where its options are" {
	# They said it in six ways: getopt's "ps: invalid option -- 'z'"
	# (ps is no program of ours) and a usage, a usage alone, or no
	# word about the option.
	run "$CONTAINER" --help
	local verbs v n=0
	verbs=$(sed -n '/^Verbs:/,/^$/{s/^  \([a-z]*\) .*/\1/p}' <<<"$output")
	for v in $verbs; do
		run --separate-stderr "$CONTAINER" "$v" -Z x </dev/null
		echo "$v: $status, stdout: $output, stderr: $stderr"
		[ "$status" -eq 125 ] && [ -z "$output" ]
		[ "$stderr" = "container: unknown option '-Z'"$'\n'"See 'container $v --help'." ]
		n=$((n + 1))
	done
	[ "$n" -ge 20 ]
	# A long one, one without its value, one given a value it takes not.
	run -125 "$CONTAINER" logs --frob x
	[ "$output" = "container: unknown option '--frob'"$'\n'"See 'container logs --help'." ]
	run -125 "$CONTAINER" stop -t
	[ "$output" = "container: option '-t' needs a value"$'\n'"See 'container stop --help'." ]
	run -125 "$CONTAINER" save -o
	[ "$output" = "container: option '-o' needs a value"$'\n'"See 'container save --help'." ]
	run -125 "$CONTAINER" attach --no-stdin=1 x
	[ "$output" = "container: option '--no-stdin' takes no value"$'\n'"See 'container attach --help'." ]
	run -125 "$CONTAINER" ps -aqZ
	[ "$output" = "container: unknown option '-Z'"$'\n'"See 'container ps --help'." ]
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
--cpus 1 --cpu-quota 50000 $RFS true|give --cpus or --cpu-quota, not both
--net overlay $RFS true|--net overlay: use none, host or bridge
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
--cpu-quota 999 $RFS true|--cpu-quota '999': the kernel takes 1000 to
--cpu-period 999 --cpus 1 $RFS true|--cpu-period '999': the kernel takes 1000 to 1000000
--cpu-period 50000 $RFS true|--cpu-period alone limits nothing
--pids-limit 1 $RFS true|--pids-limit '1': give at least 2
--pids-limit 99999999 $RFS true|--pids-limit '99999999': the kernel takes at most
-m 1 $RFS true|--memory '1': the smallest limit is 6M
-m 4096 $RFS true|--memory '4096': the smallest limit is 6M
-m 100K $RFS true|--memory '100K': the smallest limit is 6M
--rm=1 $RFS true|option '--rm' takes no value
--read-only=yes $RFS true|option '--read-only' takes no value
--userns=1 $RFS true|option '--userns' takes no value
--help=x $RFS true|option '--help' takes no value
--tty=1 $RFS true|option '--tty' takes no value
--cpu 1 $RFS true|unknown option '--cpu' (did you mean --cpus, --cpu-quota, --cpu-period?)
--mem 64M $RFS true|unknown option '--mem' (did you mean --memory?)
/proc true|ROOTFS '/proc' is on proc, the kernel's own view
-w /proc/x $RFS true|-w /proc/x: /proc is mounted afresh by the runtime
-w /dev/shm/x $RFS true|-w /dev/shm/x: /dev is mounted afresh by the runtime
-w /sys/x $RFS true|-w /sys/x: /sys is mounted afresh by the runtime
-w /etc/passwd $RFS true|-w /etc/passwd: /etc/passwd is not a directory in the image
-v $BATS_TEST_TMPDIR/file:/etc $RFS true|/etc is a directory in the image, the source a file
-v $BATS_TEST_TMPDIR:/etc/passwd $RFS true|/etc/passwd is a file in the image, the source a directory
-v $BATS_TEST_TMPDIR:/fifo $BATS_TEST_TMPDIR/badroot true|/fifo in the image is neither a file nor a directory
-m|missing value for option '-m'
--memory|missing value for option '--memory'
-it -u|missing value for option '-u'
EOF
}

# A rootfs with a link that climbs out (up) and one that stays in (abs).
make_bad_root() {
	mkdir -p "$BATS_TEST_TMPDIR/badroot/etc"
	ln -s ../../../.. "$BATS_TEST_TMPDIR/badroot/up"
	ln -s /etc "$BATS_TEST_TMPDIR/badroot/abs"
	mkfifo "$BATS_TEST_TMPDIR/badroot/fifo"
	echo file >"$BATS_TEST_TMPDIR/file"
}

@test "10-full: bad input exits 125 with one clear line" {
	make_bad_root
	while IFS='|' read -r args want; do
		eval "set -- $args"
		run -125 "$CONTAINER" run --rm "$@"
		echo "$args -> ${lines[0]}" # shown if the test fails
		[[ "${lines[0]}" == "container: "*"$want"* ]]
	done < <(bad_inputs)
	# An absolute symlink is the container's, not the host's: /abs/x is
	# /etc/x inside badroot, which is fine: it runs (and finds no true).
	run -127 "$CONTAINER" run --rm -w /abs/x "$BATS_TEST_TMPDIR/badroot" true
	[[ "$output" == "container: exec true"* ]]
}

@test "10-full: bad input is refused before anything is created (strace: no mkdir, no clone)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	make_bad_root
	while IFS='|' read -r args want; do
		eval "set -- $args"
		run -125 strace -f -qq -e trace=mkdir,mkdirat,clone,clone3 \
			-o "$BATS_TEST_TMPDIR/trace" "$CONTAINER" run --rm "$@"
		run grep -E 'mkdir|clone' "$BATS_TEST_TMPDIR/trace"
		echo "$args: $output" # shown if the test fails
		[ "$status" -eq 1 ] # the trace was read, and not one
	done < <(bad_inputs)
	# The control: the same trace of a good run shows both.
	strace -f -qq -e trace=mkdir,mkdirat,clone,clone3 \
		-o "$BATS_TEST_TMPDIR/trace" "$CONTAINER" run --rm "$RFS" true
	grep -q 'mkdir' "$BATS_TEST_TMPDIR/trace"
	grep -q 'clone' "$BATS_TEST_TMPDIR/trace"
}

@test "10-full: rootless (uid 65534, via setpriv): a user namespace makes it work; limits are refused by name" {
	# nobody's data root is this run's own (helpers.bash), not the
	# /var/tmp one every checkout's tests on the machine would share.
	as_nobody=("${AS_NOBODY[@]}")
	# The runtime and the image, where nobody can reach them.
	container=$(for_nobody "$CONTAINER") && rfs=$(for_nobody "$RFS")
	# Not under $BATS_TEST_TMPDIR: nobody may not enter it.
	vol=$(mktemp -d /tmp/container-test-vol.XXXXXX)
	chown 65534:65534 "$vol"
	run "${as_nobody[@]}" "$container" run --rm -v "$vol:/data" "$rfs" sh -c \
		'id -u; cat /proc/self/uid_map; hostname; echo hi > /data/f'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ] # root inside...
	read -r inside outside count <<<"${lines[1]}"
	[ "$inside $outside $count" = "0 65534 1" ] # ...nobody outside
	[[ "${lines[2]}" =~ ^[0-9a-f]{12}$ ]]
	[ "$(stat -c %u "$vol/f")" = 65534 ]
	rm -rf "$vol"
	run -125 "${as_nobody[@]}" "$container" run --rm -m 32M --pids-limit 5 "$rfs" true
	[[ "$output" == *"--memory, --pids-limit need root or a delegated cgroup"* ]]
	# One id mapped, root: no other user inside to become.
	run -125 "${as_nobody[@]}" "$container" run --rm -u 1000 "$rfs" true
	[[ "$output" == *"a rootless container has only root inside"* ]]
	run -0 "${as_nobody[@]}" "$container" run --rm -u root "$rfs" id -u
	[ "$output" = 0 ]
}

@test "10-full: -t: a pty of the container's own, its own session; our terminal is restored" {
	command -v script >/dev/null || skip "script(1) is not installed (bsdutils)"
	d=$BATS_TEST_TMPDIR
	# script(1) gives the runtime a terminal, as a user's shell would.
	# Its stdin is a pipe that stays open: at end of input script types
	# an end-of-file character on the terminal (a NUL when its own stdin
	# is no terminal), which the container would echo as "^@".
	mkfifo "$d/keys"
	exec 4<>"$d/keys"
	run script -qec "stty -g > $d/before; $CONTAINER run --rm -t $RFS sh -c '
		readlink /proc/self/fd/0; ls /dev/pts; read -r p c s pp pg sid rest < /proc/self/stat
		echo sid=\$sid; echo \$TERM; exit 5'; echo rc=\$?; stty -g > $d/after" /dev/null <"$d/keys"
	exec 4>&-
	echo "$output"
	[[ "${lines[0]}" == /dev/pts/0* ]] # the container's devpts, not ours
	[[ "${lines[1]}" == "0  ptmx"* ]]
	[[ "${lines[2]}" == sid=1* ]] # its init leads the session
	[[ "${lines[3]}" != $'\r' ]] # TERM is set
	[[ "$output" == *rc=5* ]]
	cmp "$d/before" "$d/after" # raw mode undone
}

@test "10-full: --userns as root: root inside is a host uid of the pool (from 0x60000000), not 100000" {
	"$CONTAINER" run --rm --init --userns "$RFS" sh -c 'sleep 1000' &
	prog=$!
	init=$(init_of $prog)
	cmd=$(child_of "$init")
	# 0 inside is FIRST outside, 65536 ids: a range of the pool
	# (10-full/userns.c), not the first user's /etc/subuid range.
	run cat /proc/$cmd/uid_map
	[[ "$output" =~ ^[[:space:]]+0[[:space:]]+([0-9]+)[[:space:]]+65536$ ]]
	first=${BASH_REMATCH[1]}
	[ "$first" -ge 1610612736 ] && [ "$first" -lt 1879048192 ]
	[ $((first % 65536)) -eq 0 ]
	# The host's view: the command's real, effective, saved and fs uids.
	run awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/$cmd/status
	[ "$output" = "$first $first $first $first" ]
	kill $prog
	wait_status $prog 143
}

@test "10-full: --userns as root: an image only root can reach still works" {
	# A checkout in a home dir of mode 0700: the container's root is
	# a host uid of the pool (userns.c), which may not walk there. On
	# the disk, as a home is (a tmpfs /tmp cannot be idmapped before
	# Linux 6.3; teardown removes it).
	home=$(mktemp -d /var/tmp/container-test-home.XXXXXX)
	cp -a "$RFS" "$home/rootfs"
	# The control: the pool's first uid cannot reach the image's shell.
	run -1 setpriv --reuid=1610612736 --regid=1610612736 --clear-groups \
		test -x "$home/rootfs/bin/sh"
	# The runtime opens the image as root and hands the mount over.
	run "$CONTAINER" run --rm --userns "$home/rootfs" sh -c \
		'id -u; cat /proc/self/uid_map; ls /bin/sh'
	# The control: the dir must be one this kernel can idmap (the run
	# says so, and runs).
	[[ "$output" != *"the image cannot be idmapped"* ]] ||
		skip "this kernel cannot idmap the file system of $home"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^[[:space:]]+0[[:space:]]+[0-9]+[[:space:]]+65536$ ]]
	[ "${lines[2]}" = /bin/sh ]
}

@test "10-full: host processes can be neither seen nor signalled from inside" {
	sleep 30 &
	victim=$!
	run "$CONTAINER" run --rm "$RFS" sh -c "ls /proc/$victim 2>&1; kill -0 $victim 2>&1; kill -9 $victim 2>&1"
	[[ "$output" == *"No such file or directory"* ]]
	[[ "$output" == *"No such process"* ]]
	kill -0 $victim # still alive
	kill $victim
	wait $victim || true
}

@test "10-full: SIGTERM to container reaches the command, and everything is removed" {
	"$CONTAINER" run --rm "$RFS" sh -c 'trap "echo got-term; exit 3" TERM; sleep 10 & wait' >"$BATS_TEST_TMPDIR/out" &
	prog=$!
	# The shell is PID 1: a handler of its own lets SIGTERM in.
	sh=$(init_of $prog)
	# Its trap is set once it has started its sleep.
	child_of "$sh" >/dev/null
	kill -TERM $prog
	wait_status $prog 3
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = got-term ]
}

# Starts `container run -m 64M ROOTFS sleep 30` in the background: prog
# is the runtime, init the container's PID 1, id its id, dir its state dir.
start_sleeper() {
	"$CONTAINER" run --rm --init -m 64M "$RFS" sleep 30 &
	prog=$!
	init=$(init_of $prog)
	wait_for test -n "$(child_of "$init")"
	id=$(grep -o -m1 'lesson-container-[0-9a-f]*' /proc/$init/cgroup)
	id=${id##*-}
	dir=$DATA/containers/$id
}

@test "10-full: what kill -9 of container leaves, the next run removes" {
	start_sleeper
	kill -KILL $prog
	wait $prog || true
	# The container died with it (PR_SET_PDEATHSIG), its mounts with
	# its namespace; its note, its dir (the writable layer, on disk)
	# and cgroups are still there.
	wait_for test ! -e /proc/$init
	[ -f "$dir.owner" ]
	[ -d "$dir/upper" ]
	[ -n "$(find /sys/fs/cgroup -maxdepth 4 -type d -name "lesson-container-$id")" ]
	run "$CONTAINER" run --rm "$RFS" true
	[ "$status" -eq 0 ]
	[ "$output" = "container: removed what container $id left behind (its runtime, PID $prog, was killed)" ]
	[ ! -e "$dir" ]
	[ ! -e "$dir.owner" ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -type d -name "lesson-container-$id")" ]
}

@test "10-full: the sweep leaves a running container (and other PID namespaces) alone, and is not fooled by a reused PID" {
	start_sleeper
	# Notes as a killed runtime leaves them: the same PID (alive), but
	# the start time of another process; a dir with no note yet; and a
	# note from another PID namespace, whose PIDs we cannot look up.
	c=$DATA/containers
	mkdir -m 700 $c/00000000dead $c/0000000000e0 $c/0000000000f0
	ns=$(stat -L -c %i /proc/self/ns/pid)
	boot=$(cat /proc/sys/kernel/random/boot_id)
	printf 'pid %s\nstart 1\npidns %s\nboot %s\n' $prog $ns $boot >$c/00000000dead.owner
	printf 'pid %s\nstart 1\npidns %s\nboot %s\n' $prog $((ns + 1)) $boot >$c/0000000000f0.owner
	run "$CONTAINER" run --rm "$RFS" true
	[ "$status" -eq 0 ]
	[ "$output" = "container: removed what container 00000000dead left behind (its runtime, PID $prog, was killed)" ]
	[ ! -e $c/00000000dead ]
	[ ! -e $c/00000000dead.owner ]
	rmdir $c/0000000000e0 # no note: left alone
	rm -r $c/0000000000f0* # another namespace: too
	# The running one: its note names a live owner; all of it stays.
	[ -f "$dir.owner" ]
	[ -d "$dir/upper" ]
	[ -n "$(find /sys/fs/cgroup -maxdepth 4 -type d -name "lesson-container-$id")" ]
	[ "$(cat /proc/$init/comm)" = container ]
	kill -TERM $prog
	wait_status $prog 143
}

@test "10-full harden: /proc/self/status: Docker's capabilities minus MKNOD, NoNewPrivs, Seccomp" {
	run "$CONTAINER" run --rm "$RFS" sh -c \
		'grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\t%s\n' CapInh: 0000000000000000 \
		CapPrm: $CAPS CapEff: $CAPS CapBnd: $CAPS \
		CapAmb: 0000000000000000 NoNewPrivs: 1 Seccomp: 2)" ]
	# The control: root on the host has more (at least CAP_SYS_ADMIN).
	[ "$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)" != $CAPS ]
}

@test "10-full harden: -u runs the command as that user of the image, with no capability at all; a name it does not know is refused" {
	run -0 "$CONTAINER" run --rm -u nobody "$RFS" sh -c \
		'id -u; id -g; id -G; echo $HOME; grep -E "^Cap(Prm|Eff|Amb):" /proc/self/status
		touch /x 2>/dev/null || echo denied'
	[ "$(echo ${lines[@]:0:4})" = "65534 65534 65534 /nonexistent" ]
	[ "$(printf '%s\n' "${lines[@]:4:3}" | awk '{ print $2 }' | sort -u)" = 0000000000000000 ]
	# Its uid is the file system's word too: root's / does not let it in.
	[ "${lines[7]}" = denied ]
	run -0 "$CONTAINER" run --rm -u 1000:nogroup "$RFS" sh -c 'id -u; id -g; echo $HOME'
	[ "$(echo $output)" = "1000 65534 /" ]
	# Seen from the host: the command's process is that uid, not root.
	"$CONTAINER" run --rm --init -u 1000 "$RFS" sleep 100 &
	prog=$!
	pid=$(descendant $prog sleep)
	[ "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" = 1000 ]
	kill $prog
	wait $prog || true
	run -125 "$CONTAINER" run --rm -u ghost "$RFS" true
	[[ "$output" == *"no user 'ghost' in the image's /etc/passwd"* ]]
}

# The image is the attacker's: -u reads its /etc/passwd and /etc/group
# as root in the init, before the command. A FIFO there blocked the open
# and /dev/zero was read forever; the init is PID 1 of its namespace, so
# run's SIGTERM did not end it (timeout -k: without the fix, this fails
# instead of hanging).
@test "10-full harden: an image whose /etc/passwd is a FIFO, or /etc/group a link to /dev/zero, cannot hang -u: 125 and one line; numbers need neither" {
	C=("$CONTAINER" --root "$BATS_TEST_TMPDIR/root")
	"${C[@]}" run --name mk "$RFS" sh -c \
		'rm /etc/passwd /etc/group && mknod /etc/passwd p && ln -s /dev/zero /etc/group'
	"${C[@]}" commit mk pw >/dev/null
	run -125 timeout -k 5 20 "${C[@]}" run --rm -u nobody pw true
	[ "$output" = "container: -u nobody: the image's /etc/passwd is not a regular file of at most 4 MiB: fix the image, or give -u numbers" ]
	run -125 timeout -k 5 20 "${C[@]}" run --rm -u 1000:wheel pw true
	[ "$output" = "container: -u 1000:wheel: the image's /etc/group is not a regular file of at most 4 MiB: fix the image, or give -u numbers" ]
	run -0 timeout -k 5 20 "${C[@]}" run --rm -u 1000:1000 pw sh -c 'id -u; id -g'
	[ "$(echo $output)" = "1000 1000" ]
	"${C[@]}" rm mk >/dev/null
	"${C[@]}" rmi pw >/dev/null
}

@test "10-full harden: the host's view of the command agrees (from the outside)" {
	"$CONTAINER" run --rm --init "$RFS" sleep 1000 &
	prog=$!
	pid=$(descendant $prog sleep)
	grep -q "^CapBnd:	$CAPS$" /proc/$pid/status
	grep -q "^CapEff:	$CAPS$" /proc/$pid/status
	grep -q "^NoNewPrivs:	1$" /proc/$pid/status
	grep -q "^Seccomp:	2$" /proc/$pid/status
	# Its mounts: /sys and every cgroup hierarchy under it, /proc/sys
	# and the other /proc controls, read-only.
	mi=/proc/$pid/mountinfo
	awk '$5 == "/sys" || $5 ~ "^/sys/fs/cgroup" || $5 ~ "^/proc/(sys|irq|bus|fs|sysrq-trigger)$" { print $5, $6 }' $mi >"$BATS_TEST_TMPDIR/ro"
	grep -q '^/sys ro,' "$BATS_TEST_TMPDIR/ro"
	grep -q '^/proc/sys ro,' "$BATS_TEST_TMPDIR/ro"
	run grep -v ' ro,' "$BATS_TEST_TMPDIR/ro"
	[ -z "$output" ]
	kill $prog
	wait $prog || true
}

@test "10-full harden: mount, mknod, unshare -U/-n/-m and swapoff fail inside" {
	run "$CONTAINER" run --rm "$RFS" mount -t tmpfs none /mnt
	[ "$status" -ne 0 ]
	[[ "$output" == *"permission denied"* ]]
	# Docker keeps CAP_MKNOD; we do not (harden.c says why).
	run "$CONTAINER" run --rm "$RFS" mknod /tmp/sda b 8 0
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	# A user namespace needs no capability at all: only seccomp stops
	# unshare -U. The control: nobody on the host may make one.
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U true
	for ns in -U -n -m; do
		run "$CONTAINER" run --rm "$RFS" unshare $ns true
		[ "$status" -ne 0 ]
		[[ "$output" == *"unshare failed: Operation not permitted"* ]]
	done
	# swapoff(8) says EPERM its own way.
	run "$CONTAINER" run --rm "$RFS" swapoff /dev/null
	[ "$status" -ne 0 ]
	[[ "$output" == *"Not superuser"* ]]
}

@test "10-full harden: /proc: kcore, keys and timer_list read empty; sysrq-trigger and /proc/sys refuse writes" {
	run "$CONTAINER" run --rm "$RFS" sh -c \
		'for f in kcore keys timer_list; do
			[ -e /proc/$f ] && echo "$f $(cat /proc/$f | wc -c) $(stat -c %t:%T /proc/$f)"
		done'
	[ "$status" -eq 0 ]
	# As many as this kernel has, and each one empty: /dev/null (1:3)
	# bound over it (kcore would read empty anyway: it needs
	# CAP_SYS_RAWIO, which the container does not have).
	expected=$(for f in kcore keys timer_list; do
		[ -e /proc/$f ] && echo "$f 0 1:3"; done)
	[ "$output" = "$expected" ]
	# The control: on the host they are not empty.
	[ "$(cat /proc/keys /proc/timer_list | wc -c)" -gt 0 ]

	# Writing back the value it has: harmless if the defence failed.
	run "$CONTAINER" run --rm "$RFS" sh -c \
		'cat /proc/sys/kernel/printk_ratelimit > /proc/sys/kernel/printk_ratelimit'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ -w /proc/sys/kernel/printk_ratelimit ] # root may, on the host

	if [ -e /proc/sysrq-trigger ]; then
		# 'h' only prints help to the kernel log.
		run "$CONTAINER" run --rm "$RFS" sh -c 'echo h > /proc/sysrq-trigger'
		[ "$status" -ne 0 ]
		[[ "$output" == *"Read-only file system"* ]]
	fi
}

# hogging WHAT N [run options...]: a container runs tests/10-full-hog.c's
# WHAT N and holds what it took until the test ends (the fifo closes).
# Sets hogged to its line ("ptys 1024 ENOSPC"). Returns once it is there.
hogging() {
	local what=$1 n=$2
	shift 2
	hogs=$(hog_dir) || return 1
	rm -f "$BATS_TEST_TMPDIR/hold" "$BATS_TEST_TMPDIR/hogged"
	mkfifo "$BATS_TEST_TMPDIR/hold"
	"$CONTAINER" run --rm -i "$@" -v "$hogs:/t:ro" "$RFS" \
		/t/hog "$what" "$n" <"$BATS_TEST_TMPDIR/hold" >"$BATS_TEST_TMPDIR/hogged" &
	hog_run=$!
	exec 7>"$BATS_TEST_TMPDIR/hold"
	wait_long has_lines "$BATS_TEST_TMPDIR/hogged" 1 || ! kill -0 "$hog_run" 2>/dev/null
	hogged=$(cat "$BATS_TEST_TMPDIR/hogged")
	echo "inside: $hogged"
}

# The end of hogging: the container gives it all back; its status.
hog_done() {
	exec 7>&-
	wait "$hog_run"
}

@test "10-full harden: a container takes a share, not all, of what the kernel lends host root per user: ptys, queued signals, message-queue bytes" {
	# A hostile tester's container took all of each (it is the host's
	# uid 0, or charged to it with --userns): every other container's
	# -t failed (ENOSPC), and the host's root got EAGAIN from
	# timer_create() and sigqueue(), EMFILE from mq_open().
	for mode in root --userns; do
		opt=()
		[ $mode = root ] || opt=(--userns)
		# ptys: all devpts but the host's share 3072 (pty.max less
		# pty.reserve); a container's own holds 1024 at most.
		hogging ptys 1100 "${opt[@]}"
		if [[ "$hogged" == *" EMFILE" ]]; then
			# Each pty is an fd: the control.
			echo "# ptys: the container may hold fewer than 1024 fds here: not tried" >&3
		else
			# (Fewer where other containers hold ptys of the 3072.)
			[[ "$hogged" == "ptys "*" ENOSPC" ]]
			[ "$(cut -d' ' -f2 <<<"$hogged")" -le 1024 ]
		fi
		run "$CONTAINER" run --rm "${opt[@]}" "$RFS" sh -c 'exec 3<>/dev/ptmx && echo another'
		[ "$output" = another ]
		hog_done
		# Queued signals: 4096 inside; the host's root still queues.
		hogging sigq 200000 "${opt[@]}"
		# (The count is root's in all: what others hold meanwhile,
		# the container does not get.)
		[[ "$hogged" == "sigq "*" EAGAIN" ]]
		[ "$(cut -d' ' -f2 <<<"$hogged")" -le 4096 ]
		run "$hogs/hog" sigq 100 </dev/null
		[ "$output" = "sigq 100 ok" ]
		hog_done
		# Message queues: 256 KiB inside, three of 8 x 8 KiB and
		# their bookkeeping; the host's root still makes its own.
		hogging mq 40 "${opt[@]}"
		[[ "$hogged" == "mq "[0123]" EMFILE" ]]
		run "$hogs/hog" mq 5 </dev/null
		[ "$output" = "mq 5 ok" ]
		hog_done
	done
}

@test "10-full harden: -m bounds the kernel's TCP buffers of a container's sockets too (cgroup v1: memory.kmem.tcp)" {
	# 40 connections to itself, each written until it takes no more,
	# never read: under -m 32M a hostile tester's container held 600
	# MiB this way on cgroup v1, which counts TCP buffers only under a
	# limit of their own (v2 counts them in memory.max).
	hogging tcp 40 -m 32M
	status=0
	hog_done || status=$?
	echo "status $status"
	# Killed by the OOM killer (v2, where they count as memory), or
	# stopped near the limit: each socket keeps the kernel's minimum.
	[ "$status" -eq 137 ] || { [ "${hogged%% *}" = tcp ] && [ "$(cut -d' ' -f2 <<<"$hogged")" -le 64 ]; }
}

@test "10-full harden: neither /dev/null nor a masked /proc file lets root inside change the host's /dev/null" {
	# What the kernel masks here: /proc/keys and timer_list, where they
	# exist (the control: on the host they do).
	files=$(for f in keys timer_list; do [ -e /proc/$f ] && printf '/proc/%s ' $f; done)
	[ -n "$files" ] || skip "this kernel has neither /proc/keys nor /proc/timer_list"
	before=$(stat -c '%a %u %g %y %z' /dev/null)
	for mode in root --userns; do
		opt=()
		[ $mode = root ] || opt=(--userns)
		# The attack a hostile tester made: root inside (CAP_FOWNER)
		# changes the bound inode, the host's. chmod to the mode it
		# has, and touch: harmless had the defence failed.
		run "$CONTAINER" run --rm "${opt[@]}" "$RFS" sh -c "
			for f in $files; do
				chmod 666 \$f && echo chmod-done
				touch \$f && echo touch-done
				echo x > \$f && echo still-discards
			done
			chmod 666 /dev/null && echo dev-null-chmod
			touch /dev/null && echo dev-null-touch || :"
		echo "$mode: $output"
		[ "$status" -eq 0 ]
		[[ "$output" != *-done* ]]
		[[ "$output" == *"changing permissions of '/proc/"*"': Read-only file system"* ]]
		[ "$(grep -c still-discards <<<"$output")" = "$(wc -w <<<"$files")" ]
		# /dev/null itself: as root the container's own node (devfs.c),
		# which it may change; with --userns the host's, bound
		# read-only (its root does not own it either).
		if [ $mode = root ]; then
			[[ "$output" == *dev-null-chmod*dev-null-touch* ]]
		else
			# Bound read-only: not even its times (devfs.c).
			[[ "$output" == *"changing permissions of '/dev/null': Read-only file system"* ]]
			[[ "$output" == *"setting times of '/dev/null': Read-only file system"* ]]
		fi
	done
	# The host's /dev/null: the same mode, owner, times.
	[ "$(stat -c '%a %u %g %y %z' /dev/null)" = "$before" ]
}

@test "10-full harden: /sys and /sys/fs/cgroup are read-only: the container cannot lift its own limit" {
	run "$CONTAINER" run --rm "$RFS" touch /sys/kernel/h6a
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	# Its own pids.max, seen through the cgroup namespace: writable to
	# root, were it not mounted read-only.
	run "$CONTAINER" run --rm --pids-limit 50 "$RFS" sh -c '
		for f in /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max; do
			[ -e $f ] || continue
			cat $f; echo max > $f; cat $f
		done
		mkdir /sys/fs/cgroup/pids/h6a || mkdir /sys/fs/cgroup/h6a'
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = 50 ]
	[[ "${lines[1]}" == *"Read-only file system"* ]]
	[ "${lines[2]}" = 50 ]
	[[ "$output" == *"mkdir: cannot create directory"*"Read-only file system"* ]]
}

@test "10-full harden: /dev holds only the minimal nodes (made as root, bound from the host's with --userns), with its own ptys" {
	for mode in root --userns; do
		opt=()
		[ $mode = root ] || opt=(--userns)
		run "$CONTAINER" run --rm "${opt[@]}" "$RFS" ls -A /dev
		[ "$status" -eq 0 ]
		[ "$(echo $output)" = "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero" ]
		run "$CONTAINER" run --rm "${opt[@]}" "$RFS" sh -c \
			'stat -c "%n %F %t:%T %a" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty
			readlink /dev/ptmx /dev/fd /dev/stdin /dev/stdout /dev/stderr
			ls /dev/pts
			head -c 3 /dev/zero | wc -c
			echo gone > /dev/null && echo written
			grep -c " /dev/null " /proc/self/mountinfo
			grep " /dev " /proc/self/mountinfo | { read -r a b c d e f rest; echo $f; }'
		echo "$mode: $output"
		[ "$status" -eq 0 ]
		[ "${lines[*]:0:14}" = "/dev/null character special file 1:3 666 /dev/zero character special file 1:5 666 /dev/full character special file 1:7 666 /dev/random character special file 1:8 666 /dev/urandom character special file 1:9 666 /dev/tty character special file 5:0 666 pts/ptmx /proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2 ptmx 3 written" ]
		if [ $mode = root ]; then
			# Made in /dev with mknod (devfs.c): no mount each,
			# and /dev is not nodev, so that they open.
			[ "${lines[14]}" = 0 ]
			[ "${lines[15]}" = rw,nosuid,noexec,relatime ]
		else
			# Where mknod is refused: the host's, bound, on a
			# nodev tmpfs.
			[ "${lines[14]}" = 1 ]
			[ "${lines[15]}" = rw,nosuid,nodev,noexec,relatime ]
		fi
	done
	# /dev opens device nodes as root: that none but the six can ever
	# be there is CAP_MKNOD's absence (harden.c). The attack: make one.
	run "$CONTAINER" run --rm "$RFS" mknod /dev/sda b 8 0
	[ "$status" -ne 0 ]
	[[ "$output" == *"/dev/sda: Operation not permitted"* ]]
}

@test "10-full harden: a device node that the image or a volume brings cannot be opened" {
	# Without CAP_MKNOD no node can be made inside; but an image unpacked
	# by root, or a volume, can carry one. /dev/null's numbers (1:3)
	# keep the attack harmless; b 8 0 would be the host's first disk.
	img="$BATS_TEST_TMPDIR/image"
	cp -al "$RFS/." "$img" 2>/dev/null || cp -a "$RFS/." "$img"
	mknod "$img/image-null" c 1 3
	mkdir "$BATS_TEST_TMPDIR/vol"
	mknod "$BATS_TEST_TMPDIR/vol/vol-null" c 1 3
	# The control: on the host both open.
	echo x >"$img/image-null"
	echo x >"$BATS_TEST_TMPDIR/vol/vol-null"
	run "$CONTAINER" run --rm -v "$BATS_TEST_TMPDIR/vol:/mnt" "$img" sh -c \
		'echo x > /image-null; echo x > /mnt/vol-null; echo x > /dev/null && echo dev-null-opens
		mv /mnt/vol-null /image-null /dev/ || echo not-moved; ls /dev | grep -c null'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "sh: 1: cannot create /image-null: Permission denied" ]
	[ "${lines[1]}" = "sh: 1: cannot create /mnt/vol-null: Permission denied" ]
	[ "${lines[2]}" = dev-null-opens ]
	# Nor can one be moved into /dev, where nodes open (as root): across
	# mounts mv must make a new node, which needs CAP_MKNOD.
	[[ "${lines[3]}" == *"/dev/vol-null"*"Operation not permitted"* ]]
	[[ "${lines[4]}" == *"/dev/image-null"*"Operation not permitted"* ]]
	[ "${lines[5]}" = not-moved ]
	[ "${lines[6]}" = 1 ]
}

@test "10-full harden: no file descriptor beyond 0-2 leaks in" {
	exec 5</etc/hostname 9</etc/hostname
	# The control: an ordinary child sees them (and bats' own).
	run sh -c 'ls /proc/$$/fd'
	[[ "$(echo $output)" == *5*9* ]]
	run "$CONTAINER" run --rm "$RFS" sh -c 'ls /proc/$$/fd'
	exec 5<&- 9<&-
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "0 1 2" ]
}

@test "10-full harden: the chroot escape from 08 stays inside" {
	run "$CONTAINER" run --rm "$RFS" chroot-escape cat "$MARKER"
	[ "$status" -eq 1 ] # cat's: no such file
	[[ "$output" == *"climbed 0 levels"* ]]
	[[ "$output" != *"$SECRET"* ]]
}

@test "10-full harden: under --userns the same limits hold" {
	run "$CONTAINER" run --rm --userns "$RFS" sh -c \
		'grep -E "^(CapBnd|CapEff|NoNewPrivs|Seccomp):" /proc/self/status
		unshare -U true; ls -A /dev | wc -l'
	[ "$(echo $output)" = "CapEff: $CAPS CapBnd: $CAPS NoNewPrivs: 1 Seccomp: 2 unshare: unshare failed: Operation not permitted 14" ]
}

@test "10-full harden: exit status comes back through the hardening (7, 127, 125)" {
	run "$CONTAINER" run --rm "$RFS" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 "$CONTAINER" run --rm "$RFS" no-such-command-here
	run -125 "$CONTAINER" run --rm --no-such-option "$RFS" true
	[[ "$output" == *--help* ]]
}

@test "10-full: on a cgroup2 tree the v2 path joins a cgroup of its own, shows it read-only, removes it" {
	# This host may be v1 or hybrid: a private mount namespace with the
	# host's cgroup2 hierarchy at /sys/fs/cgroup makes it look like v2.
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$v2" ] || skip "no cgroup2 hierarchy on this host"
	run unshare -m --propagation private sh -c '
		if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
			umount -l /sys/fs/cgroup &&
				mount -t cgroup2 none /sys/fs/cgroup || exit 99
		fi
		"$0" run --rm "$1" sh -c "echo id=\$(hostname)
			cat /proc/self/cgroup
			# cgroup.kill exists in every cgroup but the root
			test -e /sys/fs/cgroup/cgroup.kill && echo own-cgroup
			touch /sys/fs/cgroup/x"' "$CONTAINER" "$RFS"
	echo "$output"
	[ "$status" -eq 1 ] # touch failed, nothing else did
	[[ "$output" == *"0::/"* ]]
	[[ "$output" == *own-cgroup* ]]
	[[ "$output" == *"Read-only file system"* ]]
	# Its cgroup is gone (by its id, the default hostname: the other
	# files' containers may have theirs there meanwhile).
	local id
	id=$(sed -n 's/^id=\([0-9a-f]\{12\}\)$/\1/p' <<<"$output")
	[ -n "$id" ]
	[ -d "$v2" ] && [ ! -e "$v2/lesson-container-$id" ]
}

@test "10-full: leaves nothing behind on the host" {
	assert_no_leaks
}

# --- the runtime killed or signalled during start (issue 8, items 1 and 3;
# helpers.bash, "faults during start", says how strace sets the instant)

# A Ctrl-C during start was held by `container run`, then discarded by the
# engine's SIG_IGN: the container ran as if nothing had happened. strace
# sends the SIGINT as the state dir is made (the first mkdir).
@test "10-full: a SIGINT during start ends the run with 130 and leaves nothing (strace)" {
	need_strace
	run -130 strace -f -qq -o /dev/null -e trace=mkdir,mkdirat \
		-e signal=none -e inject=mkdir,mkdirat:signal=SIGINT:when=1 \
		"$CONTAINER" run --rm "$RFS" echo the-command-ran
	[[ "$output" != *the-command-ran* ]]
}

# Where nothing the parent does after clone() concerns the child (root, no
# --userns, no --net bridge), the child makes its root before "go", and
# then waits for "go" to run the command. strace holds the parent 2 s as
# it starts its relay thread (a clone3 between clone() and "go": the
# second as root, after the network namespace's thread, the first with
# --userns); meanwhile the child comes to wait for "go" (poll), and its
# mount table is read: the container's overlay is there as root. The
# control: with --userns, whose maps the parent writes first, the child
# waits for "go" with nothing mounted. (x86-64 syscall numbers.) glibc
# makes its threads with clone3 (435), the child with clone: the relay's
# thread is clone3's 2nd call as root (the 1st made the network
# namespace's thread), its 1st with --userns. musl makes both with clone
# (56): the relay's thread is its 3rd call as root, its 2nd with --userns.
parent_held_child_waits() {
	[ "$(cut -d' ' -f1 /proc/"$1"/syscall 2>/dev/null)" = "$held_nr" ] &&
		[ "$(cut -d' ' -f1 /proc/"$2"/syscall 2>/dev/null)" = 7 ] # poll
}

@test "10-full: as root the child makes its root before \"go\"; with --userns, only after it (strace)" {
	need_strace
	[ "$(uname -m)" = x86_64 ] || skip "the syscall numbers here are x86-64's"
	local mode when runtime child held=clone3 held_nr=435
	full_build
	[ "$FULL_LIBC" = glibc ] || held=clone held_nr=56
	for mode in root userns; do
		when=2
		[ $mode = root ] || when=1
		[ $held = clone3 ] || when=$((when + 1))
		# Held 4 s: on the pure-v2 guest (emulated, TCG) the child took
		# most of 2 s to reach its poll, and the check came too late.
		strace -qq -o /dev/null -e trace=$held \
			-e inject=$held:delay_enter=4000000:when=$when \
			"$CONTAINER" run --rm $([ $mode = root ] || echo --userns) \
			"$RFS" true &
		runtime=$(traced $! container)
		child=$(child_of "$runtime")
		wait_for parent_held_child_waits "$runtime" "$child"
		if [ $mode = root ]; then
			grep -q ' - overlay overlay ' /proc/"$child"/mountinfo
		else
			! grep -q ' - overlay overlay ' /proc/"$child"/mountinfo
		fi
		wait_status %% 0
	done
}

# The runtime killed while its child makes the root before "go": the child
# goes with it at once (its death signal is asked for before that setup),
# not after making the rest of the root for nobody. strace holds the
# child 2 s in its first mount() (its own namespace made private, before
# the layers); the runtime is killed meanwhile; once the child is gone,
# the container's dir on the disk has no upper/, which the next step
# would have made. (x86-64 syscall numbers.)
child_in_mount() {
	[ "$(cut -d' ' -f1 /proc/"$1"/syscall 2>/dev/null)" = 165 ] # mount
}

@test "10-full: the runtime killed while the child makes its root before \"go\": the child dies with it, the root unmade (strace)" {
	need_strace
	[ "$(uname -m)" = x86_64 ] || skip "the syscall numbers here are x86-64's"
	local runtime child dir
	strace -f -qq -o /dev/null -e trace=mount \
		-e inject=mount:delay_enter=2000000:when=1 \
		"$CONTAINER" run --rm "$RFS" echo the-command-ran >"$BATS_TEST_TMPDIR/out" &
	runtime=$(traced $! container)
	child=$(child_of "$runtime")
	wait_for child_in_mount "$child"
	dir=$(find "$DATA/containers" -mindepth 1 -maxdepth 1 -type d)
	[ -n "$dir" ]
	kill -KILL "$runtime"
	wait_for test ! -e /proc/"$child"
	[ ! -e "$dir/upper" ]
	! grep -q the-command-ran "$BATS_TEST_TMPDIR/out"
	run -0 "$CONTAINER" run --rm "$RFS" true # and the next run sweeps
}

# The issue's recipe: strace holds the child 3 s before its prctl, after
# "go", and the runtime is killed meanwhile. The container used to run
# its command to the end, with no runtime. The next run sweeps what the
# killed runtime left (its state dir, its cgroup).
@test "10-full: the runtime killed before the child's prctl: the command never runs (strace)" {
	need_strace
	out="$BATS_TEST_TMPDIR/out"
	strace -f -qq -o /dev/null -e trace=prctl \
		-e inject=prctl:delay_enter=3000000:when=1 \
		"$CONTAINER" run --rm "$RFS" echo the-command-ran >"$out" 2>/dev/null &
	runtime=$(traced $! container)
	init=$(child_of "$runtime")
	wait_for in_wait "$runtime"
	stopped "$init" # held before its prctl
	kill -KILL "$runtime"
	wait_long none_marked || { alive_marked; false; }
	[ -z "$(grep the-command-ran "$out")" ]
	run -0 "$CONTAINER" run --rm "$RFS" true
}

# Random instants: 20 runtimes killed with -9 anywhere in their start (or
# just after). Every process of every run must be gone, the containers'
# too (their commands have an empty environment, so no test mark: they
# are found by a word on their command line), and the next run sweeps.
@test "10-full: 20 runtimes killed with -9 at random instants leave no process" {
	local i word="killed-at-random-$$" p left
	for i in $(seq 20); do
		"$CONTAINER" run --rm --name "$word-$i" "$RFS" \
			sh -c 'sleep 100; true' "$word" >/dev/null 2>&1 &
		sleep "0.0$((RANDOM % 3))$((RANDOM % 10))"
		kill -KILL $! 2>/dev/null || true
		wait $! 2>/dev/null || true
	done
	wait_for none_marked || { alive_marked; false; }
	left=$(grep -lsa -- "$word" /proc/[0-9]*/cmdline || true)
	for p in $left; do
		[ ! -e "$p" ] || { echo "left: $p"; false; }
	done
	run -0 "$CONTAINER" run --rm "$RFS" true
	# A runtime killed between making its state dir and writing its
	# owner note leaves a dir the sweep cannot judge (issue 8, item 2,
	# not this test's claim): remove ours, found by their --name.
	for p in /run/lesson-container-*/name; do
		grep -qsx -- "$word-[0-9]*" "$p" || continue
		[ -e "${p%/name}/owner" ] || rm -rf "${p%/name}"
	done
}

# The README's commands, run as a student would type them (tests/readme),
# in English and in Chinese. tests/readme keeps root's containers in a
# data root of its own, nobody's go to nobody's; the teardown finds none
# of them left.
@test "10-full: the README's commands print what it shows (tests/readme)" {
	"$ROOT/tests/readme" "$ROOT/10-full/README.md"
	netns_tidy # (its --net bridge blocks use ip netns add)
}

@test "10-full: the Chinese README's commands print what it shows, and its code is the English one's" {
	"$ROOT/tests/readme" "$ROOT/10-full/README.zh-CN.md"
	netns_tidy
	same_blocks "$ROOT/10-full/README.md" "$ROOT/10-full/README.zh-CN.md"
}
