# tests/helpers.bash - what every lesson's tests share.
#
# Load it with `load helpers`. It gives:
#   ROOT                the repository
#   need_root           skip (with the reason) unless we are root
#   LESSON_TAG          this run's tag: every name a lesson makes on the
#                       host carries it (07-cgroups/stale.h)
#   host_state          what a lesson of this run could leave behind on
#                       the host: mounts, named netns, cgroups, processes
#                       in other namespaces, lesson temp dirs
#   snapshot_host       remember host_state (call it in setup_file)
#   assert_no_leaks     fail, showing the difference, if host_state changed
#   child_of PID        the PID of PID's first child, as the host sees it
#                       (waits for it up to 5 s)
#   wait_for CMD...     retry CMD for up to 5 s
#   AS_NOBODY           a command prefix: run as nobody (uid 65534), with
#                       no groups, a PATH of its own, and XDG dirs of this
#                       run's own under NOBODY_HOME (10-full's data root
#                       for nobody: $NOBODY_HOME/lesson-container)
#   for_nobody PATH     PATH, or a copy of it that nobody can reach
#   kill_tree PID...    SIGKILL each PID and every process below it
#   kill_spawned        kill_tree what the test started and left running
#                       (its jobs, and every process with its mark in the
#                       environment); the default teardown calls it
#   need_strace, traced, stopped, sigstopped, in_wait, alive_marked,
#   none_marked,
#   wait_long           for faults injected during start (at the end)
#   full_build          FULL_CC, FULL_OBJ, FULL_LIBC: how 10-full was built

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
export ROOT
# .ci/run names the test that was running if the run hangs: each test
# writes its number and name where LESSON_PROGRESS says, as it starts.
if [ -n "${LESSON_PROGRESS:-}" ] && [ -n "${BATS_TEST_NAME:-}" ]; then
	echo "${BATS_SUITE_TEST_NUMBER:-?} ${BATS_TEST_FILENAME##*/}: $BATS_TEST_NAME" >"$LESSON_PROGRESS"
fi
# Files the tests make for nobody (layers, markers) must be readable by
# nobody, whatever umask the caller has.
umask 022

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (run: sudo make test)"
}

# This run's tag (07-cgroups/stale.h): the cgroups, mount points and work
# dirs the lessons make are named with it (lesson-07-cgroups-TAG-PID-
# START), and their sweeps touch only names with the same tag. So the leak
# check below judges what this run made, and nothing of anyone else's (a
# second checkout's tests, a workshop neighbour's runs) that comes and goes
# on the same machine meanwhile.
LESSON_TAG=t$(printf '%s' "${BATS_RUN_TMPDIR:-$$}" | cksum | cut -d' ' -f1)
export LESSON_TAG

# What a lesson of this run could leave behind on the host: each listing
# keeps only what is this run's, by its tag, its paths, or the mark in a
# process's environment (LESSON_TEST_MARK, below). Network interfaces are
# not listed: a veth lives as long as its namespace, and a namespace as
# long as a process or a mount, which are. 10-full's containers are judged
# by each test (container.bash: in a data root of its own).
host_state() {
	local host_uts p ctl ns mine="lesson-test:${BATS_RUN_TMPDIR:-/none}/"
	echo "# mounts at a path of this run's"
	awk '{ for (i = 7; $i != "-"; i++); print $5, $(i+1) }' /proc/self/mountinfo |
		grep -e "-$LESSON_TAG-" -e "$ROOT/" -e "${BATS_RUN_TMPDIR:-/none}/" \
			-e "/run/netns/lsn-$LESSON_TAG" | sort
	echo "# named netns of this run's"
	ls /run/netns 2>/dev/null | grep -e "-$LESSON_TAG" || true
	echo "# cgroups of this run's (lesson-PROGRAM-TAG-PID-START, at any depth)"
	for ctl in $(awk '$3 ~ /^cgroup2?$/ { print $2 }' /proc/self/mounts); do
		find "$ctl" -mindepth 1 -type d -name "lesson-*-$LESSON_TAG-*" 2>/dev/null
	done | sort -u
	echo "# processes of this run's in another UTS namespace (every lesson makes one)"
	host_uts=$(readlink /proc/self/ns/uts)
	# One find for every process's namespace (not a readlink each).
	find /proc/[0-9]*/ns/uts -maxdepth 0 -printf '%l %h\n' 2>/dev/null |
		while read -r ns p; do
			[ "$ns" != "$host_uts" ] || continue
			p=${p%/ns}
			grep -qsz "^LESSON_TEST_MARK=$mine" "$p/environ" &&
				echo "${p#/proc/} $(cat "$p/comm" 2>/dev/null)"
		done || true # find says so when a process ended meanwhile
	echo "# lesson temp dirs of this run's"
	ls -d /tmp/lesson-*-"$LESSON_TAG"-* 2>/dev/null || true
}

