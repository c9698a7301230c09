#!/usr/bin/env bats
# 10-full: `container exec NAME CMD` joins a running container
# (10-full/exec.c, join.c). Each test compares the exec'd process with the
# container's own, from the host where it can: namespaces, mounts,
# processes, cgroup, capabilities, seccomp; and the attacks run from
# inside, as a hostile root would. Each would fail if exec skipped the
# step behind it (the README says how each was checked).

load helpers
load container
bats_require_minimum_version 1.5.0

setup_file() {
	T=$(mktemp -d /tmp/container-exec-test.XXXXXX)
	chmod 755 "$T"
	export T
	cc -static -O2 -o "$T/attack" "$BATS_TEST_DIRNAME/10-full-exe-attack.c"
	# runc's CVE-2019-5736 image, as tests/10-full-exe.bats makes it:
	# /bin/sh is "#!/proc/self/exe --help".
	if [ -f "$RFS/.complete" ]; then
		cp -a "$RFS" "$T/img"
		rm -f "$T/img/bin/sh"
		printf '#!/proc/self/exe --help\n' >"$T/img/bin/sh"
		chmod 755 "$T/img/bin/sh"
	fi
	snapshot_host
}

teardown_file() {
	rm -rf "$T"
	remove_nobody_copies
}

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	NAME=exec-test-$$-${BATS_SUITE_TEST_NUMBER:-0}
	# A data root of the test's own: it sees no one else's containers.
	# Under $T, which others may search: a --userns container's root is
	# a host user of its own, who must reach its dir.
	R="$T/root-${BATS_SUITE_TEST_NUMBER:-0}"
	C=("$CONTAINER" --root "$R")
	container_setup
}

teardown() {
	container_rm_teardown
}

# start_container [run options...] ROOTFS CMD...: a detached container
# named $NAME. Sets init (its PID 1, host PID) and cmd (its command: PID 1
# itself, run -d having returned once it was exec'd).
start_container() {
	"${C[@]}" run -d --name "$NAME" "$@" >/dev/null
	init=$("${C[@]}" inspect -f '{{.State.Pid}}' "$NAME")
	cmd=$init
}

# The lines of /proc/PID/status that the hardening sets.
hardening() {
	grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp(_filters)?):' "$1"
}

@test "10-full exec: the same hostname, namespaces, mounts and processes as the container's PID 1" {
	start_container -h box "$RFS" sleep 100
	run "${C[@]}" exec "$NAME" sh -c 'hostname; cat /proc/self/mountinfo; echo ---
		for n in cgroup ipc mnt net pid time user uts; do readlink /proc/self/ns/$n; done; echo ---
		ps -o pid,comm'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = box ]
	# Mount IDs, parents, devices and mount points: the init's mount
	# namespace and root. (Not field 4, a mount's root: for a cgroup
	# mount it is seen through the reader's cgroup namespace, "/" inside.)
	[ "$(echo "$output" | sed -n '2,/^---$/p' | sed '$d' | cut -d' ' -f1-3,5)" = \
		"$(cut -d' ' -f1-3,5 /proc/$init/mountinfo)" ]
	for n in cgroup ipc mnt net pid time user uts; do
		readlink /proc/$init/ns/$n
	done >"$BATS_TEST_TMPDIR/ns"
	[ "$(echo "$output" | sed -n '/^---$/,/^---$/p' | sed '1d;$d')" = "$(cat "$BATS_TEST_TMPDIR/ns")" ]
	# Its PID namespace: the container's command is 1.
	[[ "$output" =~ [[:space:]]1\ sleep[[:space:]] ]]
}

@test "10-full exec: in the container's cgroup, seen from the host; a fork bomb through exec is stopped by --pids-limit" {
	start_container --pids-limit 10 "$RFS" sleep 100
	"${C[@]}" exec "$NAME" sleep 100 &
	e=$!
	s=$(descendant $e sleep)
	diff /proc/$init/cgroup /proc/$s/cgroup
	# v1: the pids hierarchy's line; v2: the one line, "0::/...".
	grep -qE '^[0-9]+:(pids)?:.*lesson-container-' /proc/$s/cgroup
	kill $e
	# 40 background sleeps need 40 tasks more; the limit allows 10.
	run "${C[@]}" exec "$NAME" sh -c 'for i in $(seq 40); do sleep 5 & done; echo all-started'
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Cannot fork"* ]]
	[[ "$output" != *all-started* ]]
}

