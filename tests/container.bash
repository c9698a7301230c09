# tests/container.bash - what the 10-full test files share: the runtime,
# the image, and the check that a test left nothing of its containers
# behind. Load it after helpers (`load helpers; load container`).
#
#   CONTAINER, RFS, BIN   the runtime, the image, the runtime's real path
#   DATA                  the data root (10-full/state.h): root's, and,
#                         once container_setup ran, the test's own
#   container_leftovers   what a container can leave on the host: notes,
#                         dirs and names in the data roots (root's, and
#                         nobody's of this run: helpers.bash), id ranges of
#                         the --userns pool, cgroups and mounts named
#                         after a container, runtime processes, processes
#                         in a container's cgroup; not those of containers
#                         another build of the runtime runs, or another
#                         test file of the suite (foreign_ids)
#   container_setup       a data root of the test's own (CONTAINER_ROOT),
#                         and remember container_leftovers (call it in
#                         setup)
#   wait_status JOB N     wait for background job JOB; fail unless it
#                         exited with status N
#   descendant PID COMM   the host PID of the first process named COMM
#                         below PID (waits for it)
#   container_rm_teardown rm -f what is left in the test's --root ($C),
#                         then container_teardown
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
	local p exe cg foreign
	# Every listing, even when one finds nothing: called in a pipeline
	# under bats' errexit (setup), a grep that matches nothing would end
	# the function there, and the snapshot would miss what comes after.
	local -
	set +e
	foreign=$(foreign_ids | paste -sd'|')
	{
		find "$DATA"/containers "$DATA"/names \
			"$NOBODY_HOME"/lesson-container/containers \
			"$NOBODY_HOME"/lesson-container/names -mindepth 1 -maxdepth 1 2>/dev/null
		pool_entries
		find /sys/fs/cgroup -maxdepth 4 -type d -name 'lesson-container-*' 2>/dev/null
		grep -e lesson-container -e "$DATA" /proc/self/mountinfo
		# Every process's binary at once (one find, not a readlink per
		# process: this runs twice in every test). The runtime is this
		# binary; the init runs it through an overlay (its exe is then
		# /container) or from a sealed copy (selfexec.c), its own when
		# it bears our mark.
		find /proc/[0-9]*/exe -maxdepth 0 -printf '%h %l\n' 2>/dev/null |
			while read -r p exe; do
				if { [ "${exe% (deleted)}" = "$BIN" ] || [ "$exe" = "/${BIN##*/}" ] ||
					[ "$exe" = "/memfd:container (deleted)" ]; } && of_this_file "$p"; then
					echo "process ${p#/proc/} ($exe)"
				fi
			done
		# And every process in a container's cgroup, in one grep.
		grep -os 'lesson-container-[0-9a-f]*' /proc/[0-9]*/cgroup 2>/dev/null |
			awk -F: '{ sub("^/proc/", "", $1); sub("/cgroup$", "", $1) }
				!seen[$1]++ { print "process " $1 " in " $2 }'
	} | { [ -z "$foreign" ] && cat || grep -Ev "$foreign"; }
	return 0
}

