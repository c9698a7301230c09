#!/usr/bin/env bats
# 07-cgroups: the command runs in a cgroup of its own, joined before it
# execs, held to --cpus, --memory and --pids; the cgroup is gone after
# every run. Each claim is checked from the host's side: the cgroup's own
# counters and files, read while the command runs.

load helpers
load lang
bats_require_minimum_version 1.5.0

CG="$BATS_TEST_DIRNAME/../07-cgroups/cgroups"

# The host's mode, found as the program finds it: statfs of /sys/fs/cgroup.
host_mode() {
	case $(stat -f -c %T /sys/fs/cgroup) in
	cgroup2fs) echo v2 ;;
	tmpfs) [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] &&
		echo "hybrid v1" || echo v1 ;;
	*) echo none ;;
	esac
}

setup_file() {
	echo "# mode: $(host_mode)" >&3
	snapshot_host
}

setup() {
	need_root
	[ "$(host_mode)" != none ] || skip "no cgroups on this host"
}

# cg_dir CONTROLLER PID: the directory of PID's cgroup in the tree that
# holds CONTROLLER, from /proc/PID/cgroup as the host sees it.
cg_dir() {
	if [ "$(host_mode)" = v2 ]; then
		echo "/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$2/cgroup)"
	else
		local tree path
		tree=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $2 }' /proc/$2/cgroup)
		path=$(awk -F: -v c="$tree" '$2 == c { print $3 }' /proc/$2/cgroup)
		echo "/sys/fs/cgroup/$tree$path"
	fi
}

# cgroups_named NAME: NAME's directories in every tree (v1: our memory
# cgroup sits below our own, deeper down). The name is
# lesson-PROGRAM-PID-START: lessons 08-09 run 07 too, maybe at the same
# time, so tests look for their own program's cgroups only.
cgroups_named() {
	find /sys/fs/cgroup -maxdepth 4 -type d -name "$1" 2>/dev/null
}

# cpu_usage_ns DIR: CPU time used by the cgroup so far, by its own counter.
cpu_usage_ns() {
	if [ -f "$1/cpuacct.usage" ]; then
		cat "$1/cpuacct.usage"
	else
		# (as text: awk would print a product this large as 3.6e+09)
		awk '$1 == "usage_usec" { print $2 "000" }' "$1/cpu.stat"
	fi
}

# cpu_share [OPTIONS...]: runs a busy loop under OPTIONS and sets SHARE to
# the CPUs it got over one second of wall time, measured from the host.
# The loop runs until the test says stop (a file), however slow the
# machine is at getting there.
cpu_share() {
	local stop=$BATS_TEST_TMPDIR/stop
	rm -f "$stop"
	"$CG" "$@" -- sh -c "while [ ! -e $stop ]; do :; done" &
	local prog=$! child dir u0 u1 t0 t1
	child=$(child_of $prog)
	wait_for grep -q lesson- /proc/$child/cgroup
	dir=$(cg_dir cpuacct $child)
	sleep 0.3 # let it settle into its quota
	u0=$(cpu_usage_ns "$dir") t0=$EPOCHREALTIME
	sleep 1
	u1=$(cpu_usage_ns "$dir") t1=$EPOCHREALTIME
	touch "$stop"
	local rc=0
	wait $prog || rc=$? # (run would wait in a subshell: not its child)
	[ "$rc" -eq 0 ]
	[ ! -d "$dir" ]
	SHARE=$(awk -v u="$((u1 - u0))" -v t0="$t0" -v t1="$t1" \
		'BEGIN { printf "%.3f", u / ((t1 - t0) * 1e9) }')
}

# run_waited CMD...: like bats' run, but in this shell, so that the
# program's PID is known: sets PROG, RC (its status) and ERR (a file with
# its stderr).
run_waited() {
	ERR=$BATS_TEST_TMPDIR/err
	"$@" 2>"$ERR" &
	PROG=$!
	RC=0
	wait $PROG || RC=$?
}

# procs_in DIR N: true when the cgroup DIR holds N processes.
procs_in() {
	[ "$(wc -l <"$1/cgroup.procs")" -eq "$2" ]
}