@test "10-full exec: the same capabilities, no_new_privs and seccomp filter as the container's command" {
	start_container "$RFS" sleep 100
	run "${C[@]}" exec "$NAME" cat /proc/self/status
	[ "$status" -eq 0 ]
	echo "$output" | hardening /dev/stdin >"$BATS_TEST_TMPDIR/exec"
	hardening /proc/$cmd/status >"$BATS_TEST_TMPDIR/cmd"
	cat "$BATS_TEST_TMPDIR/exec"
	diff "$BATS_TEST_TMPDIR/cmd" "$BATS_TEST_TMPDIR/exec"
	grep -qx $'CapBnd:\t00000000a00425fb' "$BATS_TEST_TMPDIR/exec"
}

@test "10-full exec: neither run nor exec passes the caller's supplementary groups on (setpriv --groups)" {
	# A hostile tester's `setpriv --groups 6,26,1234 container exec`
	# gave its process the host's groups: disk, plugdev, 1234.
	command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
	# The control: setpriv does give them to what it runs.
	[ "$(setpriv --groups 6,1234 grep Groups /proc/self/status)" = $'Groups:\t6 1234 ' ]
	start_container "$RFS" sleep 100
	run setpriv --groups 6,26,1234 "${C[@]}" exec "$NAME" grep Groups /proc/self/status
	echo "exec: $output"
	[ "$status" -eq 0 ] && [ "$output" = $'Groups:\t ' ]
	run setpriv --groups 6,26,1234 "${C[@]}" run --rm "$RFS" grep Groups /proc/self/status
	echo "run: $output"
	[ "$status" -eq 0 ] && [ "$output" = $'Groups:\t ' ]
}

# with_oom N CMD...: CMD with oom_score_adj N, as a caller with it.
with_oom() {
	local n=$1
	shift
	(echo "$n" >/proc/self/oom_score_adj && exec "$@")
}

@test "10-full exec harden: run's and exec's command get oom_score_adj 0, never the caller's" {
	# A caller the OOM killer spares (-1000, a service's) gave the
	# container its immunity: a memory hog in it made the kernel kill
	# the host's processes instead. One it kills first (500) gave it
	# that. Docker gives every container 0.
	# The control: what a caller's child inherits.
	[ "$(with_oom 500 cat /proc/self/oom_score_adj)" = 500 ]
	run with_oom 500 "${C[@]}" run --rm "$RFS" cat /proc/self/oom_score_adj
	[ "$status" -eq 0 ] && [ "$output" = 0 ]
	with_oom 500 "${C[@]}" run -d --name "$NAME" "$RFS" sleep 100 >/dev/null
	cmd=$("${C[@]}" inspect -f '{{.State.Pid}}' "$NAME")
	[ "$(cat /proc/$cmd/oom_score_adj)" = 0 ] # seen from the host
	run with_oom 500 "${C[@]}" exec "$NAME" cat /proc/self/oom_score_adj
	[ "$status" -eq 0 ] && [ "$output" = 0 ]
	# Root inside cannot make itself the last to go.
	run "${C[@]}" exec "$NAME" sh -c 'echo -1000 >/proc/self/oom_score_adj'
	[ "$status" -ne 0 ]
	# -1000 takes CAP_SYS_RESOURCE, which root may lack (this VM's does).
	if (echo -1000 >/proc/self/oom_score_adj) 2>/dev/null; then
		run with_oom -1000 "${C[@]}" run --rm "$RFS" cat /proc/self/oom_score_adj
		[ "$status" -eq 0 ] && [ "$output" = 0 ]
		run with_oom -1000 "${C[@]}" exec "$NAME" cat /proc/self/oom_score_adj
		[ "$status" -eq 0 ] && [ "$output" = 0 ]
	else
		echo "# a caller at -1000 not tried: we may not set it (no CAP_SYS_RESOURCE)" >&3
	fi
}