# The --userns pool's entries (/run/lesson-container-ids: one for every
# machine), as FILE:LINE, but those that are positively someone else's: a
# range held ("PID ID") by a live process that is not this build's
# runtime, or kept (FIRST.kept: the record's path) for a container of
# another data root than the test's own ($DATA, its --root $R, its
# user's home): root's default one, which no test uses, another test's,
# a neighbour's (a helper's run in /var/tmp took a range meanwhile).
pool_entries() {
	local f line exe
	for f in /run/lesson-container-ids/*; do
		line=
		# (A .kept file's path has no newline after it.)
		[ -f "$f" ] && { read -r line || [ -n "$line" ]; } <"$f" ||
			continue
		case $f in
		*.kept)
			[[ $line == "$DATA"/* ||
				( -n "${R:-}" && $line == "$R"/* ) ||
				( -n "${home:-}" && $line == "$home"/* ) ]] ||
				continue ;;
		*)
			exe=$(readlink "/proc/${line%% *}/exe" 2>/dev/null) &&
				[ "${exe% (deleted)}" != "$BIN" ] && continue ;;
		esac
		echo "$f:$line"
	done
}

# Whether process $1 was started by a test of this file (its mark, which
# every process a test starts inherits: helpers.bash). The files of a
# suite run side by side with the same binary: another file's runtime is
# not this test's to judge.
of_this_file() {
	grep -qsz "^LESSON_TEST_MARK=lesson-test:$BATS_RUN_TMPDIR/" "/proc/$1/environ"
}

# The ids of containers that another build of the runtime runs (another
# checkout's tests, a helper, a workshop neighbour), or this build for
# another test file of the same suite: what is theirs is not this test's
# to judge. Known by the runtime that holds them: the owner named in a
# note, or the parent of the first process in a container's cgroup, whose
# binary is not ours, or that no test of this file started.
foreign_ids() {
	local f cg p pp exe id
	for f in "$DATA"/containers/*.owner "$NOBODY_HOME"/lesson-container/containers/*.owner; do
		[ -f "$f" ] || continue
		p=$(awk '$1 == "pid" { print $2 }' "$f" 2>/dev/null)
		exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
		[ "${exe% (deleted)}" = "$BIN" ] || basename "$f" .owner
	done
	for cg in $(find /sys/fs/cgroup -maxdepth 4 -type d -name 'lesson-container-*' 2>/dev/null); do
		id=${cg##*lesson-container-}
		for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do
			pp=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null)
			grep -qs "lesson-container-$id" "/proc/$pp/cgroup" && continue
			exe=$(readlink "/proc/$pp/exe" 2>/dev/null) || continue
			{ [ "${exe% (deleted)}" = "$BIN" ] && of_this_file "$pp"; } ||
				echo "$id"
			break
		done
	done | sort -u
}

# Each test keeps its containers in a data root of its own (the runtime
# takes CONTAINER_ROOT as its --root): it sees no one else's containers,
# sweeps no one else's leftovers, and no one sees its. On disk (the
# writable layers go there), and searchable by the host ids of --userns
# containers (state.c).
container_setup() {
	DATA=$(mktemp -d /var/tmp/lesson-test-root.XXXXXX)
	chmod 711 "$DATA"
	mkdir -m 711 "$DATA/containers"
	mkdir -m 700 "$DATA/names"
	export CONTAINER_ROOT=$DATA
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
	wait_for no_new_container_leftovers || left=$(new_container_leftovers)
	# Judged; now what a runtime killed by a failed test left (its
	# cgroup, named in its note) goes with the sweep of any verb, before
	# the note goes with the data root.
	case $DATA in /var/tmp/lesson-test-root.*)
		CONTAINER_ROOT=$DATA "$CONTAINER" ps -a >/dev/null 2>&1
		rm -rf "$DATA" ;;
	esac
	# The home of a rootless test's user (its XDG_DATA_HOME), when the
	# test failed before it removed it.
	case ${home:-} in /var/tmp/container-test-home.*) rm -rf "$home" ;; esac
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# For the files whose tests use `container --root` ("${C[@]}"): what a
# test did not remove itself is removed (rm -f), then the check above sees
# only what rm could not remove: cgroups, mounts, processes.
container_rm_teardown() {
	local id
	for id in $("${C[@]}" ps -aq 2>/dev/null); do
		"${C[@]}" rm -f "$id" >/dev/null 2>&1
	done
	container_teardown
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

# The directory where tests/10-full-hog.c is built, static, as hog, once a
# file: readable by all (a --userns container's root is a host user of
# its own); removed with nobody's copies (helpers.bash). Prints it.
hog_dir() {
	local dir=$NOBODY_COPIES/hog
	[ -x "$dir/hog" ] || {
		mkdir -p "$dir" && chmod 755 "$NOBODY_COPIES" "$dir" &&
			cc -static -O2 -o "$dir/hog" "$BATS_TEST_DIRNAME/10-full-hog.c" -lrt
	} || return 1
	echo "$dir"
}

# Whether container $1's hog holds its lease ("lease 1 ok" in its log).
# C is the test's runtime command.
lease_held() {
	"${C[@]}" logs "$1" | grep -qx "lease 1 ok"
}
