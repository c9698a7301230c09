#!/usr/bin/env bats
# 10-full: containers that live on. run -d leaves a supervisor and
# returns; ps, logs, stop, kill, start, rm and inspect act on the
# container later; an exited container stays until rm (or --rm).
# Each test keeps its containers in a data root of its own (--root), so
# that it sees no one else's, and nobody sees its.

load helpers
load container
POOL=/run/lesson-container-ids # IDPOOL_DIR in 10-full/userns.h
bats_require_minimum_version 1.5.0

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	container_setup
	R="$BATS_TEST_TMPDIR/root"
	C=("$CONTAINER" --root "$R")
}

# What the test did not remove itself is removed (container.bash).
teardown() {
	container_rm_teardown
}

# The status `ps -a` shows for container $1 (a name or an id). Columns
# are three spaces or more apart.
status_of() {
	"${C[@]}" ps -a | awk -F '   +' -v c="$1" '$1 == c || $6 == c { print $5 }'
}

is_status() {
	[[ "$(status_of "$1")" == $2 ]]
}

# Nothing of any container is left in the test's data root.
root_is_empty() {
	[ -z "$(ls -A "$R/containers")" ] && [ -z "$(ls -A "$R/names")" ] || {
		ls -lA "$R/containers" "$R/names" # shown if the test fails
		return 1
	}
}

@test "10-full life: run -d prints the id and returns while the command runs; ps shows it Up; with --init stop records 143; rm leaves nothing" {
	run "${C[@]}" run -d --init --name web "$RFS" sleep 100
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9a-f]{12}$ ]]
	id=$output
	[[ "$(status_of web)" == "Up "* ]]
	run "${C[@]}" ps -q
	[ "$output" = "$id" ]
	# State.Pid is the host PID of the init, whose child is the command.
	pid=$("${C[@]}" inspect -f '{{.State.Pid}}' web)
	[ "$(cat /proc/$pid/comm)" = container ]
	[ "$(cat /proc/$pid/task/*/children)" = "$(descendant $pid sleep) " ]
	run "${C[@]}" stop web
	[ "$output" = web ]
	[[ "$(status_of web)" == "Exited (143) "* ]]
	[ "$("${C[@]}" inspect -f '{{.State.ExitCode}} {{.State.Pid}} {{.State.Status}}' web)" = "143 0 exited" ]
	[ ! -d /proc/$pid ]
	run "${C[@]}" ps -q
	[ -z "$output" ]
	"${C[@]}" rm web
	root_is_empty
	run "${C[@]}" ps -aq
	[ -z "$output" ]
}

@test "10-full life: a record of 85 KiB (-e of 7000 control bytes, as an image's Env may hold) is read back: ps, exec, stop and rm find the container" {
	# store_read() read 40 KiB: a bigger record (each control byte is
	# six in JSON, \u0001) was unreadable, and its container, running,
	# was gone from every verb; rm said "no such container" and the name
	# stayed taken for good (a hostile tester's image did it with Env).
	v=$(head -c 7000 /dev/zero | tr '\0' '\001')
	"${C[@]}" run -d --name big -e "X=$v" "$RFS" sleep 100 >/dev/null
	[ "$(stat -c %s "$R"/containers/*.json)" -gt 80000 ]
	is_status big 'Up*'
	[ "$("${C[@]}" exec big sh -c 'echo ${#X}')" = 7000 ]
	"${C[@]}" stop -t 0 big
	is_status big 'Exited (137)*'
	"${C[@]}" rm big
	root_is_empty
}

@test "10-full life: a data root that is a link someone else planted is refused before anything is made in what it points to" {
	# /var/tmp is every user's: a user's link where root's (or another
	# user's) data root will be made it pointed at, and the runtime made
	# containers/ and names/ there, then refused it (a hostile tester's).
	victim=$BATS_TEST_TMPDIR/victim
	mkdir "$victim"
	ln -s "$victim" "$BATS_TEST_TMPDIR/trap"
	chown -h 65534:65534 "$BATS_TEST_TMPDIR/trap"
	run -125 "$CONTAINER" --root "$BATS_TEST_TMPDIR/trap" ps
	[[ "$output" == *"is not a directory of yours"* ]]
	[ -z "$(ls -A "$victim")" ]
}

@test "10-full life: run -d of a command that cannot start exits 127 or 126, with the reason, and keeps the container exited" {
	run -127 "${C[@]}" run -d --name bad "$RFS" no-such-command
	[[ "$output" == *"exec no-such-command: No such file or directory"* ]]
	[[ "$(status_of bad)" == "Exited (127) "* ]]
	run -126 "${C[@]}" run -d --rm "$RFS" /etc/passwd
	[[ "$output" == *"Permission denied"* ]]
	# --rm: nothing of the second one stays.
	[ "$("${C[@]}" ps -aq | wc -l)" -eq 1 ]
}