@test "07-cgroups: the command is in its own cgroup before it execs" {
	run "$CG" --memory 64M --pids 50 --cpus 1 -- cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	# cat's very first act is to print its cgroups: it was moved before
	# exec. v1: one lesson-* cgroup in each tree; v2: one in the one tree.
	if [ "$(host_mode)" = v2 ]; then
		[[ "$output" == *"0::/lesson-"* ]]
	else
		for c in cpu cpuacct memory pids; do
			echo "$output" | grep -Eq "^[0-9]+:([a-z_]+,)*$c(,[a-z_]+)*:/(.*/)?lesson-07-cgroups-$LESSON_TAG-[0-9]+-[0-9]+$"
		done
	fi
	name=$(echo "$output" | grep -o "lesson-07-cgroups-$LESSON_TAG-[0-9]*-[0-9]*" | head -1)
	[ -n "$name" ]
	[ -z "$(cgroups_named "$name")" ]
}

@test "07-cgroups: the limits are in the kernel's files, read from the host" {
	go=$BATS_TEST_TMPDIR/go
	"$CG" --cpus 0.2 --memory 32M --pids 20 -- sh -c "while [ ! -e $go ]; do sleep 0.05; done" &
	prog=$!
	child=$(child_of $prog)
	wait_for grep -q lesson- /proc/$child/cgroup
	if [ "$(host_mode)" = v2 ]; then
		d=$(cg_dir cpu $child)
		[ "$(cat $d/cpu.max)" = "20000 100000" ]
		[ "$(cat $d/memory.max)" = 33554432 ]
		[ "$(cat $d/pids.max)" = 20 ]
		grep -qx "$child" $d/cgroup.procs
	else
		d=$(cg_dir cpu $child)
		[ "$(cat $d/cpu.cfs_quota_us)" = 20000 ]
		[ "$(cat $d/cpu.cfs_period_us)" = 100000 ]
		m=$(cg_dir memory $child)
		[ "$(cat $m/memory.limit_in_bytes)" = 33554432 ]
		# memsw = memory: no swap on top of the limit; kmem.tcp =
		# memory: the kernel's TCP buffers count too.
		[ ! -f $m/memory.memsw.limit_in_bytes ] ||
			[ "$(cat $m/memory.memsw.limit_in_bytes)" = 33554432 ]
		[ ! -f $m/memory.kmem.tcp.limit_in_bytes ] ||
			[ "$(cat $m/memory.kmem.tcp.limit_in_bytes)" = 33554432 ]
		p=$(cg_dir pids $child)
		[ "$(cat $p/pids.max)" = 20 ]
		for x in "$d" "$m" "$p"; do grep -qx "$child" $x/cgroup.procs; done
	fi
	# The program itself stays outside: only the container is limited.
	# (`run -1 grep`, not `! grep`: bats does not fail on a negated
	# command. 1 is grep's "no match"; 2 would be a missing file.)
	run -1 grep -q lesson- /proc/$prog/cgroup
	touch "$go"
	wait $prog
	for x in "$d" "${m:-}" "${p:-}"; do [ ! -d "$x" ]; done
	[ -z "$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-$prog-*")" ]
}

@test "07-cgroups: a busy loop under --cpus 0.2 gets about 20% of one CPU" {
	cpu_share --cpus 0.2
	limited=$SHARE
	cpu_share
	free=$SHARE
	echo "# CPUs used: $limited with --cpus 0.2, $free without" >&3
	# The control: the same measure must see far more without the limit
	# (1.0 on an idle machine; other work on a busy 2-core box takes
	# some), or it cannot tell a limit from a busy machine.
	awk -v x="$free" 'BEGIN { exit !(x >= 0.40) }' ||
		skip "the machine is too busy to tell: a loop without a limit got $free of a CPU"
	# The quota is 20 ms per 100 ms period; over a second that is 0.20,
	# give or take a period at each end and a noisy neighbour.
	awk -v x="$limited" 'BEGIN { exit !(x >= 0.10 && x <= 0.30) }'
}