snapshot_host() {
	host_state >"$BATS_FILE_TMPDIR/host-before"
}

assert_no_leaks() {
	local i
	# A namespace outlives its last process by a moment (the kernel
	# tears it down asynchronously): give it a second.
	for i in $(seq 20); do
		host_state >"$BATS_FILE_TMPDIR/host-after"
		cmp -s "$BATS_FILE_TMPDIR/host-before" "$BATS_FILE_TMPDIR/host-after" && return 0
		sleep 0.1
	done
	diff -u "$BATS_FILE_TMPDIR/host-before" "$BATS_FILE_TMPDIR/host-after"
	return 1
}

child_of() {
	local i c shell
	shell=$(readlink /proc/$$/exe)
	for i in $(seq 50); do
		# A job started with & is our own shell until it execs the
		# program, and bats' DEBUG trap may run (and fork) in it
		# meanwhile: a child of that is not the program's.
		if [ "$(readlink /proc/"$1"/exe 2>/dev/null)" != "$shell" ]; then
			c=$(cat /proc/"$1"/task/*/children 2>/dev/null)
			[ -n "$c" ] && { echo "${c%% *}"; return 0; }
		fi
		sleep 0.1
	done
	return 1
}

wait_for() {
	local i
	for i in $(seq 50); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# Whether FILE ($1) has at least N ($2) whole lines: what a command inside
# writes line by line is read once it is all there, not at its first line.
has_lines() {
	[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ]
}

# PID and every process below it, parents first.
tree_of() {
	local c
	[ -d /proc/"$1" ] || return 0
	echo "$1"
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		tree_of "$c"
	done
}

# Killing only the top of a tree can orphan what is below it: a lesson
# program outlives a killed script(1) or sh, and its stdout keeps the
# test runner's pipe open. So the whole tree is listed first, then killed.
kill_tree() {
	local p pids=()
	for p; do
		pids+=($(tree_of "$p"))
	done
	[ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null || true
}

# Every program a test starts inherits this mark in its environment, so
# that teardown finds what the test started even after its parent died
# and it was re-parented to init (then it is no longer below any job).
LESSON_TEST_MARK="lesson-test:${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}"
export LESSON_TEST_MARK

# The PIDs of running processes that carry this test's mark. (grep sees
# its own environment too; it has exited by the time we kill.)
marked() {
	grep -lzx "LESSON_TEST_MARK=$LESSON_TEST_MARK" /proc/[0-9]*/environ \
		2>/dev/null | cut -d/ -f3
}

# Whatever the test started and is still running: a failed check must
# not leave a container behind for the next test or the leak check, nor
# a process holding bats' output open (bats would wait for it forever).
kill_spawned() {
	kill_tree $(jobs -p) $(marked)
}

# The default teardown; a file that needs more defines its own and calls
# kill_spawned from it.
teardown() {
	kill_spawned
}

# An ordinary user with no groups and no capabilities: nobody, with a
# PATH of its own (root's may name dirs under /root that nobody cannot
# search, and execvp then says EACCES, 126, where 127 is meant).
#
# And with XDG dirs of this run's own (NOBODY_HOME): without them 10-full's
# runtime keeps nobody's containers in /var/tmp/lesson-container-65534,
# which every checkout's tests on the machine would share, and one run's
# sweep would remove the dead leftovers another run made on purpose (or a
# workshop neighbour's). One per test file, so that the file's teardown
# removes it (remove_nobody_copies); made here, owned by nobody, 0700 as
# XDG asks. tests/10-full-disk.bats checks the fallback itself.
NOBODY_HOME="/var/tmp/lesson-nobody-${BATS_RUN_TMPDIR##*/}-$(basename "$BATS_TEST_FILENAME" .bats)"
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups
	env -u CONTAINER_ROOT PATH=/usr/local/bin:/usr/bin:/bin
	XDG_DATA_HOME="$NOBODY_HOME" XDG_RUNTIME_DIR="$NOBODY_HOME/run")
if [ "$EUID" -eq 0 ] && [ -n "${BATS_RUN_TMPDIR:-}" ] && [ ! -d "$NOBODY_HOME/run" ]; then
	install -d -o 65534 -g 65534 -m 700 "$NOBODY_HOME" "$NOBODY_HOME/run"
fi

# Where for_nobody copies things: one world-readable dir per test file,
# removed by the default teardown_file (a file with its own calls
# remove_nobody_copies).
NOBODY_COPIES="/tmp/bats-nobody-${BATS_RUN_TMPDIR##*/}-$(basename "$BATS_TEST_FILENAME" .bats)"