@test "10-full life: run -d: what the command writes to stderr goes to its log, never to the caller's stderr (which tells only why a start failed)" {
	# The command writes at once, racing the init's word that it runs:
	# before the fix, 7 starts in 10 printed "err" where run -d was typed.
	for n in 1 2 3 4 5; do
		run --separate-stderr "${C[@]}" run -d --name "e$n" "$RFS" sh -c 'echo err >&2; exec sleep 100'
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		wait_for logged_err "e$n"
	done
}

# Whether container $1's log holds the line "err".
logged_err() {
	"${C[@]}" logs "$1" 2>&1 | grep -qx err
}

# The same when the command has ended before the supervisor's thread has
# heard the init's word that it runs: strace makes every thread's first
# read() return 1 s late (that thread's is the word), and the command,
# static, reads nothing and ends at once. The relay took "no word by the
# end" for "never ran" and let the held stderr out where run -d was
# typed (seen under load as an "err" twice in start -a's stderr).
@test "10-full life: run -d: a command that ended before the supervisor heard that it ran still keeps its stderr from the caller (strace)" {
	need_strace
	mkdir "$BATS_TEST_TMPDIR/t"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/quick" "$BATS_TEST_DIRNAME/10-full-life-quick.c"
	run --separate-stderr strace -f -qq -o /dev/null \
		-e inject=read:delay_exit=1000000:when=1 \
		"${C[@]}" run -d --name quick -v "$BATS_TEST_TMPDIR/t:/t:ro" "$RFS" /t/quick
	echo "status $status, stderr [$stderr]"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	wait_for logged_err quick
	wait_for is_status quick "Exited (3) *"
}

# Container $1 takes an fd that another container sends it over a unix
# socket in a shared volume ($S/s), and does $2... with it (fdpass.c):
# the fd outlives the container it came from. As a hostile tester did.
fd_taker() {
	local name=$1
	shift
	S=$BATS_TEST_TMPDIR/s
	mkdir -p "$BATS_TEST_TMPDIR/t" "$S"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/fdpass" "$BATS_TEST_DIRNAME/10-full-fdpass.c"
	"${C[@]}" run -d --name "$name" -v "$S:/s" -v "$BATS_TEST_TMPDIR/t:/t:ro" \
		"$RFS" /t/fdpass recv /s/s "$@" >/dev/null
	wait_for test -S "$S/s"
}

# Container "gives", run with option $2, sends its fd $1 to fd_taker's
# container and exits 7: its supervisor must end, having recorded it.
gives_and_ends() {
	"${C[@]}" run "$2" --name gives -v "$S:/s" -v "$BATS_TEST_TMPDIR/t:/t:ro" \
		"$RFS" sh -c "/t/fdpass send /s/s $1 && exit 7" >/dev/null
	wait_for supervisor_gone gives
	is_status gives "Exited (7) *"
	timeout 10 "${C[@]}" rm gives
}