@test "10-full exec: --oom-score-adj N for run's and exec's command; a value out of range or not ours to set: 125, one line, nothing made" {
	start_container --oom-score-adj 700 "$RFS" sleep 100
	[ "$(cat /proc/$cmd/oom_score_adj)" = 700 ]
	run "${C[@]}" exec "$NAME" cat /proc/self/oom_score_adj
	[ "$status" -eq 0 ] && [ "$output" = 700 ]
	for bad in 1001 -1001 x 5x ''; do
		run -125 "${C[@]}" run --rm --name "$NAME-bad" --oom-score-adj "$bad" "$RFS" true
		[ "$output" = "container: --oom-score-adj $bad: give a whole number from -1000 (never killed for memory) to 1000 (killed first)" ]
	done
	# Below ours, where the kernel would refuse it (without
	# CAP_SYS_RESOURCE: setpriv takes it away): refused before anything
	# is made, not after clone().
	ours=$(cat /proc/self/oom_score_adj)
	low=$((ours > -1000 ? ours - 1 : ours))
	if command -v setpriv >/dev/null && [ "$low" -lt "$ours" ]; then
		run -125 setpriv --bounding-set -sys_resource \
			"${C[@]}" run --rm --name "$NAME-bad" --oom-score-adj "$low" "$RFS" true
		[ "$output" = "container: --oom-score-adj $low: lower than we may set (ours is $ours): that takes CAP_SYS_RESOURCE" ]
	fi
	# Only the container started above exists.
	[ "$("${C[@]}" ps -aq | wc -l)" = 1 ]
}

@test "10-full exec harden: a container leasing its own cgroup file makes exec fail at once, not wait 45 s" {
	# Root inside owns the files of its cgroup (it sees them through its
	# cgroup namespace), and an owner may lease a file: exec, which
	# writes the one it joins by (v1 tasks, v2 cgroup.procs), waited
	# for the lease to break, fs.lease-break-time (45 s here).
	hog=$(hog_dir)
	if [ -d /sys/fs/cgroup/unified ] || [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
		file=/sys/fs/cgroup/pids/tasks # v1 (hybrid too): its pids tree
	else
		file=/sys/fs/cgroup/cgroup.procs
	fi
	"${C[@]}" run -d -i --name "$NAME" -v "$hog:/t:ro" "$RFS" /t/hog lease "$file" >/dev/null
	wait_long lease_held "$NAME"
	SECONDS=0
	run timeout 20 "${C[@]}" exec "$NAME" true
	echo "$status after $SECONDS s: $output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"a process holds a lease on it"* ]]
}

@test "10-full exec: --userns: root inside is the container's root, with its hardening" {
	start_container --userns "$RFS" sleep 100
	"${C[@]}" exec "$NAME" sleep 100 &
	e=$!
	s=$(descendant $e sleep)
	# The host ids and the capabilities of the container's command.
	[ "$(grep -E '^(Uid|Gid|Groups):' /proc/$s/status)" = "$(grep -E '^(Uid|Gid|Groups):' /proc/$cmd/status)" ]
	[ "$(hardening /proc/$s/status)" = "$(hardening /proc/$cmd/status)" ]
	[ "$(readlink /proc/$s/ns/user)" = "$(readlink /proc/$init/ns/user)" ]
	kill $e
	run "${C[@]}" exec "$NAME" sh -c 'id -u; touch /made-by-exec && ls -ln /made-by-exec'
	echo "$output"
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" == *" 0 "*" 0 "*/made-by-exec ]]
}

@test "10-full exec: #!/proc/self/exe through exec runs a sealed copy; the host's binary is unchanged" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	start_container -v "$T:/t:ro" "$T/img" sleep 100
	before=$("$T/attack" fingerprint "$BIN"; sha256sum <"$BIN")
	# exec's /bin/sh is the runtime again, which prints its usage and
	# exits; strace holds it at its exit_group() for 8 s (an emulated
	# guest with its CPUs busy needs them), to be attacked from inside
	# (as tests/10-full-exe.bats does for run).
	strace -f -qq -o /dev/null -e trace=exit_group \
		-e inject=exit_group:delay_enter=8000000 \
		"${C[@]}" exec "$NAME" /bin/sh >/dev/null 2>"$BATS_TEST_TMPDIR/err" &
	tracer=$!
	wait_long eval 'held=$(for p in $(tree_of $tracer); do
		[[ "$(tr "\0" " " </proc/$p/cmdline 2>/dev/null)" != "/proc/self/exe --help"* ]] || echo $p; done); [ -n "$held" ]'
	echo "the runtime in the container runs $(readlink /proc/$held/exe)"
	[ "$(readlink /proc/$held/exe)" != "$BIN" ]
	nspid=$(awk '/^NSpid:/ { print $NF }' /proc/$held/status)
	run nsenter -t "$held" -a -r -w /t/attack exe /proc/$nspid/exe
	echo "$output"
	[ "${lines[0]}" = "drop ok" ]
	# Done: strace need not hold the other exits for their seconds.
	# Killed, it lets its tracees go on; they end as they would have.
	kill -KILL $tracer 2>/dev/null || true
	wait $tracer || true
	[ "$("$T/attack" fingerprint "$BIN"; sha256sum <"$BIN")" = "$before" ]
}