# for_nobody PATH: prints PATH when nobody can reach it, else the path of
# a copy (cp -a, once per file) that nobody can reach. A checkout in a
# home dir of mode 0700 or 0750 (Ubuntu's default) is out of nobody's
# reach; the rootless tests then run the programs and the rootfs from
# there, instead of being skipped.
for_nobody() {
	local copy
	copy="$NOBODY_COPIES/$(basename "$1")"
	if "${AS_NOBODY[@]}" test -r "$1" -a -x "$1"; then
		echo "$1"
	elif [ -e "$copy" ] || {
		mkdir -p "$NOBODY_COPIES" && chmod 755 "$NOBODY_COPIES" &&
			cp -a "$1" "$copy" && chmod a+rX "$copy"
	}; then
		echo "$copy"
	else
		return 1
	fi
}

remove_nobody_copies() {
	rm -rf "$NOBODY_COPIES" "$NOBODY_HOME"
}

teardown_file() {
	remove_nobody_copies
}

# --- faults during start (tests/01-uts.bats, 07-cgroups.bats, 10-full.bats)
# strace makes an instant exact: it sends a signal as a chosen system call
# is made (-e inject=CALL:signal=SIG), or holds a process there for a
# while (delay_enter / delay_exit), which opens a race window wide enough
# to kill or signal the program in it every time. (strace 6.1 loses track
# of a process killed while it holds it: the one held is never the one
# killed.)

need_strace() {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
}

# The PID of the program that strace ($1) runs, by its name ($2): strace
# may first fork a short-lived probe of its own.
traced() {
	local i c
	for i in $(seq 50); do
		for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
			[ "$(cat /proc/"$c"/comm 2>/dev/null)" != "$2" ] || {
				echo "$c"
				return 0
			}
		done
		sleep 0.1
	done
	return 1
}

# The state letter of PID from /proc/PID/stat ("t": stopped by strace).
# Without --seccomp-bpf strace stops its tracee at every syscall, an
# instant each: "t" then says only that it is held where a delay_enter
# or delay_exit holds it for seconds.
stopped() {
	[ "$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -d' ' -f1)" = t ]
}

# strace's log (-o LOG) says that a SIGSTOP it injected stopped its
# tracee: it is held there until SIGCONT (stopped() cannot tell that
# stop from the instant strace looks at any syscall).
sigstopped() {
	grep -q -- '--- stopped by SIGSTOP ---' "$1" 2>/dev/null
}

# The program said "go" and waits for its child.
in_wait() {
	[ "$(cat /proc/"$1"/wchan 2>/dev/null)" = do_wait ]
}

# The processes this test started that still run (marked() lists grep
# itself too, gone by the time we look).
alive_marked() {
	local p
	for p in $(marked); do
		[ ! -e /proc/"$p" ] || echo "$p $(cat /proc/"$p"/comm 2>/dev/null)"
	done
}

none_marked() {
	[ -z "$(alive_marked)" ]
}

# Like wait_for, for up to 15 s: strace may still hold a process in a
# delay that the test opened.
wait_long() {
	local i
	for i in $(seq 150); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# `ip netns add` binds /run/netns onto itself the first time, and no one
# undoes it. Files run side by side, so one that saw no such mount when it
# began cannot tell whether another made it meanwhile: the state that
# counts is the one before the whole run (tests/run exports it; a file
# run alone by bats records its own in netns_setup_file). netns_tidy, in
# a teardown: the mount goes once no namespace is left under it.
netns_setup_file() {
	if [ -z "${LESSON_NETNS_MOUNTED:-}" ]; then
		LESSON_NETNS_MOUNTED=0
		! mountpoint -q /run/netns || LESSON_NETNS_MOUNTED=1
		export LESSON_NETNS_MOUNTED
	fi
}

netns_tidy() {
	# Under tests/run, which tidies once, after every file: a file's
	# tidy raced another's `ip netns add`, which had found the mount and
	# then bound its namespace under a /run/netns unmounted meanwhile,
	# where nothing could reach or delete it (seen with two suites).
	[ -z "${LESSON_NETNS_TIDY_AT_END:-}" ] || return 0
	[ "${LESSON_NETNS_MOUNTED:-1}" = 0 ] || return 0
	if mountpoint -q /run/netns && [ -z "$(ls -A /run/netns)" ]; then
		umount /run/netns 2>/dev/null || true
	fi
}

# How 10-full was built (10-full/Makefile: musl where musl-gcc is
# installed, else glibc), for a test that links a driver of its own with
# 10-full's objects or those of the lessons it links: FULL_CC, the
# compiler that made them; FULL_OBJ, the directory they are in beside
# their sources ("musl/" or ""); FULL_LIBC, musl or glibc. E.g.
# $FULL_CC -o drv drv.c "$ROOT/06-net/${FULL_OBJ}netlink.o".
full_build() {
	local info
	info=$(make -s --no-print-directory -C "$ROOT/10-full" build-info) || return 1
	FULL_OBJ=${info%%|*}
	FULL_CC=${info#*|}
	FULL_LIBC=glibc
	[ "$FULL_OBJ" != musl/ ] || FULL_LIBC=musl
}