# Whether the supervisor of container $1 has ended (its PID, from the
# record, no longer there): what these tests wait for. A record that is
# not rewritten reads "Exited (255)" all the same once PID 1 is gone.
supervisor_gone() {
	local id pid
	id=$("${C[@]}" ps -aq -f name="$1") || return 1
	pid=$(grep -o '"Supervisor": [0-9]*' "$R/containers/$id.json") || return 1
	pid=${pid##* }
	[ "$pid" -gt 1 ] && ! kill -0 "$pid" 2>/dev/null
}

@test "10-full life: a container's stdout, taken and flooded with newlines by another container, does not keep its supervisor: the exit is recorded" {
	# The relay read the pipe until it was empty, and logged a line per
	# newline: the other container refilled it faster, and the
	# supervisor ran at 90% of a CPU for as long as it lived.
	fd_taker flood newlines
	gives_and_ends 1 -d
	"${C[@]}" rm -f flood
}

@test "10-full life: 65536 newlines cost the supervisor a few log writes, not one each (strace -y)" {
	# A hostile tester's --cpus 0.05 container wrote newlines and kept
	# its supervisor, which no cgroup of its own limits, at 91% of a
	# CPU: the log wrote each line with a write() of its own.
	need_strace
	strace -f -qq -y -e trace=write -o "$BATS_TEST_TMPDIR/st" \
		"${C[@]}" run -d --name nl "$RFS" sh -c \
		'head -c 65536 /dev/zero | tr "\\0" "\\n"' >/dev/null
	wait_for is_status nl "Exited (0) *"
	[ "$("${C[@]}" logs nl | wc -l)" -eq 65536 ]
	n=$(grep -c '^[0-9]* *write([0-9]*<[^>]*\.log>' "$BATS_TEST_TMPDIR/st")
	echo "$n writes to the log"
	[ "$n" -ge 1 ] && [ "$n" -lt 1000 ] # about 45 of 64 KiB; before: 65536
}

@test "10-full life: a -t container's terminal, kept by another container, does not keep its supervisor: the exit is recorded" {
	# The terminal's relay read until EIO, which comes only when the
	# last slave end closes: never, while the other container held one.
	fd_taker hold hold
	gives_and_ends 0 -td
	"${C[@]}" rm -f hold
}

@test "10-full life: attach's input, waiting on a stdin pipe another container keeps and never reads, does not keep the supervisor: the exit is recorded" {
	# The supervisor's write into the container's stdin waited for room
	# with no way to be told to stop.
	fd_taker hold full /s/full
	"${C[@]}" run -id --name gives -v "$S:/s" -v "$BATS_TEST_TMPDIR/t:/t:ro" \
		"$RFS" sh -c '/t/fdpass send /s/s 0 && exec </dev/null
			while [ ! -e /s/go ]; do sleep 0.1; done; exit 7' >/dev/null
	head -c 1000000 /dev/zero | "${C[@]}" attach gives &
	# The pipe is full: the supervisor waits to write the rest.
	wait_for test -e "$S/full"
	touch "$S/go"
	wait_for supervisor_gone gives
	is_status gives "Exited (7) *"
	timeout 10 "${C[@]}" rm gives
	"${C[@]}" rm -f hold
}

@test "10-full life: a foreground run without --rm is kept, exited, with its output, until rm; with --rm nothing stays" {
	run -3 "${C[@]}" run --name fg "$RFS" sh -c 'echo out; echo err >&2; exit 3'
	[[ "$(status_of fg)" == "Exited (3) "* ]]
	run "${C[@]}" logs fg
	[[ "$output" == *out* && "$output" == *err* ]]
	[ -d "$R/containers/$("${C[@]}" ps -aq)/upper" ]
	"${C[@]}" rm fg
	root_is_empty
	run "${C[@]}" run --rm "$RFS" echo gone
	[ "$output" = gone ]
	root_is_empty
}

@test "10-full life: stop of a command that ignores SIGTERM takes the timeout, then records 137; it also ends exec'd and forked processes" {
	"${C[@]}" run -d --name deaf "$RFS" sh -c 'trap "" TERM; sleep 100 & while :; do sleep 1; done' >/dev/null
	pid=$("${C[@]}" inspect -f '{{.State.Pid}}' deaf)
	wait_for eval '[ "$(tree_of $pid | wc -l)" -ge 3 ]'
	pids=$(tree_of "$pid")
	start=$(date +%s%N)
	"${C[@]}" stop -t 1 deaf
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "stop took $took ms"
	[ "$took" -ge 1000 ]
	[[ "$(status_of deaf)" == "Exited (137) "* ]]
	for p in $pids; do [ ! -d /proc/$p ]; done
}

@test "10-full life: kill -s delivers the signal named; kill without -s is SIGKILL" {
	"${C[@]}" run -d --name sig "$RFS" sh -c 'trap "echo got USR1" USR1; while :; do sleep 1; done' >/dev/null
	# The shell has set its trap once it sleeps.
	pid=$("${C[@]}" inspect -f '{{.State.Pid}}' sig)
	wait_for eval '[ -n "$(descendant $pid sleep)" ]'
	run "${C[@]}" kill -s USR1 sig
	[ "$output" = sig ]
	wait_for eval '"${C[@]}" logs sig | grep -qx "got USR1"'
	[[ "$(status_of sig)" == "Up "* ]]
	"${C[@]}" kill sig
	wait_for is_status sig "Exited (137) *"
	run -125 "${C[@]}" kill -s BOGUS sig
	[ "$output" = "container: kill -s BOGUS: no such signal: give a name as TERM or a number" ]
}

@test "10-full life: start runs an exited container again on the same writable layer" {
	"${C[@]}" run --name again "$RFS" sh -c 'echo run >> /runs; wc -l < /runs' >/dev/null
	run "${C[@]}" start again
	[ "$output" = again ]
	wait_for is_status again "Exited (0) *"
	run "${C[@]}" logs again
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = 2 ]
}

@test "10-full life: start -a prints what this run writes, stdout and stderr apart, and exits with its status" {
	"${C[@]}" run --name att "$RFS" sh -c 'echo "run $(cat /n)"; echo err >&2; echo x >> /n; exit 3' >/dev/null 2>&1 || true
	run -3 --separate-stderr "${C[@]}" start -a att
	echo "stdout: [$output] stderr: [$stderr]" # shown if the test fails
	[ "$output" = "run x" ] # this run's, not the first's ("run ")
	[ "$stderr" = err ]
}

@test "10-full life: attach types into a run -id container; Ctrl-P Ctrl-Q leaves it running, unseen; the next attach types on and exits with its code" {
	# Started under umask 000: the socket is still the owner's alone
	# (bind() takes its mode from the umask).
	id=$(umask 000; "${C[@]}" run -id --name shell "$RFS" /bin/sh)
	[ -S "$R/containers/$id.sock" ]
	[ "$(stat -c '%a %u' "$R/containers/$id.sock")" = "600 0" ]
	mkfifo "$BATS_TEST_TMPDIR/in"
	"${C[@]}" attach shell <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	ap=$!
	exec 7>"$BATS_TEST_TMPDIR/in"
	printf 'echo typed-$((6*7))\n' >&7
	wait_for grep -qx typed-42 "$BATS_TEST_TMPDIR/out"
	printf '\020\021' >&7
	wait_status $ap 1
	exec 7>&-
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "read escape sequence" ]
	[[ "$(status_of shell)" == "Up "* ]]
	# The keys never reached the shell (it would say "\020\021echo: not
	# found"); a Ctrl-P alone does, with what follows it.
	run -7 --separate-stderr "${C[@]}" attach shell <<<$'echo next\nprintf "%s" "$(printf \'\\020x\')" | od -An -c\nexit 7'
	[ "${lines[0]}" = next ]
	[ "$(echo ${lines[1]})" = "020 x" ]
	[ -z "$stderr" ]
	[[ "$(status_of shell)" == "Exited (7) "* ]]
	# The supervisor has removed its socket with the container's end.
	[ ! -e "$R/containers/$id.sock" ]
	run -125 --separate-stderr "${C[@]}" attach shell
	[[ "$stderr" == *"cannot attach to a stopped container"* ]]
}