# The sealed copy exec's command is exec'd from: the one the container's
# runtime already holds (its supervisor here; with --init, the init's
# exe), not a new overlay per exec (reexec.c). A copy of the binary, a
# file of its own, may not use theirs (the control): it mounts its own.
@test "10-full exec: execs from the sealed view the container's runtime holds, with or without --init; another binary makes its own" {
	need_strace
	local opt other="$T/other-container"
	cp "$BIN" "$other"
	for opt in "" --init; do
		start_container $opt "$RFS" sleep 100
		run -0 strace -f -qq -e signal=none -e trace=fsopen,memfd_create -o "$BATS_TEST_TMPDIR/st" \
			"${C[@]}" exec "$NAME" cat /proc/self/comm
		[ "$output" = cat ]
		run -1 grep -E "fsopen|memfd_create" "$BATS_TEST_TMPDIR/st"
		run -0 strace -f -qq -e signal=none -e trace=fsopen,memfd_create -o "$BATS_TEST_TMPDIR/st" \
			"$other" --root "$R" exec "$NAME" cat /proc/self/comm
		[ "$output" = cat ]
		grep -Eq 'fsopen|memfd_create' "$BATS_TEST_TMPDIR/st"
		"${C[@]}" rm -f "$NAME" >/dev/null
	done
}

# start_held CALL RUN-ARGS...: `run RUN-ARGS` (a container named $NAME)
# in the background under strace ($tracer), which holds each of its
# processes 3 s as it enters CALL; returns once the record says running,
# with PID 1's host PID in $pid.
start_held() {
	local call=$1
	shift
	strace -f -qq -o /dev/null -e trace="$call" \
		-e inject="$call":delay_enter=3000000 \
		"${C[@]}" run "$@" >/dev/null 2>&1 &
	tracer=$!
	wait_for eval '[ "$("${C[@]}" inspect -f "{{.State.Running}}" "$NAME" 2>/dev/null)" = true ]'
	pid=$("${C[@]}" inspect -f '{{.State.Pid}}' "$NAME")
}

# The record says "running" from step 9 of `run`, while PID 1 still makes
# its root. strace holds PID 1 for 3 s in its pivot_root(); an exec that
# comes meanwhile must wait for it, not run in the root PID 1 had until
# then, the host's (where it ran, as root, before: a hostile tester's
# race). (x86-64 or not: pivot_root is traced by name.)
@test "10-full exec harden: an exec while PID 1 still makes its root waits for its pivot_root, and never runs in the host's root (strace)" {
	need_strace
	start_held pivot_root -d --name "$NAME" "$RFS" sleep 100
	# The control: we are in the window, PID 1's root is still ours.
	[ "$(stat -L -c %d:%i /proc/$pid/root/)" = "$(stat -c %d:%i /)" ]
	run -0 "${C[@]}" exec "$NAME" sh -c 'if [ -e "$0" ]; then echo host; else echo inside; fi' "$BIN"
	echo "$output"
	[ "$output" = inside ]
	# strace follows the supervisor, which lives as long as the
	# container: remove it, or strace waits out the sleep (the run
	# itself may still be waiting to hear the start: 137 then).
	"${C[@]}" rm -f "$NAME" >/dev/null
	wait $tracer || true
}

