#!/usr/bin/env bats
# 02-ipc: an IPC namespace gives the command System V IPC objects of its
# own: the host's queues are not visible inside, the container's are not
# visible outside, and they die with the container.

load helpers
bats_require_minimum_version 1.5.0

IPC="$BATS_TEST_DIRNAME/../02-ipc/ipc"

setup_file() {
	snapshot_host
}

setup() {
	need_root
	host_queue= prog=
}

# A failed check must not leave the container waiting on its fifo.
teardown() {
	[ -z "$host_queue" ] || ipcrm -q "$host_queue"
	kill_spawned
}

# The keys of the message queues `ipcs -q` lists (run as given).
queue_keys() {
	"$@" ipcs -q | awk '/^0x/ { print $1 }'
}

@test "02-ipc: a queue made on the host is not visible inside" {
	host_queue=$(ipcmk -Q | awk '{ print $NF }')
	key=$(ipcs -q | awk -v id="$host_queue" '$2 == id { print $1 }')
	[[ "$key" == 0x* ]] # the host sees its own queue
	run "$IPC" -- ipcs -q
	[ "$status" -eq 0 ]
	[[ "$output" == *"Message Queues"* ]] # ipcs really ran inside
	# Without CLONE_NEWIPC the host's queue would be listed here.
	[[ "$output" != *"$key"* ]]
	[ -z "$(echo "$output" | grep '^0x')" ]
}

@test "02-ipc: a queue made inside is invisible to the host, and gone after exit" {
	fifo="$BATS_TEST_TMPDIR/go"
	mkfifo "$fifo"
	"$IPC" -- sh -c "ipcmk -Q >/dev/null &&
		ipcs -q | awk '/^0x/ { print \$1 }' > '$BATS_TEST_TMPDIR/key' &&
		read go < '$fifo'" &
	prog=$!
	child=$(child_of $prog)
	wait_for test -s "$BATS_TEST_TMPDIR/key"
	key=$(cat "$BATS_TEST_TMPDIR/key")
	ns=$(readlink /proc/$child/ns/ipc)
	[[ "$key" == 0x* ]]
	# The queue exists: entering the container's namespace shows it ...
	[[ "$(queue_keys nsenter -t "$child" --ipc)" == *"$key"* ]]
	# ... while the host's own table does not have it.
	[[ "$(queue_keys)" != *"$key"* ]]
	echo go >"$fifo"
	wait "$prog"
	# The namespace died with its last process, and its queues with it:
	# nothing refers to it any more. lsns sees only processes in it; an
	# open /proc/PID/ns/ipc (any process's fd) or a bind mount of one
	# would keep it alive without a process, so look for those too.
	inode=${ns//[^0-9]/}
	[ -z "$(lsns -n -t ipc -o NS | grep -Fx "$inode")" ]
	[ -z "$(find /proc/[0-9]*/fd -type l -lname "ipc:\[$inode\]" 2>/dev/null)" ]
	[ -z "$(grep -F "$ns" /proc/self/mountinfo)" ]
	# And the host never saw the queue.
	[[ "$(queue_keys)" != *"$key"* ]]
}

@test "02-ipc: the container's IPC namespace differs from the host's" {
	"$IPC" -- sleep 100 &
	prog=$!
	child=$(child_of $prog)
	# 02 builds on 01: the UTS namespace is new as well. Without the
	# clone flag both links would name the program's own namespace.
	for ns in ipc uts; do
		inside=$(readlink /proc/$child/ns/$ns)
		[ -n "$inside" ]
		[ "$inside" != "$(readlink /proc/$prog/ns/$ns)" ]
	done
	[ "$(readlink /proc/$prog/ns/ipc)" = "$(readlink /proc/self/ns/ipc)" ]
	kill -KILL $prog # the container dies with it (PR_SET_PDEATHSIG)
	wait $prog || true
	wait_for test ! -e /proc/$child
}

@test "02-ipc: the command's exit status comes back (7, 127)" {
	run "$IPC" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 "$IPC" no-such-command-here
	[[ "$output" == *"02-ipc: exec no-such-command-here"* ]]
}

@test "02-ipc: a bad option exits 125 with a usage hint" {
	run -125 "$IPC" --no-such-option true
	[[ "${lines[0]}" == "02-ipc: unknown option '--no-such-option'" ]]
	[[ "$output" == *"--help"* ]]
	run "$IPC" --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
	[[ "$output" == *"--hostname NAME"*"(01-uts)"* ]]
}

# Students copy the README's commands literally: each one shown with its
# output must print it (tests/readme; … marks what varies).
@test "02-ipc: the README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/02-ipc/README.md"
}

@test "02-ipc: the Chinese README's commands print what it shows" {
	"$ROOT/tests/readme" "$ROOT/02-ipc/README.zh-CN.md"
	# and they are the English one's: the same blocks (and the same
	# marks before them), line for line.
	diff <(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/02-ipc/README.md") \
		<(sed -n '/^ *<!--/p; /^ *```/,/^ *```/p' "$ROOT/02-ipc/README.zh-CN.md")
}

@test "02-ipc: leaves nothing behind on the host" {
	assert_no_leaks
}
