#!/usr/bin/env bats
# 01-uts: a UTS namespace gives the command its own hostname, and the
# program passes the command's exit status through.

load helpers
bats_require_minimum_version 1.5.0

UTS="$BATS_TEST_DIRNAME/../01-uts/uts"

setup_file() {
	snapshot_host
}

setup() {
	need_root
}

@test "01-uts: hostname inside is the one given" {
	run "$UTS" --hostname lesson-box -- hostname
	[ "$status" -eq 0 ]
	[ "$output" = lesson-box ]
}

@test "01-uts: the host's hostname is unchanged during and after" {
	before=$(hostname)
	# A name the host cannot have already (an earlier test that leaked
	# its name to the host would otherwise make this one pass).
	name=lesson-$$-$RANDOM
	[ "$before" != "$name" ]
	"$UTS" --hostname "$name" -- sh -c "hostname > $BATS_TEST_TMPDIR/in; sleep 1" &
	prog=$!
	wait_for test -s "$BATS_TEST_TMPDIR/in"
	[ "$(cat "$BATS_TEST_TMPDIR/in")" = "$name" ]
	[ "$(hostname)" = "$before" ] # during
	wait "$prog"
	[ "$(hostname)" = "$before" ] # after
}

@test "01-uts: /proc/PID/ns/uts of the container differs from the host's" {
	"$UTS" --hostname lesson-box -- sleep 2 &
	prog=$!
	child=$(child_of $prog)
	inside=$(readlink /proc/$child/ns/uts)
	host=$(readlink /proc/self/ns/uts)
	# Without CLONE_NEWUTS the two links would name the same namespace.
	[ -n "$inside" ]
	[ "$inside" != "$host" ]
	# The program itself stays in the host's namespace.
	[ "$(readlink /proc/$prog/ns/uts)" = "$host" ]
	wait "$prog"
}

@test "01-uts: the command's exit status comes back (7, 127, 126, 128+N)" {
	run "$UTS" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 "$UTS" no-such-command-here
	[[ "$output" == *"01-uts: exec no-such-command-here"* ]]
	run -126 "$UTS" /etc/passwd
	run "$UTS" sh -c 'kill -TERM $$'
	[ "$status" -eq $((128 + 15)) ]
}

@test "01-uts: a command that cannot run is named with its control bytes escaped, never raw: an image's command cannot drive the reader's terminal" {
	run -127 "$UTS" $'\e]0;title\anot-here'
	[ "$output" = '01-uts: exec \x1b]0;title\x07not-here: No such file or directory' ]
}

@test "01-uts: stdin and stdout pass through" {
	run sh -c "echo through-the-pipe | '$UTS' cat"
	[ "$status" -eq 0 ]
	[ "$output" = through-the-pipe ]
}

@test "01-uts: a bad option or hostname exits 125 with a clear line" {
	run -125 "$UTS" --no-such-option true
	[[ "${lines[0]}" == "01-uts: unknown option '--no-such-option'" ]]
	[[ "$output" == *"--help"* ]]
	before=$(hostname)
	run -125 "$UTS" --hostname 'not a name' true
	[[ "$output" == *"01-uts: hostname 'not a name'"* ]]
	# RFC 1123 labels: none empty, none starting or ending with '-'.
	for name in .. - -x x- a..b .a a.; do
		run -125 "$UTS" --hostname "$name" true
		[[ "$output" == *"01-uts: hostname '$name': each dot-separated part"* ]]
	done
	run "$UTS" --hostname a-b.c-d.1 hostname
	[ "$output" = a-b.c-d.1 ]
	[ "$(hostname)" = "$before" ]
}

