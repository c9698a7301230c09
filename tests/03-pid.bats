#!/usr/bin/env bats
# 03-pid: a PID namespace makes the command PID 1. The program forwards
# its signals to it; PID 1 ignores signals it has no handler for and
# adopts orphans, which a plain command never reaps; --init fixes both.
# Every check reads the host's /proc: the host sees the whole tree.

load helpers
bats_require_minimum_version 1.5.0

PID="$BATS_TEST_DIRNAME/../03-pid/pid"

setup_file() {
	snapshot_host
}

setup() {
	need_root
	rc=0 # exit status of a program run in the background: `wait $prog || rc=$?`
	prog= program= tracer=
}

# A failed check must not leave a container running: SIGKILL cannot be
# forwarded, it ends the program and PR_SET_PDEATHSIG the container.
teardown() {
	kill_spawned
}

# Waits for the background program $1 to end and puts its exit status in
# rc. A program still running after 5 s is killed and rc says "hung", so
# a broken lesson fails the test instead of hanging it. (bash reaps its
# children as they end and keeps their status for `wait`.)
finish() {
	if wait_for test ! -e /proc/"$1"; then
		wait "$1" || rc=$?
	else
		kill_tree "$1"
		wait "$1" || true
		rc=hung
	fi
}

# Starts the program in the background with the given arguments: prog is
# the program, pid1 the container's PID 1, as the host sees them.
start() {
	"$PID" "$@" &
	prog=$!
	pid1=$(child_of $prog)
}

# The PID a process has in its own namespace: the last field of NSpid.
ns_pid() {
	awk '/^NSpid:/ { print $NF }' /proc/"$1"/status
}

# One-letter state (R, S, Z...) of a host PID.
state_of() {
	awk '/^State:/ { print $2 }' /proc/"$1"/status 2>/dev/null
}

is_zombie() {
	[ "$(state_of "$1")" = Z ]
}

# True when file $3 has at least $1 lines matching $2 (wait_for runs it
# again each time: a "$(...)" argument would be read only once).
seen_at_least() {
	[ "$(grep -c "$2" "$3")" -ge "$1" ]
}

comm_is() {
	[ "$(cat /proc/"$1"/comm 2>/dev/null)" = "$2" ]
}

# True when process $1 is traced by process $2 (ptrace: strace -p).
traced_by() {
	[ "$(awk '/^TracerPid:/ { print $2 }' /proc/"$1"/status)" = "$2" ]
}

# True when host PID $1 has two children besides $2.
two_orphans() {
	[ "$(children_of "$1" | grep -cvx "$2")" -eq 2 ]
}