@test "07-cgroups: allocating past --memory 32M is OOM-killed (137), and we say so" {
	# tail keeps a line in memory until it ends; /dev/zero has no end.
	run_waited "$CG" --memory 32M -- tail /dev/zero
	[ "$RC" -eq 137 ]
	# The program was not killed with it: it lived to report.
	grep -q "^07-cgroups: out of memory: the kernel killed a process in the container for going over --memory 32M" "$ERR"
	[ -z "$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-$PROG-*")" ]
	# Well under the limit nothing is killed and nothing is said.
	run "$CG" --memory 32M -- sh -c 'head -c 8M /dev/zero | wc -c'
	[ "$status" -eq 0 ]
	[ "$output" = 8388608 ]
}

@test "07-cgroups: a fork bomb under --pids 20 never has more than 20 tasks" {
	# The bomb would start 100 sleeps; at the limit fork fails and the
	# bomb's shell gives up, then PID 1 becomes a sleep (exec, no fork).
	bomb='i=0; while [ $i -lt 100 ]; do sleep 3 & i=$((i+1)); done'
	"$CG" --pids 20 -- sh -c "sh -c '$bomb'; echo bomb exited \$? >&2; exec sleep 2" \
		2>"$BATS_TEST_TMPDIR/err" &
	prog=$!
	child=$(child_of $prog)
	wait_for grep -q lesson- /proc/$child/cgroup
	dir=$(cg_dir pids $child)
	most=0
	while [ -d "$dir" ] && ! grep -q "bomb exited" "$BATS_TEST_TMPDIR/err"; do
		n=$(cat "$dir/pids.current" 2>/dev/null) || break
		[ "${n:-0}" -gt "$most" ] && most=$n
	done
	n=$(cat "$dir/pids.current")
	[ "$n" -gt "$most" ] && most=$n
	refused=$(awk '$1 == "max" { print $2 }' "$dir/pids.events")
	echo "# most tasks seen: $most; forks refused by the kernel: $refused" >&3
	wait $prog
	# Two lines: in an `A && B` list bats would not fail on a false A.
	[ "$most" -le 20 ]
	[ "$most" -ge 15 ]
	[ "$refused" -ge 1 ]
	# The bomb saw it: its fork failed.
	grep -q "Cannot fork" "$BATS_TEST_TMPDIR/err"
	grep -q "bomb exited 2" "$BATS_TEST_TMPDIR/err"
	[ ! -d "$dir" ]
}

@test "07-cgroups: SIGTERM or Ctrl-C to the program: the cgroup and its processes are gone" {
	for sig in TERM INT; do
		"$CG" --pids 10 -- sh -c "trap 'exit 99' $sig; sleep 30 & wait" &
		prog=$!
		child=$(child_of $prog)
		wait_for grep -q lesson- /proc/$child/cgroup
		dir=$(cg_dir pids $child)
		wait_for procs_in "$dir" 2 # sh, and sleep 30
		sleeper=$(grep -vx "$child" "$dir/cgroup.procs")
		kill -$sig $prog # 03 forwards it to the command
		rc=0
		wait $prog || rc=$?
		[ "$rc" -eq 99 ]
		[ ! -d "$dir" ]
		[ ! -d /proc/$sleeper ] || [ "$(cat /proc/$sleeper/comm)" != sleep ]
		[ -z "$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-$prog-*")" ]
	done
}