# The second half of that window: pivot_root(".", ".") leaves the old
# root (the host's) stacked on the new one until PID 1 unmounts it, and
# setns() into a mount namespace lands on whatever is mounted on top of
# its root. exec waited only for the pivot_root, and its command ran in
# the host's root every time strace held PID 1 here (once in six on a
# busy machine without strace). exec takes PID 1's own root (join.c).
@test "10-full exec harden: an exec between PID 1's pivot_root and its umount of the old root runs in the container's root, not the host's stacked on it (strace)" {
	need_strace
	start_held umount2 -d --name "$NAME" "$RFS" sleep 100
	wait_for eval '[ "$(stat -L -c %d:%i /proc/$pid/root/)" != "$(stat -c %d:%i /)" ]'
	# The control: pivoted, and the old root still on top of "/".
	[ "$(awk '$5 == "/"' /proc/$pid/mountinfo | wc -l)" -ge 2 ]
	run -0 "${C[@]}" exec "$NAME" sh -c 'if [ -e "$0" ]; then echo host; else echo inside; fi; ls /' "$BIN"
	echo "$output"
	[ "${lines[0]}" = inside ]
	[ "$(printf '%s\n' "${lines[@]:1}" | sort)" = "$(ls "$RFS" | sort)" ]
	# The run still waited for its start: it ends with the container.
	"${C[@]}" rm -f "$NAME" >/dev/null
	wait $tracer || true
}

# /proc/PID/cmdline is world-readable: on the host, for exec's whole life,
# and inside, for the process exec clones into the container until it
# execs the sealed copy (root inside read the host's path of the binary,
# the data root and the -e values there).
@test "10-full exec harden: exec's command line shows none of its arguments, to host users or inside" {
	start_container "$RFS" sleep 100
	"${C[@]}" exec -e TOKEN=sec-$$-ret "$NAME" sleep 100 &
	e=$!
	descendant $e sleep >/dev/null
	line=$(tr '\0' ' ' </proc/$e/cmdline)
	echo "$line"
	[[ "$line" == "container exec"* ]]
	[[ "$line" != *sec-$$-ret* ]]
	[[ "$line" != *"$R"* ]]
	kill $e
	wait $e || true
}

# PID 1 runs the runtime's code from clone() to its exec of the sealed
# copy, with the runtime's command line: the data root and every -e
# value, readable by all. A -d run's supervisor hid it; a foreground run
# did not, and an exec that came after pivot_root read it there.
@test "10-full exec harden: PID 1 still in its setup shows an exec none of run's arguments (strace)" {
	need_strace
	# strace holds PID 1 3 s at its seccomp(), its last step before the
	# sealed copy: in its new root, still the runtime.
	start_held seccomp --name "$NAME" -e TOKEN=sec-$$-ret "$RFS" true
	wait_for eval '[ "$(stat -L -c %d:%i /proc/$pid/root/)" != "$(stat -c %d:%i /)" ]'
	[ "$(readlink /proc/$pid/exe)" = "$BIN" ] # the control: still the runtime
	run -0 "${C[@]}" exec "$NAME" sh -c 'tr "\0" " " </proc/1/cmdline'
	echo "$output"
	[ -n "$output" ]
	[[ "$output" != *sec-$$-ret* ]]
	[[ "$output" != *"$R"* ]]
	[ "$(readlink /proc/$pid/exe)" = "$BIN" ] # and it was, all along
	wait $tracer || true
}

