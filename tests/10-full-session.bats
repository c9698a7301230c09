#!/usr/bin/env bats
# 10-full: the container runs in a session of its own, and its stdio is
# relayed through pipes (10-full/relay.c). The attacks run from inside:
# signals to our process group, our terminal. Each would succeed with
# the container in the caller's session, or holding the caller's fds.
# Every scenario that could signal a process group runs under setsid(1),
# in a group of its own: never in bats' own.

load helpers
load container
bats_require_minimum_version 1.5.0

CONTAINER="$BATS_TEST_DIRNAME/../10-full/container"
RFS="$ROOT/build/rootfs"

setup_file() {
	# The terminal probe (tests/10-full-session-tty.c), static: the image
	# has no stty, and no libc of the host's.
	cc -static -O2 -o "$BATS_FILE_TMPDIR/tty-probe" "$BATS_TEST_DIRNAME/10-full-session-tty.c"
	snapshot_host
}

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	d=$BATS_TEST_TMPDIR
	NAME=session-test-$$-${BATS_SUITE_TEST_NUMBER:-0}
	# `$RUN ROOTFS command...`: this test's container; `$RUN2`, a second
	# one at the same time (names are unique: names.c). With --init: the
	# command is not PID 1, so the signals it sends itself or its group
	# act as they would on the host, and the runtime's SIGTERM ends a
	# command without a handler (143). `$RUN0`: without --init.
	RUN="$CONTAINER run --rm --init --name $NAME-1"
	RUN2="$CONTAINER run --rm --init --name $NAME-2"
	RUN0="$CONTAINER run --rm --name $NAME-0"
}