# A check made in the child, after clone(), would exit 125 with the same
# message: only a trace of the program tells "refused before anything was
# created" from "created, then failed".
@test "01-uts: a bad hostname is refused before clone() (strace)" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	trace="$BATS_TEST_TMPDIR/trace"
	for name in 'not a name' .. - -x x- a..b; do
		run -125 strace -f -qq -e trace=clone,clone3 -o "$trace" \
			"$UTS" --hostname "$name" true
		[[ "$output" == *"01-uts: hostname '$name'"* ]]
		run grep clone "$trace"
		[ "$status" -eq 1 ] # not one clone
	done
	# The same trace of a good run shows the clone: the filter works.
	run -0 strace -f -qq -e trace=clone,clone3 -o "$trace" \
		"$UTS" --hostname lesson-box true
	grep -q 'clone.*CLONE_NEWUTS' "$trace"
}

@test "01-uts: --help prints usage and exits 0" {
	run "$UTS" --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
	[[ "$output" == *--hostname* ]]
}

# --- a run under faults: the program killed, or signalled, during start
# (helpers.bash, "faults during start", says how strace makes the instant
# exact).

# The child waits for "go" on a pipe. It held a copy of the pipe's write
# end itself, so a parent killed before "go" (and before the child's
# prctl) left it waiting for ever: an orphan in new namespaces, holding
# our stdout, that nothing could find. strace holds the child 2 s at its
# first prctl, if it makes one before "go", and kills the program as it
# writes "go", its first write.
@test "01-uts: killed before its \"go\", the program leaves no child behind (strace)" {
	need_strace
	ran="$BATS_TEST_TMPDIR/ran"
	strace -f -qq -o /dev/null -e trace=write,prctl -e signal=none \
		-e inject=prctl:delay_enter=2000000:when=1 \
		-e inject=write:signal=SIGKILL:when=1 \
		"$UTS" sh -c "touch $ran" &
	# The child sees end of file on the pipe and exits (strace too, once
	# its last tracee is gone). The command never ran.
	wait_long none_marked || { alive_marked; false; }
	[ ! -e "$ran" ]
}

# PR_SET_PDEATHSIG covers only a parent that dies after the prctl. Here
# strace holds the child 3 s before its prctl, after "go"; the program is
# killed meanwhile. Without a look at the parent after the prctl, the
# command ran to its end, with no program left to wait for it.
@test "01-uts: killed after \"go\" but before the child's prctl, the command never runs (strace)" {
	need_strace
	ran="$BATS_TEST_TMPDIR/ran"
	strace -f -qq -o /dev/null -e trace=prctl \
		-e inject=prctl:delay_enter=3000000:when=1 \
		"$UTS" sh -c "touch $ran" &
	prog=$(traced $! uts)
	child=$(child_of "$prog")
	wait_for in_wait "$prog"
	stopped "$child" # held before its prctl
	kill -KILL "$prog"
	wait_long none_marked || { alive_marked; false; }
	[ ! -e "$ran" ]
}

# A SIGINT during start used to be discarded (the program set SIGINT to
# SIG_IGN after clone(), which throws away a pending one): the command
# ran as if nothing had happened. Here it comes as 05-user's parent hook
# writes the uid map, the program's first write.
@test "01-uts: a SIGINT during start ends the run with 130, the command never runs (strace)" {
	need_strace
	ran="$BATS_TEST_TMPDIR/ran"
	run -130 strace -f -qq -o /dev/null -e trace=write -e signal=none \
		-e inject=write:signal=SIGINT:when=1 \
		"$ROOT/05-user/user" --userns sh -c "touch $ran"
	[ ! -e "$ran" ]
	none_marked || { alive_marked; false; }
}

# After "go", 03-pid forwards a signal to the child; still in its setup
# (strace holds it 3 s after sethostname), the child holds it until just
# before the command would start, and the run ends there. Before, PID 1
# in its setup dropped it (no handler), and the command ran.
@test "01-uts: a SIGTERM during the child's setup ends the run with 143 (strace)" {
	need_strace
	ran="$BATS_TEST_TMPDIR/ran"
	strace -f -qq -o /dev/null --seccomp-bpf -e trace=sethostname \
		-e inject=sethostname:delay_exit=3000000:when=1 \
		"$ROOT/03-pid/pid" --hostname lesson-box sh -c "touch $ran" &
	st=$!
	prog=$(traced $st pid)
	child=$(child_of "$prog")
	wait_for in_wait "$prog"
	wait_for stopped "$child" # in its setup, after "go"
	kill -TERM "$prog"
	status=0
	wait "$st" || status=$?
	[ "$status" -eq 143 ]
	[ ! -e "$ran" ]
	none_marked || { alive_marked; false; }
}