# The children of host PID $1, one per line.
children_of() {
	cat /proc/"$1"/task/*/children | tr ' ' '\n' | grep .
}

@test "03-pid: the command is PID 1 inside, an ordinary PID on the host" {
	start -- sh -c "echo \$\$ > '$BATS_TEST_TMPDIR/pid'; exec sleep 100"
	child=$pid1
	wait_for test -s "$BATS_TEST_TMPDIR/pid"
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = 1 ] # what `echo $$` said
	# The same process, seen from the host: NSpid lists its PID in each
	# namespace, outermost first.
	[ "$child" -gt 1 ]
	[ "$(grep NSpid /proc/$child/status | tr -s '\t ' ' ')" = "NSpid: $child 1" ]
	[ "$(readlink /proc/$child/ns/pid)" != "$(readlink /proc/self/ns/pid)" ]
	kill -KILL $prog
	finish $prog
	[ "$rc" = 137 ]
}

@test "03-pid: signals sent to the program reach the command (a trap in sh)" {
	for init in "" --init; do
		out="$BATS_TEST_TMPDIR/out$init"
		"$PID" $init -- sh -c '
			for s in HUP INT QUIT USR1 USR2; do trap "echo got-$s" $s; done
			trap "echo got-TERM; exit 3" TERM
			echo ready
			while :; do sleep 0.1; done' >"$out" &
		prog=$!
		wait_for grep -q ready "$out"
		for s in HUP INT QUIT USR1 USR2; do
			kill -$s $prog
			wait_for grep -q "got-$s" "$out"
		done
		kill -TERM $prog
		# 3, not 143: the program lived on and passed the status back.
		finish $prog
		[ "$rc" = 3 ]
		grep -q got-TERM "$out"
	done
}

@test "03-pid: without --init, sleep as PID 1 ignores a forwarded SIGTERM" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	log="$BATS_TEST_TMPDIR/kills"
	start -- sleep 100
	wait_for comm_is $pid1 sleep
	strace -qq -e trace=kill -e signal=none -o "$log" -p "$prog" &
	tracer=$!
	wait_for traced_by "$prog" "$tracer"
	kill -TERM $prog
	# Outside a PID namespace SIGTERM kills sleep at once. PID 1 without
	# a handler drops it, in the kill() that forwards it: once that call
	# has returned (strace logs it whole), sleep would be dying already.
	wait_for grep -q '^kill([0-9]*, SIGTERM) *= 0' "$log"
	[ "$(state_of $pid1)" = S ]
	[ -d /proc/$prog ]
	# SIGKILL cannot be forwarded: the program dies, and the kernel
	# kills the container with it (PR_SET_PDEATHSIG).
	kill -KILL $prog
	finish $prog
	[ "$rc" = 137 ]
	wait_for test ! -e /proc/$pid1
	wait "$tracer" || true # strace ends with the program
}

@test "03-pid: the third SIGINT/SIGTERM becomes SIGKILL (exit 137)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	log="$BATS_TEST_TMPDIR/signals"
	start -- sleep 100
	wait_for comm_is $pid1 sleep
	strace -qq -e trace=none -e signal=SIGINT,SIGTERM -o "$log" -p "$prog" &
	tracer=$!
	wait_for traced_by "$prog" "$tracer"
	n=0
	for sig in TERM INT; do
		kill -$sig $prog
		# Arrived before the next is sent (strace sees it): two
		# pending SIGTERMs would merge into one.
		n=$((n + 1))
		wait_for seen_at_least $n "^--- SIG" "$log"
	done
	[ "$(state_of $pid1)" = S ] # two were not enough
	kill -TERM $prog
	finish $prog
	[ "$rc" = 137 ]
	wait "$tracer" || true
}

# Runs the program on a terminal of its own, made by script(1): what the
# test writes to fd 4 is typed on it. Sets prog (script itself) and
# program (the lesson's program, on that terminal). A Ctrl-C flushes the
# terminal's output, so commands report to files, not to the terminal.
on_terminal() {
	mkfifo "$BATS_TEST_TMPDIR/keys"
	script -qec "exec $*" /dev/null <"$BATS_TEST_TMPDIR/keys" \
		>"$BATS_TEST_TMPDIR/terminal" 2>&1 &
	prog=$!
	exec 4>"$BATS_TEST_TMPDIR/keys"
	program=$(child_of $prog)
}

@test "03-pid: a Ctrl-C that PID 1 handles does not count as a stop" {
	out="$BATS_TEST_TMPDIR/out"
	on_terminal "'$PID' -- sh -c '
		trap \"echo got-INT >>$out\" INT; trap \"exit 3\" TERM
		echo ready >$out; while :; do sleep 0.1; done'"
	wait_for grep -q ready "$out"
	# The terminal sends SIGINT to its whole foreground group, the
	# container included. (The program does not send it a second time;
	# sh would merge two pending SIGINTs, so this cannot show it.)
	for i in 1 2 3 4; do
		printf '\003' >&4
		wait_for seen_at_least $i got-INT "$out"
	done
	# Four Ctrl-C that PID 1 handled are not three requests to stop:
	# the shell is still there to exit 3 on SIGTERM.
	kill -TERM $program
	finish $prog
	[ "$rc" = 3 ]
	exec 4>&-
}

# The program traced from outside: strace logs every kill(2) it makes.
# A Ctrl-C reached the container from the terminal already, so it must
# make none; a SIGINT sent to the program by kill(1) must make one. (The
# shell cannot tell: two SIGINTs that arrive together merge into one.)
@test "03-pid: a Ctrl-C is not forwarded a second time (strace sees no kill)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	out="$BATS_TEST_TMPDIR/out" log="$BATS_TEST_TMPDIR/kills"
	on_terminal "'$PID' -- sh -c '
		trap \"echo got-INT >>$out\" INT; trap \"exit 3\" TERM
		echo ready >$out; while :; do sleep 0.1; done'"
	wait_for grep -q ready "$out"
	strace -qq -e trace=kill -e signal=none -o "$log" -p "$program" &
	tracer=$!
	wait_for traced_by "$program" "$tracer"
	printf '\003' >&4 # from the terminal: SI_KERNEL
	wait_for seen_at_least 1 got-INT "$out"
	kill -INT "$program" # from a process: SI_USER, forwarded
	wait_for seen_at_least 2 got-INT "$out"
	kill -TERM "$program"
	finish $prog
	[ "$rc" = 3 ]
	wait "$tracer" || true # strace ends with the program
	cat "$log" # shown if the test fails
	[ "$(grep -c '^kill([0-9]*, SIGINT)' "$log")" -eq 1 ]
	exec 4>&-
}

@test "03-pid: three Ctrl-C end a PID 1 that drops them (137)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	log="$BATS_TEST_TMPDIR/signals"
	on_terminal "'$PID' -- sleep 100"
	pid1=$(child_of $program)
	wait_for comm_is $pid1 sleep
	# Each Ctrl-C reaches the program before the next is typed (strace
	# sees it arrive): two pending SIGINTs would merge into one.
	strace -qq -e trace=none -e signal=SIGINT -o "$log" -p "$program" &
	tracer=$!
	wait_for traced_by "$program" "$tracer"
	for n in 1 2; do
		printf '\003' >&4
		wait_for seen_at_least $n SIGINT "$log"
	done
	[ "$(state_of $pid1)" = S ] # dropped: PID 1 has no handler
	printf '\003' >&4
	finish $prog
	[ "$rc" = 137 ]
	wait "$tracer" || true # strace ends with the program
	exec 4>&-
}

@test "03-pid: with --init, a forwarded SIGTERM ends sleep (143)" {
	start --init -- sleep 100
	cmd=$(child_of $pid1)
	wait_for comm_is $cmd sleep
	# The init is PID 1 and the command PID 2.
	[ "$(ns_pid $pid1)" = 1 ]
	[ "$(ns_pid $cmd)" = 2 ]
	kill -TERM $prog
	finish $prog
	[ "$rc" = 143 ]
}

@test "03-pid: without --init, orphans go to PID 1 and stay zombies" {
	# The subshell starts `sleep` and exits at once: that sleep is an
	# orphan, which the kernel gives to PID 1, here `sleep 100`.
	start -- sh -c '(sleep 100 &); exec sleep 100'
	wait_for comm_is $pid1 sleep # sh waited for the subshell, then exec'd
	orphan=$(children_of $pid1)
	[ -n "$orphan" ]
	comm_is $orphan sleep
	[ "$(awk '/^PPid:/ { print $2 }' /proc/$orphan/status)" = "$pid1" ]
	[ "$(ns_pid $orphan)" -gt 2 ]
	kill -KILL $orphan
	# Nobody will wait(2) for it: it stays a zombie as long as PID 1 lives.
	wait_for is_zombie $orphan
	sleep 0.3
	[ "$(state_of $orphan)" = Z ]
	kill -KILL $prog
	finish $prog
	[ "$rc" = 137 ]
	wait_for test ! -e /proc/$orphan # PID 1 died: the namespace is gone
}

@test "03-pid: with --init, orphans are reaped while the command runs" {
	start --init -- sh -c '(sleep 100 &); (sleep 100 &); exec sleep 100'
	init=$pid1
	cmd=$(child_of $init)
	wait_for comm_is $cmd sleep
	wait_for two_orphans $init $cmd
	orphans=$(children_of $init | grep -vx "$cmd")
	for o in $orphans; do
		comm_is $o sleep
		[ "$(awk '/^PPid:/ { print $2 }' /proc/$o/status)" = "$init" ]
	done
	[ "$(ns_pid $init)" = 1 ]
	# Both die while the init is stopped (a SIGSTOP from the host, an
	# ancestor namespace, stops even PID 1): their two SIGCHLDs merge
	# into one, and the init must reap both on it.
	kill -STOP $init
	kill -KILL $orphans
	for o in $orphans; do wait_for is_zombie $o; done
	kill -CONT $init
	# The init reaps them: they vanish while the command still runs.
	for o in $orphans; do wait_for test ! -e /proc/$o; done
	[ "$(state_of $cmd)" = S ]
	kill -TERM $prog
	finish $prog
	[ "$rc" = 143 ]
}

@test "03-pid: the command's exit status comes back, with and without --init" {
	run "$PID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run "$PID" --init sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 "$PID" no-such-command-here
	[[ "$output" == *"03-pid: exec no-such-command-here"* ]]
	run -127 "$PID" --init no-such-command-here
	[[ "$output" == *"03-pid: exec no-such-command-here"* ]]
	# Under --init the command is not PID 1: its own SIGTERM kills it.
	run "$PID" --init sh -c 'kill -TERM $$'
	[ "$status" -eq $((128 + 15)) ]
}

@test "03-pid: a bad option exits 125 with a usage hint; --help lists --init" {
	run -125 "$PID" --no-such-option true
	[[ "${lines[0]}" == "03-pid: unknown option '--no-such-option'" ]]
	[[ "$output" == *"--help"* ]]
	run -125 "$PID" --init=yes true
	[[ "${lines[0]}" == 03-pid:* ]]
	run "$PID" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--init"* ]]
}

# Students copy the README's commands literally: each one shown with its
# output must print it (tests/readme; … marks what varies).
@test "03-pid: the README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/03-pid/README.md"
}

@test "03-pid: the Chinese README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/03-pid/README.zh-CN.md"
	# and they are the English one's: the same blocks (and the same
	# marks before them), line for line.
	diff <(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/03-pid/README.md") \
		<(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/03-pid/README.zh-CN.md")
}

@test "03-pid: leaves nothing behind on the host" {
	assert_no_leaks
}
