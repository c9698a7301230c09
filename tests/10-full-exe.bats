#!/usr/bin/env bats
# 10-full: nothing in the container reaches the host's `container` binary,
# nor the runtime's memory, argv and environment, through /proc
# (CVE-2019-5736 and kin; 10-full/selfexec.c). Each test is an attack from
# inside, as root in the container, with the container's capabilities;
# each checks that the host's binary keeps its owner, mode, xattrs and
# bytes. Each fails when the runtime's PID 1 is a clone of the runtime
# run from the host's file (as before selfexec.c).

load helpers
bats_require_minimum_version 1.5.0

CONTAINER="$BATS_TEST_DIRNAME/../10-full/container"
RFS="$ROOT/build/rootfs"

setup_file() {
	# The attack program and the script, bound in with -v: a dir that
	# the --userns root (host uid 100000) may enter.
	T=$(mktemp -d /tmp/container-exe-test.XXXXXX)
	chmod 755 "$T"
	export T
	cc -static -O2 -o "$T/attack" "$BATS_TEST_DIRNAME/10-full-exe-attack.c"
	# An image whose /bin/sh is runc's CVE: the kernel runs the
	# interpreter, /proc/self/exe, as the process that execs the script.
	# "--help" makes the runtime write its usage to stdout (then exit),
	# where the test can hold it. A copy: build/rootfs stays as it is.
	if [ -f "$RFS/.complete" ]; then
		cp -a "$RFS" "$T/img"
		rm -f "$T/img/bin/sh"
		printf '#!/proc/self/exe --help\n' >"$T/img/bin/sh"
		chmod 755 "$T/img/bin/sh"
	fi
	# A value only the host has: the caller's environment and argv.
	export HOST_SECRET="host-secret-$$-$RANDOM"
	snapshot_host
}

teardown_file() {
	rm -rf "$T"
}

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	BIN=$(realpath "$CONTAINER")
	before=$(binary_state)
	# Other runs on this machine may have containers of their own:
	# only what appears during this test is judged.
	all_leftovers >"$BATS_TEST_TMPDIR/others"
}

# Owner, mode, xattrs and sha256 of the host's binary.
binary_state() {
	"$T/attack" fingerprint "$BIN"
	sha256sum <"$BIN"
}

binary_unchanged() {
	local after
	after=$(binary_state)
	[ "$after" = "$before" ] || {
		echo "the host's binary changed:"
		diff <(echo "$before") <(echo "$after")
		return 1
	}
}

# As in 10-full.bats: what a container could leave on the host. Other
# runs on this machine have containers of their own: a line counts only
# if it was not there when the test started (setup), and not when its
# container's state dir names a live runtime without this run's mark.
container_leftovers() {
	local line id
	all_leftovers | grep -vxF -f "$BATS_TEST_TMPDIR/others" 2>/dev/null |
		while read -r line; do
			id=$(grep -o 'lesson-container-[0-9a-f]*' <<<"$line" | head -1)
			someone_elses "${id#lesson-container-}" || echo "$line"
		done
}

# Whether container $1 is alive and was not started by this bats run.
someone_elses() {
	local dir owner
	dir=$(ls -d /run/lesson-container-"$1" /tmp/lesson-container-*-"$1" 2>/dev/null | head -1)
	[ -n "$1" ] && [ -n "$dir" ] && read -r owner _ <"$dir/owner" 2>/dev/null || return 1
	[ -d /proc/"$owner" ] &&
		! grep -qsz "^LESSON_TEST_MARK=lesson-test:$BATS_RUN_TMPDIR" /proc/"$owner"/environ
}