@test "07-cgroups: nonsense values exit 125, naming the option, creating nothing" {
	scratch=$BATS_TEST_TMPDIR/v2
	mkdir "$scratch"
	echo "cpu memory pids" >"$scratch/cgroup.controllers"
	: >"$scratch/cgroup.subtree_control"
	for bad in "--memory abc" "--memory 0" "--memory 12X" "--memory -5M" \
		"--cpus -1" "--cpus 0" "--cpus abc" "--cpus 1e3" \
		"--pids 0" "--pids -3" "--pids 1.5" "--cpu-period 10" \
		"--cpu-quota 5"; do
		run -125 env LESSON_CGROUP_ROOT="$scratch" LESSON_CGROUP_MODE=v2 \
			"$CG" $bad -- true
		[[ "${lines[0]}" == "07-cgroups: ${bad%% *} '${bad#* }': "* ]]
		[[ "$output" == *"--help"* ]]
		run_waited "$CG" $bad -- true
		[ "$RC" -eq 125 ]
		grep -q "^07-cgroups: ${bad%% *} '${bad#* }': " "$ERR"
		[ -z "$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-$PROG-*")" ]
	done
	run -125 "$CG" --cpus 0.5 --cpu-quota 5000 -- true
	[ "${lines[0]}" = "07-cgroups: give --cpus or --cpu-quota, not both" ]
	# A workshop's LESSON_TAG that is not a tag (07-cgroups/stale.h).
	run -125 env LESSON_CGROUP_ROOT="$scratch" LESSON_CGROUP_MODE=v2 \
		LESSON_TAG=Seat-1 "$CG" --pids 5 -- true
	[ "$output" = "07-cgroups: LESSON_TAG=Seat-1: use 1 to 16 lowercase letters and digits (or unset it)" ]
	# Nothing was created or written in the scratch tree, where every
	# write would have stayed visible.
	[ -z "$(ls "$scratch" | grep -v '^cgroup\.')" ]
	[ -z "$(cat "$scratch/cgroup.subtree_control")" ]
}

@test "07-cgroups: v2 backend writes cpu.max, memory.max, swap 0, pids.max, subtree_control" {
	# No v2 host here: a scratch directory laid out like a v2 root.
	scratch=$BATS_TEST_TMPDIR/v2
	mkdir "$scratch"
	echo "cpuset cpu io memory hugetlb pids rdma misc" >"$scratch/cgroup.controllers"
	: >"$scratch/cgroup.subtree_control"
	: >"$scratch/cgroup.procs"
	LESSON_CGROUP_ROOT="$scratch" LESSON_CGROUP_MODE=v2 "$CG" \
		--cpus 0.2 --memory 32M --pids 20 -- sh -c \
		"cd $scratch/lesson-*/ && for f in *; do echo \"\$f=\$(cat \$f)\"; done >$BATS_TEST_TMPDIR/files; sleep 1" &
	prog=$!
	child=$(child_of $prog)
	wait_for test -s "$BATS_TEST_TMPDIR/files"
	wait $prog
	cat "$BATS_TEST_TMPDIR/files"
	[ "$(cat "$BATS_TEST_TMPDIR/files")" = "$(printf '%s\n' \
		"cgroup.procs=$child" "cpu.max=20000 100000" \
		"memory.max=33554432" "memory.swap.max=0" "pids.max=20")" ]
	[ "$(cat "$scratch/cgroup.subtree_control")" = "+cpu +memory +pids" ]
	# The per-run cgroup is removed; the root's own files are untouched.
	[ -z "$(ls -d "$scratch"/lesson-* 2>/dev/null)" ]
	[ ! -s "$scratch/cgroup.procs" ]
}

@test "07-cgroups: v2 backend names a controller missing from cgroup.controllers" {
	scratch=$BATS_TEST_TMPDIR/v2
	mkdir "$scratch"
	echo "cpu pids" >"$scratch/cgroup.controllers"
	: >"$scratch/cgroup.subtree_control"
	run -125 env LESSON_CGROUP_ROOT="$scratch" LESSON_CGROUP_MODE=v2 \
		"$CG" --memory 32M -- true
	[[ "${lines[0]}" == "07-cgroups: the memory controller is missing: $scratch/cgroup.controllers lists only 'cpu pids'"* ]]
	[ "$(ls "$scratch")" = "$(printf 'cgroup.controllers\ncgroup.subtree_control')" ]
	[ ! -s "$scratch/cgroup.subtree_control" ]
	# Limits it can apply work; the missing one is only needed for --memory.
	run env LESSON_CGROUP_ROOT="$scratch" LESSON_CGROUP_MODE=v2 \
		"$CG" --pids 5 -- true
	[ "$status" -eq 0 ]
	[ "$(cat "$scratch/cgroup.subtree_control")" = "+pids" ]
}