@test "10-full exec harden: not dumpable from the moment it is in the container's PID namespace" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
	start_container "$RFS" sleep 100
	# strace holds the process for 8 s (for an emulated guest with its
	# CPUs busy) as it installs the seccomp filter (only it does, of
	# exec's processes): in the container, capabilities dropped as
	# root's inside, still the runtime with its fds.
	strace -f -qq -o /dev/null -e trace=seccomp \
		-e inject=seccomp:delay_enter=8000000 \
		"${C[@]}" exec "$NAME" true 2>/dev/null &
	tracer=$!
	# The one process of the tree with two PIDs: the host's, the container's.
	wait_long eval 'held=$(for p in $(tree_of $tracer); do
		[ "$(awk "/^NSpid:/ { print NF }" /proc/$p/status 2>/dev/null)" != 3 ] || echo $p; done); [ -n "$held" ]'
	# Root without CAP_SYS_PTRACE (as root inside is) may not open its
	# exe, fds or memory: the kernel's ptrace check fails on a process
	# that is not dumpable.
	run setpriv --inh-caps=-all --bounding-set=-sys_ptrace readlink /proc/$held/exe
	echo "$output"
	[ "$status" -ne 0 ]
	[ "$(readlink /proc/$held/exe)" = "$BIN" ] # still held, before the copy
	wait_status $tracer 0
}

@test "10-full exec harden: the sealed copy is not dumpable either, up to its exec of the command" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
	start_container "$RFS" sleep 100
	# The copy runs from its own entry point (entry.c): its execve() of
	# the command is the only execve of exec's processes (the copy
	# itself comes through execveat). strace holds it there for 8 s
	# (for an emulated guest with its CPUs busy); -P: only that execve,
	# not strace's own of the runtime.
	strace -f -qq -o /dev/null -P /bin/true -e trace=execve \
		-e inject=execve:delay_enter=8000000 \
		"${C[@]}" exec "$NAME" /bin/true 2>/dev/null &
	tracer=$!
	wait_long eval 'held=$(for p in $(tree_of $tracer); do
		[ "$(tr "\0" " " </proc/$p/cmdline 2>/dev/null)" != "container-exec /bin/true " ] || echo $p; done); [ -n "$held" ]'
	# Root inside lacks CAP_SYS_PTRACE: a process that is not dumpable
	# keeps its exe, fds and memory from it.
	run setpriv --inh-caps=-all --bounding-set=-sys_ptrace readlink /proc/$held/exe
	echo "$output"
	[ "$status" -ne 0 ]
	grep -q '^NSpid:.*[[:space:]][0-9]*[[:space:]][0-9]*$' /proc/$held/status # in the container
	wait_status $tracer 0
}

@test "10-full exec: exit status: the command's, 128+N, 126, 127" {
	start_container "$RFS" sleep 100
	run -3 "${C[@]}" exec "$NAME" sh -c 'exit 3'
	run -137 "${C[@]}" exec "$NAME" sh -c 'kill -9 $$'
	run -126 "${C[@]}" exec "$NAME" /etc
	[[ "$output" == *"exec /etc: Permission denied"* ]]
	run -127 "${C[@]}" exec "$NAME" no-such-command
	[[ "$output" == *"exec no-such-command: No such file or directory"* ]]
}

@test "10-full exec: into an unknown or a stopped container: 125 and one line" {
	run -125 "${C[@]}" exec "no-such-$NAME" true
	[ "$output" = "container: no such container: no-such-$NAME" ]
	start_container "$RFS" sleep 100
	"${C[@]}" stop -t 0 "$NAME"
	run -125 "${C[@]}" exec "$NAME" true
	[ "$output" = "container: container $NAME is not running (container start $NAME runs it again)" ]
	run -125 "${C[@]}" exec "$NAME"
	[ "${lines[0]}" = "container: give a container and a command: container exec NAME COMMAND [ARG...]" ]
	# An option that wants a value, given last: named as typed (musl's
	# getopt leaves optind past the end there: options.c).
	run -125 "${C[@]}" exec -w
	[ "${lines[0]}" = "container: missing value for option '-w'" ]
	run -125 "${C[@]}" exec -i --env
	[ "${lines[0]}" = "container: missing value for option '--env'" ]
}