# The runtime runs from a memfd, so its exe is no longer the binary's
# path: it is ours when it carries a mark of this bats run.
all_leftovers() {
	local p exe
	ls -d /run/lesson-container-* /tmp/lesson-container-* 2>/dev/null || true
	find /sys/fs/cgroup -maxdepth 4 -type d -name 'lesson-container-*' 2>/dev/null || true
	grep lesson-container /proc/self/mountinfo || true
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		if [ "$exe" = "$BIN" ] || { [ "$exe" = "/memfd:container (deleted)" ] &&
			grep -qsz "^LESSON_TEST_MARK=lesson-test:$BATS_RUN_TMPDIR" "$p/environ"; }; then
			echo "process ${p#/proc/} ($exe)"
		fi
		grep -so 'lesson-container-[0-9a-f]*' "$p/cgroup" | head -1 |
			sed "s|^|process ${p#/proc/} in the cgroup of |"
	done
	return 0
}

no_container_leftovers() {
	[ -z "$(container_leftovers)" ]
}

teardown() {
	local left
	# A runtime in a PID namespace of the test's own is stopped, not
	# killed: the note a killed one leaves, no later run may judge.
	if [ -n "${rt:-}" ] && kill -0 "$rt" 2>/dev/null; then
		kill -TERM "$rt"
		wait_for eval '! kill -0 $rt 2>/dev/null' || true
	fi
	kill_spawned
	[ "$(id -u)" -eq 0 ] || return 0
	wait_for no_container_leftovers && return 0
	left=$(container_leftovers)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# The attacks on PID 1 from inside, with options $@ for `run`; the host's
# secret is in the runtime's environment and the image's path in its argv.
attack_pid1() {
	run "$CONTAINER" run "$@" -e VISIBLE=to-the-command -v "$T:/t:ro" "$RFS" /t/attack pid1
	echo "$output"
	[ "$status" -eq 0 ]
	# The magic link does not even open: PID 1 is not dumpable, and the
	# ptrace check wants CAP_SYS_PTRACE (the errno without the defence:
	# EPERM or ETXTBSY from the host's file itself, or ok).
	[ "${lines[0]}" = "chown EACCES" ]
	[ "${lines[1]}" = "chmod EACCES" ]
	[ "${lines[2]}" = "setxattr EACCES" ]
	[ "${lines[3]}" = "write EACCES" ]
	[ "${lines[4]}" = "mem EACCES" ]
	[ "${lines[5]}" = "environ EACCES" ]
	# /proc/PID/cmdline is readable by all: only what the command knows.
	[ "${lines[6]}" = "cmdline container-init /t/attack pid1 " ]
	[[ "$output" != *"$HOST_SECRET"* ]]
	[[ "$output" != *"$RFS"* ]]
	binary_unchanged
}

@test "10-full-exe harden: PID 1's exe, mem, environ and cmdline give root inside nothing of the host" {
	attack_pid1
}

@test "10-full-exe harden: the same under --userns" {
	attack_pid1 --userns
}

@test "10-full-exe harden: where vm.memfd_noexec=2 forbids an executable memfd, an unnamed copy holds as well" {
	[ -e /proc/sys/vm/memfd_noexec ] || skip "no vm.memfd_noexec (Linux < 6.3)"
	# The setting belongs to a PID namespace: raise it in one of our own.
	unshare --pid --fork sh -c 'echo 2 >/proc/sys/vm/memfd_noexec &&
		exec "$0" run "$1" sleep 5' "$CONTAINER" "$RFS" &
	prog=$!
	# unshare, its sh exec'd into the runtime, which clones the init;
	# the init execs the copy as its last step of setup
	rt=$(child_of $prog)
	init=$(child_of $rt)
	wait_for eval '[[ "$(readlink /proc/$init/exe)" == /run/*" (deleted)" ]]'
	echo "init: $(readlink /proc/$init/exe)" # O_TMPFILE, not a memfd
	# Stopped, not killed: a runtime killed in another PID namespace
	# leaves a note that no later run may judge (sweep.c).
	kill -TERM $rt
	wait $prog || true
	run unshare --pid --fork sh -c 'echo 2 >/proc/sys/vm/memfd_noexec &&
		exec "$0" run -v "$2:/t:ro" "$1" /t/attack pid1' "$CONTAINER" "$RFS" "$T"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "chown EACCES" ]
	[ "${lines[3]}" = "write EACCES" ]
	[ "${lines[4]}" = "mem EACCES" ]
	[ "${lines[6]}" = "cmdline container-init /t/attack pid1 " ]
	binary_unchanged
}

# The command's argv as the host sees it, NULs as spaces.
cmdline_of() {
	tr '\0' ' ' </proc/"$1"/cmdline 2>/dev/null
}

# runc's CVE-2019-5736: the image's /bin/sh is "#!/proc/self/exe", so
# the init's exec of it runs the runtime's binary again, in the
# container, dumpable. Held while it writes to a full pipe, it is
# attacked through its /proc/PID/exe by root in the container's
# namespaces with the container's capabilities.
shebang_attack() {
	local fifo=$BATS_TEST_TMPDIR/out fd w prog init cmd
	mkfifo "$fifo"
	exec {fd}<>"$fifo" # the only reader, ours
	exec {w}>"$fifo"   # the container's stdout: write-only
	# Fill the pipe: the runtime's usage text will not fit.
	dd if=/dev/zero of=/dev/fd/$fd bs=4096 count=64 oflag=nonblock 2>/dev/null || true
	"$CONTAINER" run "$@" -v "$T:/t:ro" "$T/img" /bin/sh \
		>&$w {fd}>&- 2>"$BATS_TEST_TMPDIR/err" &
	prog=$!
	exec {w}>&-
	# (Under --userns the run may be over before we look: see below.)
	init=$(child_of $prog) && cmd=$(child_of $init) || cmd=
	[ -z "$cmd" ] || wait_for eval '[[ "$(cmdline_of $cmd)" == "/proc/self/exe --help"* ]] ||
		! kill -0 $cmd 2>/dev/null'
	if [ -n "$cmd" ] && kill -0 $cmd 2>/dev/null; then
		echo "the runtime in the container runs $(readlink /proc/$cmd/exe)"
		[ "$(readlink /proc/$cmd/exe)" != "$BIN" ]
		run nsenter -t "$cmd" -a -r -w /t/attack exe /proc/2/exe
		echo "$output"
		[ "${lines[0]}" = "drop ok" ]
		exec {fd}>&- # no reader: the held write fails, the run ends
		wait $prog || true
	else
		# It must be held writing its usage to the full pipe.
		echo "the runtime inside did not run: $(cat "$BATS_TEST_TMPDIR/err")"
		exec {fd}>&-
		wait $prog || true
		false
	fi
	binary_unchanged
}

# Waits for background job $1 and checks that it exited with status $2.
wait_status() {
	local st=0
	wait "$1" || st=$?
	echo "status $st, expected $2"
	[ "$st" -eq "$2" ]
}

@test "10-full-exe harden: an image whose /bin/sh is #!/proc/self/exe runs a sealed copy, not the host's binary" {
	shebang_attack
}

@test "10-full-exe harden: #!/proc/self/exe under --userns" {
	shebang_attack --userns
}

@test "10-full-exe: the init runs from a sealed memfd, the runtime on the host from its file; ps says container" {
	"$CONTAINER" run "$RFS" sleep 5 &
	prog=$!
	init=$(child_of $prog)
	wait_for eval '[ "$(readlink /proc/$init/exe)" = "/memfd:container (deleted)" ]'
	# Nothing of the container sees the runtime (selfexec.c says why).
	[ "$(readlink /proc/$prog/exe)" = "$BIN" ]
	[ "$(cat /proc/$prog/comm) $(cat /proc/$init/comm)" = "container container" ]
	# The host's argv is unchanged for the runtime; the init's is its own.
	[[ "$(cmdline_of $prog)" == *"run $RFS sleep 5"* ]]
	wait_for eval '[ "$(cmdline_of $init)" = "container-init sleep 5 " ]'
	# Not dumpable: without CAP_SYS_PTRACE even root (the same uid, more
	# capabilities) may not follow its exe link.
	run setpriv --inh-caps=-all --bounding-set=-sys_ptrace \
		readlink /proc/$init/exe
	[ "$status" -ne 0 ]
	kill $prog
	wait $prog || true
}

@test "10-full-exe: leaves nothing behind on the host" {
	assert_no_leaks
}