@test "07-cgroups: v2 backend on a real cgroup2 tree: joins, then removes it" {
	# A hybrid host has a real, controller-less cgroup2 tree at unified/:
	# enough to run the v2 code against the kernel, limits aside.
	tree=/sys/fs/cgroup/unified
	[ "$(host_mode)" = v2 ] && tree=/sys/fs/cgroup
	[ "$(stat -f -c %T $tree 2>/dev/null)" = cgroup2fs ] || skip "no cgroup2 tree"
	go=$BATS_TEST_TMPDIR/go
	LESSON_CGROUP_ROOT=$tree "$CG" -- sh -c "while [ ! -e $go ]; do sleep 0.05; done" &
	prog=$!
	child=$(child_of $prog)
	wait_for grep -q '^0::/lesson-' /proc/$child/cgroup
	dir=$tree$(sed -n 's/^0:://p' /proc/$child/cgroup)
	grep -qx "$child" $dir/cgroup.procs
	touch "$go"
	wait $prog
	[ ! -d "$dir" ]
	# A controller the tree does not offer is named, by the kernel's list.
	if ! grep -qw memory $tree/cgroup.controllers; then
		run -125 env LESSON_CGROUP_ROOT=$tree "$CG" --memory 32M -- true
		[[ "${lines[0]}" == "07-cgroups: the memory controller is missing: $tree/cgroup.controllers lists only"* ]]
	fi
}

@test "07-cgroups: v1 backend on a scratch tree: one dir per controller, its own files" {
	scratch=$BATS_TEST_TMPDIR/v1
	mkdir -p "$scratch"/{cpu,cpuacct,memory,pids}
	LESSON_CGROUP_ROOT="$scratch" LESSON_CGROUP_MODE=v1 "$CG" \
		--cpus 0.5 --memory 1G --pids 7 -- sh -c \
		"cd $scratch && grep -r . */lesson-*/ | sed 's|/lesson-[^/]*/|:|' | LC_ALL=C sort >$BATS_TEST_TMPDIR/files"
	cat "$BATS_TEST_TMPDIR/files"
	[ "$(grep -v cgroup.procs "$BATS_TEST_TMPDIR/files")" = "$(printf '%s\n' \
		"cpu:cpu.cfs_period_us:100000" "cpu:cpu.cfs_quota_us:50000" \
		"memory:memory.kmem.tcp.limit_in_bytes:1073741824" \
		"memory:memory.limit_in_bytes:1073741824" \
		"memory:memory.memsw.limit_in_bytes:1073741824" \
		"pids:pids.max:7")" ]
	# The process joins all four trees, cpuacct too (it only measures).
	[ "$(grep -c cgroup.procs "$BATS_TEST_TMPDIR/files")" -eq 4 ]
	[ -z "$(ls -d "$scratch"/*/lesson-* 2>/dev/null)" ]
	# A tree the limits need and the host lacks is named.
	rmdir "$scratch/pids"
	run -125 env LESSON_CGROUP_ROOT="$scratch" LESSON_CGROUP_MODE=v1 \
		"$CG" --pids 7 -- true
	[[ "${lines[0]}" == "07-cgroups: the pids controller is missing: no cgroup v1 hierarchy at $scratch/pids"* ]]
}

@test "07-cgroups: not root: limits refused (needs root or delegation), none: runs" {
	cg=$(for_nobody "$CG")
	run -125 "${AS_NOBODY[@]}" "$cg" --memory 32M -- true
	[[ "${lines[0]}" == "07-cgroups: limits need root or cgroup delegation: "* ]]
	run "${AS_NOBODY[@]}" "$cg" -- cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" != *lesson-* ]]
}

@test "07-cgroups: exit status comes back through the cgroup (7, 127), bad option 125" {
	run "$CG" --pids 10 -- sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run -127 "$CG" --pids 10 -- no-such-command-here
	run -125 "$CG" --no-such-option true
	[ "${lines[0]}" = "07-cgroups: unknown option '--no-such-option'" ]
	[[ "$output" == *"--help"* ]]
}

@test "07-cgroups: leaves nothing behind on the host" {
	assert_no_leaks
}