# Random instants: the program killed anywhere in its start (or just
# after). Every process of the run must be gone: its child dies with it.
@test "01-uts: 25 runs killed with -9 at random instants leave no process (06-net)" {
	local i
	for i in $(seq 25); do
		"$ROOT/06-net/net" --lo sleep 100 &
		sleep "0.00$((RANDOM % 10))"
		kill -KILL $! 2>/dev/null || true
		wait $! 2>/dev/null || true
	done
	wait_for none_marked || { alive_marked; false; }
}

# Students copy the README's commands literally: each one shown with its
# output must print it (tests/readme; … marks what varies).
@test "01-uts: the README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/01-uts/README.md"
}

@test "01-uts: the Chinese README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/01-uts/README.zh-CN.md"
	# and they are the English one's: the same blocks (and the same
	# marks before them), line for line.
	diff <(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/01-uts/README.md") \
		<(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/01-uts/README.zh-CN.md")
}

# The control for the two above, for what tests/readme learned for these
# READMEs: a root shell (`$ sudo -s`, then `# ` lines typed into it, where
# $! is the program), a block indented in a list item, and spaces at the
# end of a line. Each is checked for real: a wrong output fails.
@test "tests/readme: a root shell block, an indented block, trailing spaces" {
	md="$BATS_TEST_TMPDIR/control.md"
	printf '%s\n' '```console' '$ sudo -s' '# sleep 100 &' \
		'# for i in $(seq 50); do [ "$(cat /proc/$!/comm)" = sleep ] && break; sleep 0.1; done' \
		'# echo "my job: $(cat /proc/$!/comm)"' 'my job: sleep' \
		'# kill $!' '# exit' '```' '1. An exercise:' '' '   ```console' \
		"   \$ printf 'a  \\n'" '   a' '   ```' >"$md"
	run "$ROOT/tests/readme" "$md"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"block 1: 1 of 1 commands print"* ]]
	[[ "$output" == *"block 2: 1 of 1 commands print"* ]]
	# The same, with one word changed in each block: both fail.
	sed -i 's/^my job: sleep$/your job: sleep/; s/^   a$/   b/' "$md"
	run "$ROOT/tests/readme" "$md"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"block 1: 0 of 1 commands print"* ]]
	[[ "$output" == *"block 2: 0 of 1 commands print"* ]]
}

@test "01-uts: what make builds under sudo (sudo make test-03 after an edit) is the user's, not root's (lesson.mk)" {
	# A student's own make failed on the .o files root had rebuilt.
	need_root
	copy=$BATS_TEST_TMPDIR/tree
	mkdir -p "$copy"
	cp "$ROOT/lesson.mk" "$copy/"
	cp -r "$ROOT/01-uts" "$copy/"
	make -s -C "$copy/01-uts" clean >/dev/null
	SUDO_UID=65534 SUDO_GID=65534 make -s -C "$copy/01-uts" >/dev/null
	[ "$(stat -c %u:%g "$copy/01-uts/uts" "$copy/01-uts/uts.o" "$copy/01-uts/uts.d" | sort -u)" = 65534:65534 ]
	# Without sudo, root's build stays root's.
	make -s -C "$copy/01-uts" clean >/dev/null
	make -s -C "$copy/01-uts" >/dev/null
	[ "$(stat -c %u "$copy/01-uts/uts.o")" = 0 ]
}

@test "01-uts: leaves nothing behind on the host" {
	assert_no_leaks
}
