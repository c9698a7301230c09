# tests/container.bash - what the 10-full test files share: the runtime,
# the image, and the check that a test left nothing of its containers
# behind. Load it after helpers (`load helpers; load container`).
#
#   CONTAINER, RFS, BIN   the runtime, the image, the runtime's real path
#   DATA                  root's data root (10-full/state.h)
#   container_leftovers   what a container can leave on the host: notes,
#                         dirs and names in the data roots, id ranges of
#                         the --userns pool, cgroups and mounts named
#                         after a container, runtime processes, processes
#                         in a container's cgroup
#   container_setup       remember container_leftovers (call it in setup)
#   wait_status JOB N     wait for background job JOB; fail unless it
#                         exited with status N
#   descendant PID COMM   the host PID of the first process named COMM
#                         below PID (waits for it)
#   container_teardown    kill what the test started, then fail if
#                         something of container_leftovers appeared while
#                         the test ran and is still there (waits for it
#                         to go: a runtime cleans up after its command)
#
# A test judges only what appeared while it ran: other people's containers
# on the same machine, and what they leave, are not its business.

CONTAINER="$BATS_TEST_DIRNAME/../10-full/container"
RFS="$ROOT/build/rootfs"
BIN=$(realpath "$CONTAINER")
DATA=/var/lib/lesson-container

container_leftovers() {
	local p exe
	# Every listing, even when one finds nothing: called in a pipeline
	# under bats' errexit (setup), a grep that matches nothing would end
	# the function there, and the snapshot would miss what comes after.
	local -
	set +e
	find "$DATA"/containers "$DATA"/names \
		/var/tmp/lesson-container-*/containers \
		/var/tmp/lesson-container-*/names -mindepth 1 -maxdepth 1 2>/dev/null
	ls -d /run/lesson-container-ids/* 2>/dev/null
	find /sys/fs/cgroup -maxdepth 4 -type d -name 'lesson-container-*' 2>/dev/null
	grep -e lesson-container -e "$DATA" /proc/self/mountinfo
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		# The runtime is this binary; the init runs from a sealed
		# copy of it (selfexec.c), its own when it bears our mark.
		if [ "$exe" = "$BIN" ] || { [ "$exe" = "/memfd:container (deleted)" ] &&
			grep -qsz "^LESSON_TEST_MARK=lesson-test:$BATS_RUN_TMPDIR" "$p/environ"; }; then
			echo "process ${p#/proc/} ($exe)"
		fi
		! grep -qs lesson-container "$p/cgroup" || echo "process ${p#/proc/} in a container's cgroup"
	done
	return 0
}

container_setup() {
	container_leftovers | sort >"$BATS_TEST_TMPDIR/containers-before"
}

# What is there now and was not when the test began.
new_container_leftovers() {
	container_leftovers | sort | comm -13 "$BATS_TEST_TMPDIR/containers-before" -
}

no_new_container_leftovers() {
	[ -z "$(new_container_leftovers)" ]
}

container_teardown() {
	local left
	kill_spawned
	[ "$(id -u)" -eq 0 ] || return 0
	[ -f "$BATS_TEST_TMPDIR/containers-before" ] || return 0 # skipped
	wait_for no_new_container_leftovers && return 0
	left=$(new_container_leftovers)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# Waits for background job $1 and checks that it exited with status $2.
wait_status() {
	local st=0
	wait "$1" || st=$?
	echo "status $st, expected $2"
	[ "$st" -eq "$2" ]
}

# The PID, as the host sees it, of the first process named COMM among
# the descendants of PID. Waits for it up to 5 s.
descendant() {
	local i p c
	local -a todo
	for i in $(seq 50); do
		todo=("$1")
		while [ ${#todo[@]} -gt 0 ]; do
			p=${todo[0]}
			todo=("${todo[@]:1}")
			for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
				if [ "$(cat /proc/"$c"/comm 2>/dev/null)" = "$2" ]; then
					echo "$c"
					return 0
				fi
				todo+=("$c")
			done
		done
		sleep 0.1
	done
	return 1
}