# start_of PID: its start time, field 22 of /proc/PID/stat (counted after
# the name, which may hold spaces): the START in lesson-PROGRAM-PID-START.
start_of() {
	sed 's/.*) //' /proc/"$1"/stat | cut -d' ' -f20
}

has_cgroups() {
	[ -n "$(cgroups_named "$1")" ]
}

# plant PREFIX DEAD LIVE DIR...: in each DIR, leftovers the sweep must
# leave alone: another user's (dead owner), a live owner's, another
# program's, one of a run with another LESSON_TAG (ours with each digit
# moved on by one, which no run has; dead owner, ours). Not one without
# a tag: any untagged run on the machine (a student's, another
# checkout's README check) rightly sweeps that. Listed in planted,
# removed by teardown if a check fails.
plant() {
	local prefix=$1 dead=$2 live=$3 d other
	other=$(tr 0-9 1-90 <<<"$LESSON_TAG") # as long as ours: read as one
	shift 3
	for d; do
		mkdir "$d/$prefix-$dead-1" "$d/$prefix-$live-$(start_of $live)" \
			"$d/lesson-other-program-$dead-1" "$d/${prefix%-$LESSON_TAG}-$other-$dead-1"
		chown 65534 "$d/$prefix-$dead-1"
		printf '%s\n' "$d/$prefix-$dead-1" "$d/$prefix-$live-$(start_of $live)" \
			"$d/lesson-other-program-$dead-1" "$d/${prefix%-$LESSON_TAG}-$other-$dead-1" \
			>>"$BATS_TEST_TMPDIR/planted"
	done
}

teardown() {
	kill_spawned
	if [ -f "$BATS_TEST_TMPDIR/planted" ]; then
		xargs -r rmdir <"$BATS_TEST_TMPDIR/planted" 2>/dev/null || true
	fi
}

@test "07-cgroups: kill -9 (mid-mkdir, or while the command runs): the next run removes what it left, and only that" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	go=$BATS_TEST_TMPDIR/go
	# Killed while making its cgroups: strace holds the program for a
	# minute right after its first mkdir (the first cgroup), and the
	# kill lands there.
	strace -f -qq -o /dev/null -e trace=mkdir,mkdirat \
		-e inject=mkdir,mkdirat:delay_exit=60000000:when=1 \
		sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' \
		"$BATS_TEST_TMPDIR/pid" "$CG" --pids 20 -- true 2>/dev/null &
	tracer=$!
	# (Its PID through a file: strace may fork helpers of its own.)
	wait_for test -s "$BATS_TEST_TMPDIR/pid"
	first=$(cat "$BATS_TEST_TMPDIR/pid")
	wait_for has_cgroups "lesson-07-cgroups-$LESSON_TAG-$first-*"
	kill -KILL $first
	# strace would sit out its delay of a minute for the dead tracee,
	# and takes no SIGTERM meanwhile.
	kill -KILL $tracer 2>/dev/null || true
	wait $tracer || true
	wait_for eval '[ ! -d /proc/$first ]'
	left=$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-$first-*")
	[ -n "$left" ]
	# The next run removes them first, and says so; it is killed while
	# its command runs in its own cgroups.
	"$CG" --pids 20 -- sh -c "while [ ! -e $go ]; do sleep 0.05; done" \
		2>"$BATS_TEST_TMPDIR/err" &
	second=$!
	child=$(child_of $second)
	wait_for grep -q lesson- /proc/$child/cgroup
	for d in $left; do
		grep -qF "07-cgroups: removed cgroup $d, left by PID $first (killed)" "$BATS_TEST_TMPDIR/err"
		[ ! -e "$d" ]
	done
	kill -KILL $second
	wait $second || true
	left=$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-$second-*")
	[ -n "$left" ]
	echo "# kill -9 while running left $(echo "$left" | wc -l) cgroup dirs" >&3
	# Beside them: what is not ours to remove.
	sh -c "while [ ! -e $go ]; do sleep 0.05; done" &
	live=$!
	plant lesson-07-cgroups-$LESSON_TAG $second $live $(echo "$left" | xargs -n1 dirname)
	# The next run removes every dir that was left, and says so...
	run -0 "$CG" --pids 20 true
	for d in $left; do
		[[ "$output" == *"07-cgroups: removed cgroup $d, left by PID $second (killed)"* ]]
		[ ! -e "$d" ]
	done
	# ...and nothing else: another user's, a live run's, another
	# program's are all still there.
	while read -r d; do [ -d "$d" ]; done <"$BATS_TEST_TMPDIR/planted"
	[ "$(grep -c removed <<<"$output")" -eq "$(echo "$left" | wc -l)" ]
	xargs rmdir <"$BATS_TEST_TMPDIR/planted"
	rm "$BATS_TEST_TMPDIR/planted"
	touch "$go"
	wait $live
}