# What a container of this test could leave on the host: its state dir
# (every container here is started with --name $NAME-N, which its note
# records), cgroups and mounts with its id, runtimes carrying this test's
# mark. As in tests/10-full.bats, but other programs' containers, which
# may come and go on the machine meanwhile, are not judged.
container_leftovers() {
	local f dir id p bin
	bin=$(realpath "$CONTAINER")
	# Each container's note names it (note.c): "name NAME".
	for f in $(grep -lsx -- "name $NAME-[0-9]*" /var/lib/lesson-container/containers/*.owner); do
		id=$(basename "$f" .owner)
		echo "$f"
		ls -d "${f%.owner}" 2>/dev/null
		find /sys/fs/cgroup -maxdepth 4 -type d -name "lesson-container-$id" 2>/dev/null
		grep "lesson-container-$id" /proc/self/mountinfo
	done
	ls -d /var/lib/lesson-container/names/"$NAME"-* 2>/dev/null
	for p in $(marked); do
		[ "$(readlink /proc/"$p"/exe 2>/dev/null)" != "$bin" ] || echo "process $p"
	done
	return 0
}

no_container_leftovers() {
	[ -z "$(container_leftovers)" ]
}

teardown() {
	local left
	kill_spawned
	[ "$(id -u)" -eq 0 ] || return 0
	wait_for no_container_leftovers && return 0
	left=$(container_leftovers)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# Waits (up to 5 s) until file $1 holds a line matching $2.
wait_line() {
	wait_for grep -q "$2" "$1"
}

# The session and process group of PID $1, and its terminal (0: none),
# from the host: fields 6, 5 and 7 of /proc/PID/stat (after the comm).
sid_pgrp_tty() {
	sed 's/.*) //' /proc/"$1"/stat | awk '{ print $4, $3, $5 }'
}

# Runs the shell script $1 in a session and process group of its own
# (setsid), with R (the rootfs) and D set, and `ctr` for `container
# run`; its output is the test's output. A `sleep` started beside
# `container`, in the same group, must survive.
in_own_group() {
	# ctr (ctr2) is replaced by the words, not made a function: `ctr ... &`
	# must give the runtime's PID in $!, not a subshell's.
	run setsid sh -c "R=$RFS D=$d; sleep 30 & victim=\$!
		$(sed "s|ctr2 |$RUN2 |g; s|ctr0 |$RUN0 |g; s|ctr |$RUN |g" <<<"$1")
		kill -0 \$victim && echo victim-alive; kill \$victim"
	echo "$output"
}

@test "10-full session: kill -TERM 0 inside reaches neither the shell job that started container, nor container" {
	in_own_group 'ctr "$R" sh -c "kill -TERM 0; echo not-reached"; echo rc=$?'
	[ "$status" -eq 0 ] # the script itself was not killed
	# The container's own group: its sh, killed by its own SIGTERM.
	[[ "$output" == *rc=143* ]]
	[[ "$output" == *victim-alive* ]]
}

@test "10-full session: kill -KILL 0 inside kills no host process: the runtime lives to clean up" {
	in_own_group 'ctr "$R" sh -c "kill -KILL 0"; echo rc=$?'
	[ "$status" -eq 0 ]
	# sh died of it; PID 1 (the init) ignores it from inside; the
	# runtime reports the status and removes everything (teardown).
	[[ "$output" == *rc=137* ]]
	[[ "$output" == *victim-alive* ]]
}

@test "10-full session: without --init, kill -TERM 0 and kill -KILL 0 from the command, PID 1, reach nothing: not the host, not itself" {
	in_own_group 'ctr0 "$R" sh -c "kill -TERM 0; kill -KILL 0; echo survived"; echo rc=$?'
	[ "$status" -eq 0 ]
	# PID 1 of its namespace: the kernel drops them (no handler).
	[[ "$output" == *survived*rc=0* ]]
	[[ "$output" == *victim-alive* ]]
}

@test "10-full session: kill -TERM -PGRP inside, its own process group by number, stays inside" {
	# Inside, /proc/self/stat gives the group: 0 when its leader is
	# outside the PID namespace (kill(-0) is kill(0)), else its number.
	# Its own group is 1, the init's: kill(-1) is every process it may
	# signal but itself and the init, here none.
	in_own_group 'ctr "$R" sh -c "read -r p c s pp pg rest </proc/self/stat
		echo pgrp=\$pg; kill -TERM -\$pg 2>/dev/null; echo survived"; echo rc=$?'
	[ "$status" -eq 0 ]
	[[ "$output" == *pgrp=1* ]]
	[[ "$output" == *survived*rc=0*victim-alive* ]]
}

@test "10-full session: from the host, the container has a session and group of its own and no terminal" {
	setsid $RUN "$RFS" sleep 30 &
	prog=$!
	init=$(child_of $prog)
	cmd=$(descendant $init sleep)
	read -r psid ppgrp _ < <(sid_pgrp_tty $prog)
	for p in $init $cmd; do
		read -r sid pgrp tty < <(sid_pgrp_tty $p)
		echo "$p: session $sid group $pgrp tty $tty (container: $psid $ppgrp)"
		[ "$sid" = "$init" ] && [ "$pgrp" = "$init" ] && [ "$tty" = 0 ]
	done
	# No process of the container is in the runtime's group.
	run pgrep -g "$ppgrp"
	[ "$output" = "$prog" ]
	kill -TERM $prog
	wait $prog || true
}

@test "10-full session: two containers from one script cannot signal each other" {
	# A traps TERM and INT; B, in the same script and process group,
	# sends TERM, INT and KILL to its group (kill(0)), to every process
	# it may signal (kill(-1)), and to A's runtime by its host PID. A
	# notices nothing, and ends only when the test says so (USR1).
	in_own_group 'ctr "$R" sh -c "trap \"echo A-got-signal\" TERM INT
			echo A-ready; while :; do sleep 1; done" >"$D/a" &
		a=$!
		i=0; until grep -q A-ready "$D/a"; do sleep 0.1; i=$((i+1)); [ $i -lt 100 ] || break; done
		ctr2 "$R" sh -c "trap \"\" TERM INT; kill -TERM -1; kill -INT 0
			kill -TERM 0; kill -TERM $a 2>&1; kill -KILL 0"
		echo B-rc=$?
		kill -0 $a && echo A-alive
		kill -USR1 $a; wait $a; echo A-rc=$?
		cat "$D/a"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"kill: No such process"* ]] # A's runtime: not there
	[[ "$output" == *B-rc=137* ]]
	[[ "$output" == *A-alive* ]]
	[[ "$output" == *A-rc=138* ]] # USR1, forwarded: A's sh had no trap for it
	[[ "$output" == *A-ready* ]]
	[[ "$output" != *A-got-signal* ]]
	[[ "$output" == *victim-alive* ]]
}

@test "10-full session: on a terminal, without -t: /dev/tty does not open, fds 0-2 are pipes, tcsetattr cannot touch ours" {
	command -v script >/dev/null || skip "script(1) is not installed (bsdutils)"
	# script(1) gives the runtime a terminal, as a user's shell would,
	# with stdin a pipe held open (see the -t test in 10-full.bats).
	mkfifo "$d/keys"
	exec 4<>"$d/keys"
	run script -qec "stty -g > $d/before; $RUN -v $BATS_FILE_TMPDIR:/t:ro $RFS sh -c '
		readlink /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2; /t/tty-probe
		read -r p c s pp pg sid tty rest < /proc/self/stat; echo tty=\$tty
		exit 5'; echo rc=\$?; stty -g > $d/after" /dev/null <"$d/keys"
	exec 4>&-
	echo "$output"
	[[ "${lines[0]}" == pipe:* ]]
	[[ "${lines[1]}" == pipe:* ]]
	[[ "${lines[2]}" == pipe:* ]]
	[[ "${lines[3]}" == "fd 0: no terminal"* ]]
	[[ "${lines[4]}" == "fd 1: no terminal"* ]]
	[[ "${lines[5]}" == "fd 2: no terminal"* ]]
	[[ "${lines[6]}" == "/dev/tty: No such device or address"* ]]
	[[ "${lines[7]}" == tty=0* ]] # no controlling terminal
	[[ "$output" == *rc=5* ]]
	# Our terminal, as the runtime saw it, is one, and unchanged.
	[ -s "$d/before" ]
	cmp "$d/before" "$d/after"
}

@test "10-full session: stdout a host file: root inside cannot chmod it through /proc/self/fd/1" {
	touch "$d/out"
	chmod 600 "$d/out"
	$RUN "$RFS" sh -c 'chown 65534:65534 /proc/self/fd/1
		chmod 666 /proc/self/fd/1; readlink /proc/self/fd/1 >&2' \
		>"$d/out" 2>"$d/err"
	cat "$d/err"
	grep -q '^pipe:' "$d/err"
	[ "$(stat -c '%u %g %a' "$d/out")" = "0 0 600" ]
}

@test "10-full session: a Ctrl-C on the terminal reaches the command once, through container" {
	command -v script >/dev/null || skip "script(1) is not installed (bsdutils)"
	mkfifo "$d/keys"
	exec 4<>"$d/keys"
	script -qec "exec $RUN $RFS sh -c '
		trap \"echo got-int\" INT; echo ready; while :; do sleep 0.1; done'" \
		/dev/null <"$d/keys" >"$d/out" &
	scr=$!
	wait_line "$d/out" ready
	# The terminal's Ctrl-C goes to its foreground group: container,
	# and no longer the command, which is in a session of its own.
	printf '\003' >&4
	wait_line "$d/out" got-int
	prog=$(descendant $scr container)
	kill -TERM "$prog" # forwarded: sh has no trap for it
	wait_status $scr 143
	exec 4>&-
	cat "$d/out"
	[ "$(grep -c got-int "$d/out")" = 1 ]
}

@test "10-full session: SIGINT to container's process group from the host reaches the command once" {
	setsid $RUN "$RFS" sh -c 'trap "echo got-int" INT
		echo ready; while :; do sleep 0.1; done' >"$d/out" &
	prog=$!
	wait_line "$d/out" ready
	kill -INT -- -"$prog" # the group: as a terminal's Ctrl-C would
	wait_line "$d/out" got-int
	kill -TERM "$prog"
	wait_status $prog 143
	cat "$d/out"
	[ "$(grep -c got-int "$d/out")" = 1 ]
}

@test "10-full session: stdin, stdout and stderr still work: input, separate outputs, exit status" {
	run -0 sh -c 'echo hi | $0 "$1" cat' "$RUN" "$RFS"
	[ "$output" = hi ]
	$RUN "$RFS" sh -c 'echo out; echo err >&2; exit 7' >"$d/o" 2>"$d/e" || st=$?
	[ "$st" = 7 ]
	[ "$(cat "$d/o")" = out ]
	[ "$(cat "$d/e")" = err ]
	# Our stdout and stderr one file (2>&1): the container's are one
	# pipe, so the order of its lines is kept.
	run -0 $RUN "$RFS" sh -c 'for i in $(seq 40); do
		if [ $((i % 2)) = 1 ]; then echo $i; else echo $i >&2; fi; done'
	[ "$(echo $output)" = "$(echo $(seq 40))" ]
	run -0 $RUN "$RFS" readlink /proc/self/fd/1 /proc/self/fd/2
	[[ "${lines[0]}" == pipe:* ]]
	[ "${lines[0]}" = "${lines[1]}" ]
	# Apart, they are two pipes.
	$RUN "$RFS" readlink /proc/self/fd/1 /proc/self/fd/2 >"$d/o" 2>"$d/e"
	[ "$(sed -n 1p "$d/o")" != "$(sed -n 2p "$d/o")" ]
	# End of our stdin is the end of the container's.
	run -0 sh -c 'printf "a\nb\n" | $0 "$1" sh -c "wc -l; echo after-eof"' "$RUN" "$RFS"
	[ "$(echo $output)" = "2 after-eof" ]
	# With -i (and -it without a terminal) too: only -d keeps the
	# container's stdin open (for attach).
	run -0 timeout 60 sh -c 'printf "a\nb\n" | $0 -i "$1" sh -c "wc -l; echo after-eof"' "$RUN" "$RFS"
	[ "$(echo $output)" = "2 after-eof" ]
	run -0 timeout 60 sh -c 'echo "echo typed" | $0 -it "$1" sh' "$RUN" "$RFS"
	[ "$output" = typed ]
}

@test "10-full session: 10 MiB in and out arrive whole, both ways at once" {
	head -c 10485760 /dev/urandom >"$d/in"
	$RUN "$RFS" cat <"$d/in" >"$d/out"
	cmp "$d/in" "$d/out"
	run -0 sh -c '$0 "$1" head -c 10485760 /dev/zero | wc -c' "$RUN" "$RFS"
	[ "$output" = 10485760 ]
	# A command that reads a page of its input, then writes 1 MB before
	# it reads the rest: the copy in must not wait for room in its stdin
	# while its output waits for the copy out. (The timeout is only so
	# that a deadlock fails instead of hanging.)
	timeout 120 $RUN "$RFS" sh -c 'dd bs=4096 count=1 of=/dev/null 2>/dev/null
		head -c 1000000 /dev/zero; wc -c >&2' <"$d/in" >"$d/out" 2>"$d/err"
	[ "$(stat -c %s "$d/out")" = 1000000 ]
	[ "$(cat "$d/err")" = $((10485760 - 4096)) ]
}

@test "10-full session: closed stdout, a command that ignores its stdin, a reader that goes away: no hang, no SIGPIPE for the runtime" {
	# stdout closed (and stdin /dev/null): nothing of ours takes fd 1,
	# so 1 MB (more than a pipe holds) is copied to nowhere, quietly.
	run -0 sh -c '$0 "$1" sh -c "head -c 1000000 /dev/zero; echo head=\$? >&2
		ls -l /proc/self/fd/1 >&2" </dev/null >&-' "$RUN" "$RFS"
	[[ "$output" == *head=0* ]]
	[[ "$output" == *pipe:* ]]
	# 10 MiB offered to a command that never reads them: the runtime
	# gets EPIPE, not SIGPIPE (141), and returns the command's status.
	run -0 sh -c 'head -c 10485760 /dev/zero | $0 "$1" true' "$RUN" "$RFS"
	# Our reader goes away: the command gets SIGPIPE, as it would
	# without us (141), and the runtime reports it.
	run bash -c '$0 "$1" sh -c "while :; do echo y; done" | head -1; echo "rc=${PIPESTATUS[0]}"' "$RUN" "$RFS"
	[ "${lines[0]}" = y ]
	[ "${lines[1]}" = rc=141 ]
}

@test "10-full session: a background job on a terminal: typed input ends the container's stdin, it does not stop container" {
	command -v script >/dev/null || skip "script(1) is not installed (bsdutils)"
	# A shell with job control (set -m) runs container in the background
	# of the terminal script(1) makes, and a line is typed there. Reading
	# it, the relay would get SIGTTIN and stop the whole runtime (wait
	# then says 149); blocked in the relay thread, read() fails with EIO,
	# and cat inside sees the end of its input.
	mkfifo "$d/keys"
	exec 4<>"$d/keys"
	printf 'typed\n' >&4
	run env SHELL=/bin/sh timeout 60 script -qec "set -m; $RUN $RFS sh -c 'cat; echo cat-ended' &
		wait \$!; echo rc=\$?" /dev/null <"$d/keys"
	exec 4>&-
	echo "$output"
	[[ "$output" == *cat-ended* ]]
	[[ "$output" == *rc=0* ]]
}

@test "10-full session: leaves nothing behind on the host" {
	assert_no_leaks
}