@test "10-full life: run -itd gives the container a pty of its own, kept by the supervisor; start -ai gives it a new one and types in" {
	"${C[@]}" run -itd --name term "$RFS" /bin/sh >/dev/null
	run -5 "${C[@]}" attach term <<<$'readlink /proc/self/fd/0\nexit 5'
	[[ "$output" == *$'/dev/pts/0\r'* ]]
	# start -ai: started again, typed into at once.
	run -6 "${C[@]}" start -ai term <<<$'readlink /proc/self/fd/0\nexit 6'
	[[ "$output" == *$'/dev/pts/0\r'* ]]
}

@test "10-full life: logs keeps stdout and stderr apart, -t adds the time, --tail N the last N lines" {
	"${C[@]}" run --name lg "$RFS" sh -c 'for i in 1 2 3; do echo out$i; echo err$i >&2; done' >/dev/null 2>&1
	"${C[@]}" logs lg >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "$(printf 'out1\nout2\nout3')" ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "$(printf 'err1\nerr2\nerr3')" ]
	run "${C[@]}" logs --tail 2 lg
	[ "${#lines[@]}" -eq 2 ]
	run "${C[@]}" logs -t lg
	[[ "${lines[0]}" =~ ^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9:]{8}\.[0-9]{9}Z\ (out|err)1$ ]]
}

@test "10-full life: logs -f prints what comes until the container exits, then returns" {
	mkdir "$BATS_TEST_TMPDIR/v"
	"${C[@]}" run -d --name f -v "$BATS_TEST_TMPDIR/v:/v" "$RFS" sh -c \
		'echo first; while [ ! -e /v/go ]; do sleep 0.1; done; echo second' >/dev/null
	"${C[@]}" logs -f f >"$BATS_TEST_TMPDIR/followed" &
	follower=$!
	wait_for grep -qx first "$BATS_TEST_TMPDIR/followed"
	kill -0 $follower # still following
	touch "$BATS_TEST_TMPDIR/v/go"
	wait_status $follower 0
	[ "$(cat "$BATS_TEST_TMPDIR/followed")" = "$(printf 'first\nsecond')" ]
}

@test "10-full life: the log cannot fill the disk: past 4 MiB it rotates, and at most two parts stay" {
	"${C[@]}" run --name big "$RFS" sh -c 'dd if=/dev/zero bs=1M count=12 2>/dev/null | tr "\\0" x' >/dev/null
	id=$("${C[@]}" ps -aq)
	ls -l "$R/containers/"
	[ -f "$R/containers/$id.log.1" ]
	total=$(cat "$R/containers/$id.log" "$R/containers/$id.log.1" | wc -c)
	[ "$total" -le $((8 * 1024 * 1024 + 4096)) ]
}

@test "10-full life: a name is held until rm; of two run -d --name at the same moment exactly one wins" {
	"${C[@]}" run --name one "$RFS" true
	run -125 "${C[@]}" run -d --name one "$RFS" true
	[[ "$output" == *"--name one: the name is in use by container $("${C[@]}" ps -aq)"* ]]
	"${C[@]}" rm one
	"${C[@]}" run -d --name two "$RFS" sleep 100 >"$BATS_TEST_TMPDIR/a" 2>&1 &
	a=$!
	"${C[@]}" run -d --name two "$RFS" sleep 100 >"$BATS_TEST_TMPDIR/b" 2>&1 &
	b=$!
	sa=0; sb=0
	wait $a || sa=$?
	wait $b || sb=$?
	echo "$sa $sb"
	[ $((sa + sb)) -eq 125 ]
	[ "$("${C[@]}" ps -q | wc -l)" -eq 1 ]
}