# A SIGTERM during start (strace sends it as the program makes its first
# cgroup dir) killed the program with its cgroups made: four dirs left on
# a v1 host. Now it waits until the cgroup is ready, and ends the run
# there: 143, every dir removed, the command never run.
@test "07-cgroups: a SIGTERM during start ends the run with 143 and removes the cgroup (strace)" {
	need_strace
	ran="$BATS_TEST_TMPDIR/ran"
	trace="$BATS_TEST_TMPDIR/trace"
	run -143 strace -f -qq -s 256 -o "$trace" -e trace=mkdir,mkdirat \
		-e signal=none -e inject=mkdir,mkdirat:signal=SIGTERM:when=1 \
		"$CG" --pids 50 sh -c "touch $ran"
	[ ! -e "$ran" ]
	name=$(grep -o "lesson-07-cgroups-$LESSON_TAG-[0-9]*-[0-9]*" "$trace" | head -1)
	[ -n "$name" ] # the trace shows the cgroup made
	[ -z "$(cgroups_named "$name")" ]
}

# The README's commands, run as a student would type them (tests/readme),
# in English and in Chinese: the blocks of this host's cgroup version are
# checked, the other version's skipped. They leave no cgroup of their own
# (their kill -9 block finds its leftovers by PID and sweeps them): none
# appears that was not there before.
readme_check() {
	local before after
	before=$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-*" | sort)
	"$ROOT/tests/readme" "$1"
	after=$(cgroups_named "lesson-07-cgroups-$LESSON_TAG-*" | sort)
	[ -z "$(comm -13 <(echo "$before") <(echo "$after"))" ]
}

@test "07-cgroups: the README's commands print what it shows (tests/readme)" {
	readme_check "$ROOT/07-cgroups/README.md"
}

@test "07-cgroups: the Chinese README's commands print what it shows, and its code is the English one's" {
	readme_check "$ROOT/07-cgroups/README.zh-CN.md"
	same_blocks "$ROOT/07-cgroups/README.md" "$ROOT/07-cgroups/README.zh-CN.md"
}

@test "tests/readme: a block marked for one cgroup version is checked on it and skipped on the other" {
	# The control: on this host's version a wrong block fails, on the
	# other it is skipped, saying why.
	local mine other
	if [ "$(host_mode)" = v2 ]; then mine=v2 other=v1; else mine=v1 other=v2; fi
	printf '%s\n' "<!-- cgroup $other only -->" '```console' '$ echo yes' 'no' '```' \
		>"$BATS_TEST_TMPDIR/other.md"
	run -0 "$ROOT/tests/readme" "$BATS_TEST_TMPDIR/other.md"
	[[ "$output" == *"not checked (cgroup $other only; this machine: $mine)"* ]]
	printf '%s\n' "<!-- cgroup $mine only -->" '```console' '$ echo yes' 'no' '```' \
		>"$BATS_TEST_TMPDIR/mine.md"
	run -1 "$ROOT/tests/readme" "$BATS_TEST_TMPDIR/mine.md"
	[[ "$output" == *"+yes"* ]]
	# A marker holds for the next block only.
	printf '%s\n' "<!-- cgroup $other only -->" '```console' '$ true' '```' \
		'text' '```console' '$ echo yes' 'no' '```' >"$BATS_TEST_TMPDIR/next.md"
	run -1 "$ROOT/tests/readme" "$BATS_TEST_TMPDIR/next.md"
}