@test "10-full exec: the container's environment and cwd, exec's -e and -w on top; its own session, no host fd" {
	start_container -e FOO=from-run -e BAR=kept -w /tmp "$RFS" sleep 100
	run "${C[@]}" exec "$NAME" sh -c 'echo $FOO $BAR $HOSTNAME; pwd'
	echo "$output"
	[ "${lines[0]}" = "from-run kept $(cat /proc/$init/root/etc/hostname)" ]
	[ "${lines[1]}" = /tmp ]
	# fd 7: a host file we leave open, as a careless caller would.
	echo host-file >"$BATS_TEST_TMPDIR/host-file"
	run "${C[@]}" exec -e FOO=from-exec -w /etc "$NAME" sh -c 'echo $FOO $BAR; pwd
		read -r pid c s pp pg sid rest </proc/self/stat; [ $sid = $$ ] && echo own-session
		echo $(ls /proc/self/fd)' 7<"$BATS_TEST_TMPDIR/host-file"
	echo "$output"
	[ "${lines[0]}" = "from-exec kept" ]
	[ "${lines[1]}" = /etc ]
	[ "${lines[2]}" = own-session ]
	[ "${lines[3]}" = "0 1 2 3" ] # 3: ls's own, of /proc/self/fd
}

@test "10-full exec: stdio through pipes, never our file; stdin only with -i" {
	start_container "$RFS" sleep 100
	"${C[@]}" exec "$NAME" readlink /proc/self/fd/1 >"$BATS_TEST_TMPDIR/out"
	grep -q '^pipe:' "$BATS_TEST_TMPDIR/out"
	[ "$(echo typed | "${C[@]}" exec -i "$NAME" cat)" = typed ]
	[ "$(echo typed | "${C[@]}" exec "$NAME" cat)" = "" ]
}

@test "10-full exec: -t: a pty of the container's own devpts, its session's terminal" {
	command -v script >/dev/null || skip "script(1) is not installed (bsdutils)"
	start_container "$RFS" sleep 100
	mkfifo "$BATS_TEST_TMPDIR/keys"
	exec 4<>"$BATS_TEST_TMPDIR/keys"
	run script -qec "$CONTAINER --root $R exec -t $NAME sh -c '
		readlink /proc/self/fd/0; read -r p c s pp pg sid rest < /proc/self/stat
		[ \$sid = \$\$ ] && echo own-session; exit 5'; echo rc=\$?" /dev/null <"$BATS_TEST_TMPDIR/keys"
	exec 4>&-
	echo "$output"
	[[ "${lines[0]}" == /dev/pts/0* ]] # the container's devpts, not ours
	[[ "${lines[1]}" == own-session* ]]
	[[ "$output" == *rc=5* ]]
}

@test "10-full exec: stop ends exec'd processes too, and exec returns 137" {
	start_container "$RFS" sleep 1000
	"${C[@]}" exec "$NAME" sleep 1001 &
	ex=$!
	held=$(descendant $ex sleep) # exec's command, a host PID
	[ "$(tr '\0' ' ' </proc/$held/cmdline)" = "sleep 1001 " ]
	grep -q "^NSpid:.*[[:space:]]" /proc/$held/status # in a PID namespace
	"${C[@]}" stop -t 0 "$NAME"
	[ ! -d /proc/$held ]
	wait_status $ex 137
}

@test "10-full exec: leaves nothing behind on the host" {
	assert_no_leaks
}

@test "10-full exec: rootless, a user execs into the user's own container, with its hardening" {
	container=$(for_nobody "$CONTAINER") && rfs=$(for_nobody "$RFS")
	home=$(mktemp -d /var/tmp/container-test-home.XXXXXX)
	chown 65534:65534 "$home"
	N=("${AS_NOBODY[@]}" XDG_DATA_HOME="$home" "$container")
	"${N[@]}" run -d --name mine -h nobodys "$rfs" sleep 100
	run "${N[@]}" exec mine sh -c 'hostname; id -u; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = nobodys ]
	[ "${lines[1]}" = 0 ] # root inside, nobody outside
	[ "${lines[2]}" = "NoNewPrivs:	1" ]
	[ "${lines[3]}" = "Seccomp:	2" ]
	# The container's processes are nobody's on the host.
	init=$("${N[@]}" inspect -f '{{.State.Pid}}' mine)
	[ "$(stat -c %u /proc/$init)" = 65534 ]
	# Root's container is out of nobody's reach.
	start_container "$RFS" sleep 100
	run -125 "${N[@]}" --root "$R" exec "$NAME" true
	[[ "$output" == *"is not a directory of yours"* || "$output" == *"Permission denied"* ]]
	"${N[@]}" rm -f mine
	rm -rf "$home"
}