@test "10-full life: the supervisor is in a session of its own, holds no fd of the caller, and survives the caller's terminal closing" {
	# script(1) runs `run -d` on a pty of its own and closes it when the
	# command returns: the session on it gets SIGHUP.
	script -qec "$(printf '%q ' "${C[@]}") run -d --name hup $RFS sleep 100" /dev/null >"$BATS_TEST_TMPDIR/out"
	is_status hup "Up *"
	pid=$("${C[@]}" inspect -f '{{.State.Pid}}' hup)
	sup=$(awk '{print $4}' /proc/$pid/stat)
	[ "$(awk '{print $6}' /proc/$sup/stat)" = "$sup" ] # leads its session
	for fd in /proc/$sup/fd/*; do
		t=$(readlink "$fd")
		echo "$fd -> $t"
		[[ "$t" != /dev/pts/* && "$t" != *"$BATS_TEST_TMPDIR"/out* ]]
	done
	[ "$(readlink /proc/$sup/fd/0)" = /dev/null ]
}

# The anonymous writable mappings of process $1 (.bss, heap, stacks) of
# 2 MiB or more that are not marked nh (MADV_NOHUGEPAGE): one line each.
huge_page_capable() {
	local l from to size=0 anon=
	while read -r l; do
		case $l in
		[0-9a-f]*-[0-9a-f]*' '*)
			from=${l%%-*} to=${l#*-}
			to=${to%% *}
			size=$((0x$to - 0x$from))
			anon=
			[[ "$l" =~ ^[^\ ]+\ rw-p\ 0+\ 00:00\ 0 ]] && anon=$l
			;;
		VmFlags:*)
			if [ -n "$anon" ] && [ "$size" -ge $((2 << 20)) ] &&
				[[ "$l " != *" nh "* ]]; then
				echo "$anon"
			fi
			;;
		esac
	done <"/proc/$1/smaps"
}

@test "10-full life: the supervisor of an idle container holds less than 512 KiB of RSS once run -d has returned" {
	# 512 KiB is issue 9's figure for 4 KiB pages (x86-64, most arm64);
	# with 16 or 64 KiB pages each page kept weighs 4 or 16 times more.
	[ "$(getconf PAGESIZE)" = 4096 ] || skip "the 512 KiB target assumes 4 KiB pages"
	# It tells run -d only once it has given back the pages of code it
	# ran (idle.c): no waiting here for it to settle.
	"${C[@]}" run -d --init --name idle "$RFS" sleep 100
	pid=$("${C[@]}" inspect -f '{{.State.Pid}}' idle)
	sup=$(awk '{print $4}' /proc/$pid/stat)
	grep -E '^(VmRSS|RssAnon|RssFile)' /proc/$sup/status
	rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$sup/status)
	[ "$rss" -lt 512 ]
	# Nor can it grow by a 2 MiB page: where transparent huge pages are
	# "always" (Debian's stock kernel), khugepaged fills a whole aligned
	# 2 MiB range of an anonymous mapping around one page in use (seen:
	# 2256 KiB). So every such mapping is under 2 MiB or marked nh.
	run -0 huge_page_capable $sup
	[ -z "$output" ]
	# And it still wakes: stop and rm work as ever.
	"${C[@]}" stop -t 5 idle
	[[ "$(status_of idle)" == "Exited (143) "* ]]
	"${C[@]}" rm idle
}

# The supervisor is run -d itself, forked, and /proc/PID/cmdline is for
# every user to read: run's arguments, -e values included, stayed there
# as long as the container lived.
@test "10-full life: the supervisor's command line is its id, never run's arguments: no host user reads an -e value there" {
	id=$("${C[@]}" run -d -e TOKEN=sec-$$-ret -v "$BATS_TEST_TMPDIR:/t:ro" "$RFS" sleep 100)
	pid=$("${C[@]}" inspect -f '{{.State.Pid}}' "$id")
	sup=$(awk '{ print $4 }' /proc/$pid/stat)
	run -0 "${AS_NOBODY[@]}" cat /proc/$sup/cmdline
	[[ "$output" != *sec-$$-ret* ]]
	[ "$(tr '\0' ' ' </proc/$sup/cmdline | sed 's/ *$//')" = "container supervisor $id" ]
	# The record keeps it, for root's inspect.
	[[ "$("${C[@]}" inspect -f '{{.Config.Env}}' "$id")" == *TOKEN=sec-$$-ret* ]]
	"${C[@]}" rm -f "$id" >/dev/null
}

# Ids are 12 hex digits, and so may a name be: looked up before ids, a
# name that was another container's id hid that container from every
# verb (rm -f ID removed the other one). Docker's order: id, name, prefix.
@test "10-full life: a name that is another container's id never hides it: inspect, ps and rm -f of the id reach that container" {
	victim=$("${C[@]}" run -d "$RFS" sleep 100)
	other=$("${C[@]}" run -d --name "$victim" "$RFS" sleep 100)
	[ "$("${C[@]}" inspect -f '{{.Id}}' "$victim")" = "$victim" ]
	[ "$("${C[@]}" ps | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' ')" = \
		"$(printf '%s\n' "$victim" "$other" | sort | tr '\n' ' ')" ]
	"${C[@]}" rm -f "$victim" >/dev/null
	[ "$("${C[@]}" ps -aq)" = "$other" ]
	"${C[@]}" rm -f "$other" >/dev/null
}

# logs printed each line up to its first NUL: a container could write
# text that no reader of logs ever saw (the log file held it).
@test "10-full life: logs prints every byte a container wrote, NULs and what follows them" {
	id=$("${C[@]}" run -d "$RFS" sh -c 'printf "a\0b\n"; printf "\0c\n"')
	[ "$("${C[@]}" logs -f "$id" | od -An -tx1 | tr -s ' \n' ' ')" = " 61 00 62 0a 00 63 0a " ]
	"${C[@]}" rm "$id" >/dev/null
}

# An image chooses its Cmd: printed raw, ESC sequences set the title of
# the terminal that runs ps and clear it, and a newline split the row.
@test "10-full life: ps shows a command's control bytes escaped, as docker's (Go's %q): one row, no ESC reaches the terminal" {
	"${C[@]}" run --name esc "$RFS" sh -c $'true \e]0;T\a\nx' || true
	out=$("${C[@]}" ps -a)
	[[ "$out" != *$'\e'* && "$out" != *$'\a'* ]]
	[ "$(printf '%s\n' "$out" | wc -l)" = 2 ]
	[[ "$out" == *'"sh -c true \x1b]0;T\x07\nx"'* ]]
	"${C[@]}" rm esc >/dev/null
}

@test "10-full life: kill -9 of the supervisor ends the container, ps -a says exited (137), never running; rm removes what is left (also with -u)" {
	local opts
	# -u: a uid changed by setresuid() makes the kernel forget the death
	# signal the child asked for (child.c asks again after it).
	for opts in "" "-u 1000" "--init -u 1000"; do
		"${C[@]}" run -d --name orphan --pids-limit 20 $opts "$RFS" sleep 100 >/dev/null
		pid=$("${C[@]}" inspect -f '{{.State.Pid}}' orphan)
		sup=$(awk '{print $4}' /proc/$pid/stat)
		[ "$(readlink /proc/$sup/exe)" = "$BIN" ]
		kill -KILL "$sup"
		wait_for eval '[ ! -d /proc/$pid ]'
		[[ "$(status_of orphan)" == "Exited (137) "* ]]
		"${C[@]}" rm orphan
		root_is_empty
	done
}

@test "10-full life: rm of a running container exits 125 and changes nothing; rm -f kills it and removes it" {
	"${C[@]}" run -d --name busy "$RFS" sleep 100 >/dev/null
	run -125 "${C[@]}" rm busy
	[[ "$output" == *"container busy is running: stop it first, or use rm -f"* ]]
	is_status busy "Up *"
	run "${C[@]}" rm -f busy
	[ "$output" = busy ]
	root_is_empty
}

@test "10-full life: 20 containers started with run -d at once all run, all stop, all are removed" {
	for i in $(seq 20); do
		"${C[@]}" run -d --name n$i "$RFS" sleep 100 >/dev/null &
	done
	wait
	[ "$("${C[@]}" ps -q | wc -l)" -eq 20 ]
	"${C[@]}" stop -t 0 $("${C[@]}" ps -q) >/dev/null
	[ "$("${C[@]}" ps -a -f status=exited -q | wc -l)" -eq 20 ]
	"${C[@]}" rm $("${C[@]}" ps -aq) >/dev/null
	root_is_empty
}

@test "10-full life: stop and rm -f of one container at the same moment leave no half state" {
	"${C[@]}" run -d --name race "$RFS" sleep 100 >/dev/null
	"${C[@]}" stop race >/dev/null 2>&1 &
	"${C[@]}" rm -f race >/dev/null 2>&1 &
	wait
	root_is_empty
}

# The race above, made exact: once its init has exited, a container is
# "exited" to every verb, but its supervisor has still to write the exit
# code. hold_last_write NAME: kill NAME's init while strace holds its
# supervisor ($sup) at that write's rename; release_last_write lets it go.
hold_last_write() {
	local id
	id=$("${C[@]}" inspect -f '{{.Id}}' "$1" | cut -c1-12)
	sup=$(sed -nE 's/.*"Supervisor": ([0-9]+).*/\1/p' "$R/containers/$id.json")
	[ -n "$sup" ] && [ "$(cat /proc/"$sup"/comm)" = container ]
	strace -qq -p "$sup" -o /dev/null -e trace=rename \
		-e inject=rename:delay_enter=60000000 >/dev/null 2>&1 3>&- &
	tracer=$!
	wait_for grep -q "^TracerPid:[[:space:]]*$tracer\$" /proc/"$sup"/status
	"${C[@]}" kill "$1" >/dev/null
	# It has reaped the init and written the new record.
	wait_for [ -e "$R/containers/$id.json.$sup" ]
}

