#!/usr/bin/env bats
# 10-full: nothing in the container reaches the host's `container` binary,
# nor the runtime's memory, argv and environment, through /proc
# (CVE-2019-5736 and kin; 10-full/selfexec.c). Each test is an attack from
# inside, as root in the container, with the container's capabilities;
# each checks that the host's binary keeps its owner, mode, xattrs and
# bytes. Each fails when the runtime code that runs inside (the sealed
# copy that execs the command; with --init, 03's init) is a clone of the
# runtime run from the host's file (as before selfexec.c).

load helpers
load container
bats_require_minimum_version 1.5.0

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
	remove_nobody_copies
}

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	before=$(binary_state)
	# Other runs on this machine may have containers of their own:
	# only what appears during this test is judged.
	container_setup
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

# Every test leaves nothing of its containers behind (container.bash).
teardown() {
	container_teardown
}

# The attacks on PID 1 from inside, with options $@ for `run`, when PID 1
# is runtime code, 03's init (--init); the host's secret is in the
# runtime's environment and the image's path in its argv.
attack_pid1() {
	run "$CONTAINER" run --rm --init "$@" -e VISIBLE=to-the-command -v "$T:/t:ro" "$RFS" /t/attack pid1
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

@test "10-full-exe harden: --init: PID 1's exe, mem, environ and cmdline give root inside nothing of the host" {
	attack_pid1
}

@test "10-full-exe harden: --init: the same under --userns" {
	attack_pid1 --userns
}

# Without --init the sealed copy execs the command: PID 1 is the attack
# program itself, with its own file (read-only here: -v :ro), its own
# memory and environment, and nothing of the runtime is left to attack.
@test "10-full-exe harden: without --init, PID 1 is the command itself: its own exe and memory, only its own argv and environment" {
	local opt
	for opt in "" --userns; do
		run "$CONTAINER" run --rm $opt -e VISIBLE=to-the-command -v "$T:/t:ro" "$RFS" /t/attack pid1
		echo "$output"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "chown EROFS" ] # /t/attack, through the ro volume
		[ "${lines[4]}" = "mem ok" ]	   # its own
		[[ "${lines[5]}" == "environ "*" VISIBLE=to-the-command " ]]
		[ "${lines[6]}" = "cmdline /t/attack pid1 " ]
		[[ "$output" != *"$HOST_SECRET"* ]]
		[[ "$output" != *"$RFS"* ]]
		binary_unchanged
	done
}

# A copy of the runtime in a directory whose path overlayfs cannot take
# as a lower layer (':' separates layers): as root it falls back to a
# sealed copy of itself (selfcopy.c), as a rootless run does.
fallback_runtime() {
	mkdir -p "$T/no:overlay"
	[ -e "$T/no:overlay/container" ] || cp "$BIN" "$T/no:overlay/container"
	echo "$T/no:overlay/container"
}

@test "10-full-exe harden: where no overlay can show the binary, the init runs from a sealed memfd copy" {
	local rt
	rt=$(fallback_runtime)
	"$rt" run --rm --init "$RFS" sleep 5 &
	prog=$!
	init=$(child_of $prog)
	wait_for eval '[ "$(readlink /proc/$init/exe)" = "/memfd:container (deleted)" ]'
	kill $prog
	wait $prog || true
	run "$rt" run --rm --init -v "$T:/t:ro" "$RFS" /t/attack pid1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "chown EACCES" ]
	[ "${lines[3]}" = "write EACCES" ]
	[ "${lines[6]}" = "cmdline container-init /t/attack pid1 " ]
	binary_unchanged
}