# True when process $1 waits on a pidfd of $sup, or has exited.
waits_on_sup() {
	grep -qs "^Pid:[[:space:]]*$sup\$" /proc/"$1"/fdinfo/* ||
		! grep -qs '^State:[[:space:]]*[^Z]' /proc/"$1"/status
}

release_last_write() {
	kill "$tracer"
	wait "$tracer" || true
}

@test "10-full life: rm of a container whose init has just exited waits for its supervisor's last write (strace)" {
	need_strace
	"${C[@]}" run -d --name late "$RFS" sleep 100 >/dev/null
	hold_last_write late
	"${C[@]}" rm late >/dev/null 3>&- &
	rmp=$!
	# (the defect: rm removed everything, exited, and the record comes
	# back when the supervisor renames it)
	wait_for waits_on_sup $rmp
	release_last_write
	wait "$rmp"
	wait_for eval "! kill -0 $sup 2>/dev/null"
	root_is_empty
}

@test "10-full life: start right after kill waits for the last supervisor; the new run stays Up (strace)" {
	need_strace
	"${C[@]}" run -d --name again "$RFS" sleep 100 >/dev/null
	hold_last_write again
	"${C[@]}" start again >/dev/null 3>&- &
	startp=$!
	# (the defect: start failed, its note still held by the old one; or
	# the old one's exit code lands over the new run's record)
	wait_for waits_on_sup $startp
	release_last_write
	wait "$startp"
	wait_for eval "! kill -0 $sup 2>/dev/null"
	[[ "$(status_of again)" == "Up "* ]]
	"${C[@]}" rm -f again >/dev/null
	root_is_empty
}

@test "10-full life: right after kill, inspect waits for the exit code: 137, never a record's 0 not yet written (strace)" {
	need_strace
	"${C[@]}" run -d --name k9 "$RFS" sleep 100 >/dev/null
	hold_last_write k9
	"${C[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}}' k9 \
		>"$BATS_TEST_TMPDIR/inspect" 3>&- &
	insp=$!
	# (the defect: "exited 0" at once)
	wait_for waits_on_sup $insp
	release_last_write
	wait "$insp"
	[ "$(cat "$BATS_TEST_TMPDIR/inspect")" = "exited 137" ]
}

@test "10-full life: a PID in a record is believed only with its start time: a stranger that has the PID is never signalled" {
	"${C[@]}" run --name old "$RFS" true
	id=$("${C[@]}" ps -aq)
	# A later process: start times count clock ticks (10 ms), and one
	# started in the same tick as the init would pass for it (a PID is
	# never reused that fast; here we hand it over by hand).
	was=$(sed -nE 's/.*"PidStart": ([0-9]+).*/\1/p' "$R/containers/$id.json")
	wait_for eval '[ "$(cut -d" " -f22 /proc/self/stat)" -gt "$was" ]'
	sleep 100 &
	stranger=$!
	# The record now says running, with the stranger's PID.
	sed -i -E "s/\"Status\": \"exited\"/\"Status\": \"running\"/; s/\"Pid\": [0-9]+/\"Pid\": $stranger/" "$R/containers/$id.json"
	[[ "$(status_of old)" != Up* ]]
	run -125 "${C[@]}" kill -s TERM old
	kill -0 $stranger
}

@test "10-full life: inspect prints a JSON array in docker's shape, with run's options" {
	command -v python3 >/dev/null || skip "no python3 to read JSON"
	"${C[@]}" run -d --name insp --init -h box -e K=v -m 64M --pids-limit 50 --read-only "$RFS" sleep 100 >/dev/null
	run "${C[@]}" inspect insp
	echo "$output" | python3 -c '
import json, sys
[c] = json.load(sys.stdin)
assert c["Name"] == "/insp", c["Name"]
assert c["Config"]["Hostname"] == "box"
assert c["Config"]["Env"] == ["K=v"]
assert c["Config"]["Cmd"] == ["sleep", "100"]
assert c["HostConfig"]["Memory"] == 64 << 20
assert c["HostConfig"]["PidsLimit"] == 50
assert c["HostConfig"]["ReadonlyRootfs"] is True
assert c["HostConfig"]["Init"] is True
assert c["State"]["Status"] == "running" and c["State"]["Pid"] > 0
'
	# Without --init, docker says null.
	"${C[@]}" run --name plain "$RFS" true
	run -0 "${C[@]}" inspect -f '{{.HostConfig.Init}}' plain
	[ "$output" = null ]
	run -125 --separate-stderr "${C[@]}" inspect nothing-here
	[ "$output" = "[]" ]
	[ "$stderr" = "container: no such container: nothing-here" ]
}

@test "10-full life: a record's times are the host's clock in UTC; a --rm run in the foreground has a record while it runs, none after" {
	# The dates are worked out by the runtime itself (store.c), not by
	# gmtime(): compared here with date(1)'s reading of them.
	in_utc() { # FIELD BEFORE AFTER: inspect's FIELD of "clock"
		local t s
		t=$("${C[@]}" inspect -f "{{.$1}}" clock)
		echo "$1: $t (between $2 and $3)"
		[[ "$t" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z$ ]]
		s=$(date -u -d "$t" +%s)
		[ "$2" -le "$s" ] && [ "$s" -le "$3" ]
	}
	local before after job
	before=$(date -u +%s)
	"${C[@]}" run --name clock "$RFS" true
	after=$(date -u +%s)
	in_utc Created "$before" "$after"
	in_utc State.StartedAt "$before" "$after"
	in_utc State.FinishedAt "$before" "$after"
	"${C[@]}" rm clock
	before=$(date -u +%s)
	"${C[@]}" run --rm --name clock "$RFS" sleep 100 &
	job=$!
	wait_for eval '[ "$("${C[@]}" inspect -f "{{.State.Status}}" clock 2>/dev/null)" = running ]'
	after=$(date -u +%s)
	in_utc Created "$before" "$after"
	"${C[@]}" kill clock
	wait_status "$job" 137
	root_is_empty
}