@test "10-full-exe harden: where vm.memfd_noexec=2 forbids an executable memfd, an unnamed copy holds as well" {
	[ -e /proc/sys/vm/memfd_noexec ] || skip "no vm.memfd_noexec (Linux < 6.3)"
	local rt
	rt=$(fallback_runtime)
	# The setting belongs to a PID namespace: raise it in one of our own.
	unshare --pid --fork sh -c 'echo 2 >/proc/sys/vm/memfd_noexec &&
		exec "$0" run --rm --init "$1" sleep 5' "$rt" "$RFS" &
	prog=$!
	# unshare, its sh exec'd into the runtime, which clones the init;
	# the init execs the copy as its last step of setup
	rt_pid=$(child_of $prog)
	init=$(child_of $rt_pid)
	wait_for eval '[[ "$(readlink /proc/$init/exe)" == /run/*" (deleted)" ]]'
	echo "init: $(readlink /proc/$init/exe)" # O_TMPFILE, not a memfd
	# Stopped, not killed: a runtime killed in another PID namespace
	# leaves a note that no later run may judge (sweep.c).
	kill -TERM $rt_pid
	wait $prog || true
	run unshare --pid --fork sh -c 'echo 2 >/proc/sys/vm/memfd_noexec &&
		exec "$0" run --rm --init -v "$2:/t:ro" "$1" /t/attack pid1' "$rt" "$RFS" "$T"
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
# PID 1's exec of it (the sealed copy's, without --init) runs the
# runtime's binary again, in the container, dumpable. Held while it writes to a full pipe, it is
# attacked through its /proc/PID/exe by root in the container's
# namespaces with the container's capabilities.
shebang_attack() {
	local tracer cmd nspid
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	# The runtime run by #!/proc/self/exe prints its usage and exits
	# at once. strace, from the host, holds every process of the run
	# for 8 s at its exit_group(): alive, its exe still there to be
	# attacked. (It changes nothing the container can see. 8 s, not 3:
	# the emulated pure-v2 guest needed more than 3 to find it and
	# attack; here the tracer is killed once the attack is done.)
	strace -f -qq -o /dev/null -e trace=exit_group \
		-e inject=exit_group:delay_enter=8000000 \
		"$CONTAINER" run --rm "$@" -v "$T:/t:ro" "$T/img" /bin/sh \
		>/dev/null 2>"$BATS_TEST_TMPDIR/err" &
	tracer=$!
	# By name: strace first forks short-lived probes of its own, which
	# child_of could take for the runtime (then the wait below ends at
	# once, and the teardown kills the real one halfway).
	runtime=$(traced $tracer container)
	wait_for eval 'cmd=$(held_runtime $tracer); [ -n "$cmd" ]' || {
		echo "the runtime inside did not run: $(cat "$BATS_TEST_TMPDIR/err")"
		wait $tracer || true
		return 1
	}
	echo "the runtime in the container runs $(readlink /proc/$cmd/exe)"
	[ "$(readlink /proc/$cmd/exe)" != "$BIN" ]
	nspid=$(awk '/^NSpid:/ { print $NF }' /proc/$cmd/status)
	run nsenter -t "$cmd" -a -r -w /t/attack exe /proc/$nspid/exe
	echo "$output"
	[ "${lines[0]}" = "drop ok" ]
	# Done: strace need not hold the other exits for their seconds.
	# Killed, it lets its tracees go on; they end as they would have.
	kill -KILL $tracer 2>/dev/null || true
	wait $tracer || true
	# And the run, let go, cleans up before the teardown looks (which
	# would kill it, with the test's mark, halfway: its leftovers then
	# wait for the next run's sweep).
	wait_long test ! -e /proc/$runtime
	binary_unchanged
}

# The host PID of the runtime run by #!/proc/self/exe below $1.
held_runtime() {
	local p
	for p in $(tree_of "$1"); do
		[[ "$(cmdline_of $p)" != "/proc/self/exe --help"* ]] || { echo "$p"; return; }
	done
}

@test "10-full-exe harden: an image whose /bin/sh is #!/proc/self/exe runs the sealed binary, not the host's file" {
	shebang_attack
}

@test "10-full-exe harden: #!/proc/self/exe under --userns" {
	shebang_attack --userns
}

@test "10-full-exe: as root the init runs the binary through a read-only overlay, the runtime on the host from its file; ps says container" {
	"$CONTAINER" run --rm --init "$RFS" sleep 5 &
	prog=$!
	init=$(child_of $prog)
	# The file as the overlay shows it: at its root, in no mount of the
	# host's (selfexec.c).
	wait_for eval '[ "$(readlink /proc/$init/exe)" = "/$(basename "$BIN")" ]'
	# Read-only in itself: not even the host's root, with every
	# capability, can write, chmod or chown the binary through it.
	run sh -c "echo x >>/proc/$init/exe"
	[[ "$output" == *"Read-only file system"* ]]
	run chmod 4777 /proc/$init/exe
	[[ "$output" == *"Read-only file system"* ]]
	run chown 65534 /proc/$init/exe
	[[ "$output" == *"Read-only file system"* ]]
	binary_unchanged
	# The overlay's other layer, the data root's empty/, stays empty on
	# the host, and nothing is mounted there but in the container's own
	# mount namespace (its small tmpfs, layers.c).
	[ -z "$(ls -A "$DATA/empty")" ]
	[ -z "$(grep " $DATA/empty " /proc/self/mountinfo)" ]
	# Nothing of the container sees the runtime (selfexec.c says why).
	[ "$(readlink /proc/$prog/exe)" = "$BIN" ]
	[ "$(cat /proc/$prog/comm) $(cat /proc/$init/comm)" = "container container" ]
	# The host's argv is unchanged for the runtime; the init's is its own.
	[[ "$(cmdline_of $prog)" == *"run --rm --init $RFS sleep 5"* ]]
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