@test "10-full life: overlayfs's volatile mark leaves the container's dir while its command runs; upper/ and work/work stay until the end" {
	# release.c: the mark (work/work/incompat/volatile/dirty) is looked
	# for only when an overlay is mounted; a thread of ours removes it
	# once the init says the command runs, so that the disk's wait for
	# its two dirs is not part of the end of the run.
	local job id
	"${C[@]}" run --rm --name mark "$RFS" sleep 100 &
	job=$!
	wait_for eval '[ "$("${C[@]}" inspect -f "{{.State.Status}}" mark 2>/dev/null)" = running ]'
	id=$(readlink "$R/names/mark")
	[ -d "$R/containers/$id/work/work" ]
	wait_for test ! -e "$R/containers/$id/work/work/incompat"
	[ -d "$R/containers/$id/upper" ] && [ -d "$R/containers/$id/work/work" ]
	# The overlay still works: a write inside is copied up through work/.
	"${C[@]}" exec mark sh -c 'echo kept > /etc/mark && cat /etc/mark'
	[ -f "$R/containers/$id/upper/etc/mark" ]
	"${C[@]}" kill mark
	wait_status "$job" 137
	root_is_empty
}

@test "10-full life: --userns: an exited container keeps its range of host ids until rm; start gets the same one back" {
	# The container's root, a host user of its own, walks to its dir.
	run -125 "${C[@]}" run --userns "$RFS" true
	[[ "$output" == *"cannot reach it: every directory above it must be searchable by others (chmod o+x)"* ]]
	# The runtime failed before the command: nothing of it is kept.
	root_is_empty
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR"
	"${C[@]}" run --userns --name u "$RFS" sh -c 'echo x >> /etc/mine; cat /proc/self/uid_map' >"$BATS_TEST_TMPDIR/first"
	first=$(awk '{print $2}' "$BATS_TEST_TMPDIR/first")
	id=$("${C[@]}" ps -aq)
	[ -f "$POOL/$first.kept" ]
	# Another --userns container meanwhile gets another range.
	other=$("$CONTAINER" run --rm --userns "$RFS" cat /proc/self/uid_map | awk '{print $2}')
	[ "$other" != "$first" ]
	"${C[@]}" start u
	wait_for is_status u "Exited (0) *"
	run "${C[@]}" logs u
	[ "${lines[1]}" = "${lines[0]}" ] # the same map, both runs
	[ "$(stat -c %u "$R/containers/$id/upper/etc/mine")" = "$first" ]
	"${C[@]}" rm u
	[ ! -e "$POOL/$first.kept" ]
}

@test "10-full life: rootless, a user's verbs work on the user's own containers, and never reach root's" {
	container=$(for_nobody "$CONTAINER") && rfs=$(for_nobody "$RFS")
	# nobody's own data root, in a dir of nobody's (XDG_DATA_HOME).
	home=$(mktemp -d /var/tmp/container-test-home.XXXXXX)
	chown 65534:65534 "$home"
	N=("${AS_NOBODY[@]}" XDG_DATA_HOME="$home" "$container")
	"${N[@]}" run -d --name mine "$rfs" sleep 100
	[ "$(stat -c '%U %a' "$home/lesson-container")" = "nobody 700" ]
	run "${N[@]}" ps -q
	[ "${#lines[@]}" -eq 1 ]
	# Root's container, of the same name, in root's own data root.
	"${C[@]}" run -d --name mine "$RFS" sleep 100 >/dev/null
	# Even where nobody may walk to it, root's data root is not theirs.
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR"
	run -125 "${N[@]}" --root "$R" ps
	echo "$output"
	[[ "$output" == *"is not a directory of yours"* ]]
	run -125 "${N[@]}" --root "$R" stop mine
	run -125 "${N[@]}" --root "$R" rm -f mine
	is_status mine "Up *"
	# root's record copied into nobody's own data root: nobody may not
	# signal its process, so stop, rm -f and kill say so and return
	# (stop used to wait for ever for a supervisor it could not end).
	id=$("${C[@]}" inspect -f '{{.Id}}' mine)
	cp "$R/containers/$id.json" "$home/lesson-container/containers/$id.json"
	chown 65534:65534 "$home/lesson-container/containers/$id.json"
	for verb in "stop -t 0" "rm -f" "kill"; do
		run -125 timeout 20 "${N[@]}" $verb "$id"
		echo "$output"
		[[ "$output" == *"container mine: not allowed to signal its process"* ]]
	done
	is_status mine "Up *"
	rm "$home/lesson-container/containers/$id.json"
	run "${N[@]}" stop -t 0 mine
	[ "$output" = mine ]
	"${N[@]}" rm mine
	[ -z "$(ls -A "$home/lesson-container/containers")" ]
	rm -rf "$home"
}
