#!/usr/bin/env bash
#
# 10-full/bench.sh - what does starting a container cost? (`sudo make bench`)
#
# Claim: `container run ROOTFS /bin/true`, with every step of 10-full (six
#        namespaces, a cgroup, an overlay root, /dev, masked /proc, seccomp,
#        the command as PID 1, exec'd by a sealed copy), costs at most half of what `crun run` costs in the same
#        run, and its peak RSS stays under 2 MiB; `container exec NAME
#        /bin/true` costs at most half of `crun exec` (its own section,
#        against nsenter -a too); TCP through -p carries at least half
#        of a direct connection to the container (bench-net.sh). The
#        lifecycle rows are bench-life.sh's, the image rows (commit against
#        GNU tar, run of a 5-layer image against run of a directory)
#        bench-image.sh's, save and load bench-image-arc.sh's.
#
# With the same rootfs (build/rootfs) and the same command (/bin/true) it
# times, in one run, container run and crun run in turns (BLOCKS blocks
# of RUNS/BLOCKS runs each, with hyperfine), then the others one after
# the other:
#   container run   this lesson
#   unshare         util-linux, the same namespaces, --root and a fresh /proc
#   bwrap           bubblewrap, the same namespaces, a read-only bind root
#   crun run        OCI runtime in C; bundle from `crun spec`, adjusted
#   runc run        OCI runtime in Go; the same bundle
#   /bin/true       no container at all: the floor
# and prints the median, the ratio to `container run`, and the peak RSS of
# each (wait4's ru_maxrss, from 10-full/peakrss.c), then PASS/FAIL for the
# two targets. Then the seccomp filter: its size, and what a system call
# costs (10-full/syscost.c: getpid, which the filter allows outright, and
# personality, whose argument it checks) without it, with it, and inside
# `container run`. Timing uses hyperfine when installed (it also subtracts the
# cost of the shell for the commands that need one), else peakrss's timer.
# A missing tool is named and its row skipped: nothing is installed here.
#
# Back to back, each run finds the kernel as the run before left it. One
# thing that matters: moving a process into a cgroup (crun and runc write
# its PID to cgroup.procs) first waits for an RCU grace period, unless
# another move happened just before, which in a tight loop it did.
# PAUSE_MS=50 idles between runs, so each start pays what a lone start
# pays; the default (0) is the tight loop, the anchors' best case.
#
# Wall time also swings with whatever else the machine runs; the CPU
# column (user + system of every process of a run) much less. On the VM
# of the README's "Speed" both swing from one minute to the next by more
# than the run target's margin, crun's as much as ours: hence the turns
# for the two rows the target compares.
#
# Knobs: RUNS (default 200), WARMUP (default 5), RSS_RUNS (default 5),
# BLOCKS (default 8; 1: container and crun one series after the other),
# PAUSE_MS (default 0), ROOTFS (default build/rootfs), CONTAINER (default
# ./10-full/container), TIMER=peakrss (peakrss times even when hyperfine
# is installed), BENCH_ONLY (default: every part): the parts to run, of
# run (the start rows and seccomp), exec, life, image, arc, net, separated
# by commas; e.g. `sudo make bench BENCH_ONLY=exec,life` (only their
# targets are judged).
# Everything it creates lives in build/bench/ and is removed at the end,
# except the results: build/bench/*.json (hyperfine), table.txt and
# seccomp.txt.
# Exits 0 when the targets pass, 1 when one fails, 2 when it cannot run.
#
# Read: hyperfine(1), crun(1), runc(8), bwrap(1), unshare(1), getrusage(2)

set -u
SELF=$(realpath "$0")
cd "$(dirname "$SELF")/.." || exit 2

ROOTFS=${ROOTFS:-build/rootfs}
CONTAINER=${CONTAINER:-./10-full/container}
B=build/bench
RUNS=${RUNS:-200}
WARMUP=${WARMUP:-5}
RSS_RUNS=${RSS_RUNS:-5}
PAUSE_MS=${PAUSE_MS:-0}
PAUSE_S=$(awk -v ms="$PAUSE_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
PEAKRSS=$B/peakrss
UNIFIED=/sys/fs/cgroup/unified
BENCH_ONLY=${BENCH_ONLY:-run,exec,life,image,arc,net}

# Whether part $1 is to run (BENCH_ONLY).
part() { [[ ",$BENCH_ONLY," == *",$1,"* ]]; }

say() { printf 'bench: %s\n' "$*"; }
die() { say "$*" >&2; exit 2; }
BLOCKS=${BLOCKS:-8}
[[ $BLOCKS =~ ^[1-9][0-9]*$ ]] || die "BLOCKS wants a number of blocks, e.g. BLOCKS=8 (1: no turns)"

# run_once CMD N - run CMD once under peakrss; "$$" in CMD (a container id
# that must be unique) becomes "N-<our pid>". Prints "MS RSS_KIB CPU_MS".
run_once() {
	local words
	read -ra words <<<"${1//\$\$/$2-$$}"
	"$PEAKRSS" "${words[@]}"
}

# The median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ t[NR] = $1 } END { if (NR) printf "%.3f",
		NR % 2 ? t[(NR+1)/2] : (t[NR/2] + t[NR/2+1]) / 2 }'
}

# measure NAME CMD - time CMD and take its peak RSS; writes
# "MEDIAN_MS STDDEV_MS RSS_KIB CPU_MS" to $B/NAME.res. CPU_MS (user +
# system, every process of the run) barely moves when other work shares
# the machine; wall time does. Returns 1 if CMD failed.
# With a third argument K/N (hyperfine only), it times block K of N
# instead: RUNS/N runs, after WARMUP warm-up runs in the first block and
# one in the others, into $B/NAME.bK.json; measure_blocks then takes them
# together.
measure() {
	local name=$1 cmd=$2 block=${3:-} i n out ms rss cpu max=0 med sd=- cpu_ms
	local log=$B/$name.log times=() cpus=() runs=$RUNS warmup=$WARMUP
	local json=$B/$name.json csv=$B/$name.csv

	if [ -n "$block" ]; then
		runs=$((RUNS / ${block#*/}))
		[ "${block%/*}" = 1 ] || warmup=1
		json=$B/$name.b${block%/*}.json csv=$B/$name.b${block%/*}.csv
		[ "${block%/*}" != 1 ] || : >"$log"
	else
		: >"$log"
	fi
	if [ -n "$HYPERFINE" ]; then
		# Without a shell when the command needs none: for commands this
		# short hyperfine cannot subtract a shell's start-up precisely.
		# A "$$" needs one; those commands (crun, runc) take long enough.
		local shell=(--shell=none)
		[[ $cmd != *'$$'* ]] || shell=()
		local pause=()
		[ "$PAUSE_MS" = 0 ] || pause=(--prepare "sleep $PAUSE_S")
		hyperfine "${shell[@]}" "${pause[@]}" --style none \
			--warmup "$warmup" --runs "$runs" \
			--export-json "$json" \
			--export-csv "$csv" "$cmd" >>"$log" 2>&1 || {
			# hyperfine hides the command's own words: get them
			run_once "$cmd" failed >>"$log" 2>&1
			return 1
		}
		[ -z "$block" ] || return 0
		# mean,stddev,median,user,system,min,max: count from the end
		read -r med sd cpu_ms < <(awk -F, 'NR == 2 {
			printf "%.3f %.3f %.3f\n", $(NF-4) * 1e3, $(NF-5) * 1e3,
				($(NF-3) + $(NF-2)) * 1e3 }' "$csv")
	fi
	n=$RSS_RUNS
	[ -n "$HYPERFINE" ] || n=$((WARMUP + RUNS))
	for i in $(seq "$n"); do
		[ "$PAUSE_MS" = 0 ] || sleep "$PAUSE_S"
		out=$(run_once "$cmd" "$i" 2>>"$log") || return 1
		read -r ms rss cpu <<<"$out"
		[ "$rss" -gt "$max" ] && max=$rss
		[ -n "$HYPERFINE" ] || [ "$i" -le "$WARMUP" ] ||
			{ times+=("$ms"); cpus+=("$cpu"); }
	done
	if [ -z "$HYPERFINE" ]; then
		med=$(printf '%s\n' "${times[@]}" | median)
		cpu_ms=$(printf '%s\n' "${cpus[@]}" | median)
	fi
	echo "$med $sd $max $cpu_ms" >"$B/$name.res"
}

# measure_blocks NAME CMD - after measure NAME CMD K/N for each block:
# their runs as one series ($B/NAME.json: every time; the median, the
# standard deviation, and the mean CPU time of them all), then the peak
# RSS, as measure does; writes $B/NAME.res.
measure_blocks() {
	local name=$1 cmd=$2 i out ms rss cpu max=0 med sd cpu_ms

	jq -s '{results: [{command: .[0].results[0].command,
		times: [.[].results[0].times[]],
		user: ([.[].results[0].user] | add / length),
		system: ([.[].results[0].system] | add / length)}]}' \
		"$B/$name".b*.json >"$B/$name.json" || return 1
	read -r med sd cpu_ms < <(jq -r '.results[0] | (.times | sort) as $t |
		($t | length) as $n | ($t | add / $n) as $m |
		(if $n % 2 == 1 then $t[($n - 1) / 2]
		 else ($t[$n / 2 - 1] + $t[$n / 2]) / 2 end) as $med |
		([$t[] | (. - $m) * (. - $m)] | add / ($n - 1) | sqrt) as $sd |
		"\($med * 1000) \($sd * 1000) \((.user + .system) * 1000)"' \
		"$B/$name.json") || return 1
	rm -f "$B/$name".b*.json "$B/$name".b*.csv
	for i in $(seq "$RSS_RUNS"); do
		out=$(run_once "$cmd" "$i" 2>>"$B/$name.log") || return 1
		read -r ms rss cpu <<<"$out"
		[ "$rss" -gt "$max" ] && max=$rss
	done
	printf '%.3f %.3f %s %.3f\n' "$med" "$sd" "$max" "$cpu_ms" >"$B/$name.res"
}

# Inside the private mount namespace made for crun (see below):
# measure or measure_blocks, and their arguments.
if [ "${1:-}" = --in-private-mount-ns ]; then
	HYPERFINE=$2
	umount "$UNIFIED" || exit 1
	case $3 in measure | measure_blocks) "$3" "${@:4}" ;; *) exit 2 ;; esac
	exit
fi

[ "$(id -u)" -eq 0 ] || die "needs root: namespaces, mounts and cgroups (run: sudo make bench)"
[ -f "$ROOTFS/.complete" ] || die "no $ROOTFS (run: make rootfs)"
[ -x "$CONTAINER" ] || die "no $CONTAINER (run: make)"

# What is there, what is missing (and which package brings it).
missing=()
have() { command -v "$1" >/dev/null || { missing+=("$2"); return 1; }; }
HYPERFINE=hyperfine
have hyperfine hyperfine || HYPERFINE=''
[ "${TIMER:-}" != peakrss ] || HYPERFINE=''
have unshare util-linux && HAVE_UNSHARE=1 || HAVE_UNSHARE=
have bwrap bubblewrap && HAVE_BWRAP=1 || HAVE_BWRAP=
have crun crun && HAVE_CRUN=1 || HAVE_CRUN=
have runc runc && HAVE_RUNC=1 || HAVE_RUNC=
if [ -n "$HAVE_CRUN$HAVE_RUNC" ] && ! have jq jq; then
	say "jq (to adjust the OCI config.json) is missing: skipping crun and runc" >&2
	HAVE_CRUN='' HAVE_RUNC=''
fi
if [ ${#missing[@]} -gt 0 ]; then
	say "not installed: ${missing[*]} (sudo apt-get install ${missing[*]}); their rows are skipped" >&2
	[ -n "$HYPERFINE" ] || say "timing with peakrss's own timer instead of hyperfine"
fi

# Nothing may stay behind: no container state, no mounts of our rootfs or
# bundle, no cgroup or state dir of a crun/runc id or of a `container run`
# (those of the latter only if new: tests may be running beside us).
leftovers() {
	{ [ -d "$B/crun" ] && crun --root "$B/crun" list -q
	  [ -d "$B/runc" ] && runc --root "$B/runc" list -q
	  grep -F -e "$PWD/$B" -e "$(realpath "$ROOTFS")" /proc/self/mountinfo
	  find /sys/fs/cgroup -maxdepth 4 -type d \
		\( -name 'bench-*' -o -name 'lesson-container-*' \) |
		while read -r cg; do foreign "$cg" || echo "$cg"; done
	  ls -d /run/lesson-container-*
	  # `ip netns add` (bench-net.sh) binds /run/netns on itself.
	  ! mountpoint -q /run/netns || echo "/run/netns (a mount)"
	} 2>/dev/null | sort
}

# Whether cgroup $1 is someone else's: a container that another build of
# the runtime runs (another checkout's tests, a workshop neighbour),
# known by its first process's parent, outside the cgroup, whose binary
# is not ours. Theirs came and went while we ran: not ours to judge.
foreign() {
	local p pp exe
	p=$(head -n1 "$1/cgroup.procs" 2>/dev/null) && [ -n "$p" ] || return 1
	pp=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null) || return 1
	grep -qs "${1##*/}" "/proc/$pp/cgroup" && return 1
	exe=$(readlink "/proc/$pp/exe" 2>/dev/null) || return 1
	[ "${exe% (deleted)}" != "$(realpath "$CONTAINER")" ]
}

# Remove what a run left: containers still known to crun/runc (after a
# Ctrl-C), their state dirs, the bundle, the helper, the network part's
# container and namespace. Results stay.
cleanup() {
	local id root
	# A Ctrl-C in the network part (bench-net.sh): its container, its
	# namespace.
	! declare -F net_cleanup >/dev/null || net_cleanup
	# ... or in another part: the containers of its own data root.
	for root in "$B"/*-root; do
		[ -d "$root/containers" ] || continue
		for id in $("$CONTAINER" --root "$root" ps -aq 2>/dev/null); do
			"$CONTAINER" --root "$root" rm -f "$id" >/dev/null 2>&1
		done
	done
	if [ -d "$B/crun" ]; then
		for id in $(crun --root "$B/crun" list -q 2>/dev/null); do
			unshare -m sh -c "umount $UNIFIED 2>/dev/null;
				crun --root $B/crun delete -f $id"
		done
	fi
	if [ -d "$B/runc" ]; then
		for id in $(runc --root "$B/runc" list -q 2>/dev/null); do
			runc --root "$B/runc" delete -f "$id"
		done
	fi
	[ ! -d "$B/exec-root" ] || "$CONTAINER" --root "$B/exec-root" rm -f bench-exec >/dev/null 2>&1
	rm -rf "$B/crun" "$B/runc" "$B/bundle" "$B/exec-bundle" "$B/exec-root" "$PEAKRSS" "$B/sc" "$B/sc.txt" "$B"/*.csv "$B"/*.res \
		"$B/before" "$B/.lock"
	find "$B" -maxdepth 1 -name "*.log" -empty -delete 2>/dev/null
}

mkdir -p "$B" || die "cannot create $B"
# Two benches at once would time each other and delete each other's files.
exec 9>"$B/.lock"
flock -n 9 || die "another bench is running (it holds $B/.lock)"
find "$B" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
trap cleanup EXIT
trap 'exit 130' INT TERM
CC=${CC:-cc}
CFLAGS=(-std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wmissing-prototypes -Werror)
# Static when libc.a is there: the helper's own pages then stay out of the
# numbers (a forked child carries its parent's pages until it execs).
"$CC" "${CFLAGS[@]}" -static -o "$PEAKRSS" 10-full/peakrss.c 2>/dev/null ||
	"$CC" "${CFLAGS[@]}" -o "$PEAKRSS" 10-full/peakrss.c ||
	die "cannot build 10-full/peakrss.c with $CC"
# The cost of a system call under the filter; static, for any rootfs.
mkdir -p "$B/sc"
"$CC" "${CFLAGS[@]}" -static -o "$B/sc/syscost" 10-full/syscost.c \
	10-full/seccomp.c 10-full/seccomp_tree.c 10-full/syscalls.c ||
	die "cannot build 10-full/syscost.c with $CC -static"

# One OCI bundle for crun and runc: `crun spec` plus what makes it the same
# container as the others: no terminal, /bin/true, our rootfs, and a cgroup
# namespace (the default spec already has pid, net, ipc, uts, mount).
if [ -n "$HAVE_CRUN$HAVE_RUNC" ]; then
	mkdir -p "$B/bundle" "$B/crun" "$B/runc"
	if [ -n "$HAVE_CRUN" ]; then
		(cd "$B/bundle" && crun spec)
	else
		(cd "$B/bundle" && runc spec)
	fi || die "cannot write an OCI config.json"
	jq --arg root "$(realpath "$ROOTFS")" '
		.process.terminal = false | .process.args = ["/bin/true"] |
		.root.path = $root |
		.linux.namespaces |= (. + [{type: "cgroup"}] | unique)' \
		"$B/bundle/config.json" >"$B/bundle/config.tmp" &&
		mv "$B/bundle/config.tmp" "$B/bundle/config.json" ||
		die "cannot adjust $B/bundle/config.json"
fi

# The rows: name, version, command. "$$" in a command is a container id
# that must be new for every run (crun and runc refuse one that exists).
rows=()
declare -A CMD VERSION
row() { rows+=("$1"); VERSION[$1]=$2; CMD[$1]=$3; }
first_line_last_word() { "$@" 2>&1 | awk 'NR == 1 { print $NF }'; }
row container 10-full "$CONTAINER run --rm $ROOTFS /bin/true"
[ -z "$HAVE_UNSHARE" ] || row unshare "$(first_line_last_word unshare --version)" \
	"unshare --fork --pid --mount --uts --ipc --net --cgroup --root=$ROOTFS --mount-proc /bin/true"
[ -z "$HAVE_BWRAP" ] || row bwrap "$(first_line_last_word bwrap --version)" \
	"bwrap --unshare-pid --unshare-uts --unshare-ipc --unshare-net --unshare-cgroup --ro-bind $ROOTFS / --proc /proc --dev /dev /bin/true"
[ -z "$HAVE_CRUN" ] || row crun "$(first_line_last_word crun --version)" \
	"crun --root $B/crun run --bundle $B/bundle bench-\$\$"
[ -z "$HAVE_RUNC" ] || row runc "$(first_line_last_word runc --version)" \
	"runc --root $B/runc run --bundle $B/bundle bench-\$\$"
row true "no container" /bin/true

read -r load1 _ </proc/loadavg
say "$(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), Linux $(uname -r), load average $load1"
# Wall times are only comparable on a quiet machine; CPU times much more so.
awk -v l="$load1" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }' &&
	say "the machine is busy (load $load1 on $(nproc) CPUs): wall times will be noisy; compare the CPU column" >&2
leftovers >"$B/before"
# Which C library the runtime was built with (10-full/Makefile, LIBC):
# glibc's start files leave their ABI note in the binary, musl's do not.
if command -v readelf >/dev/null; then
	if readelf -n "$CONTAINER" 2>/dev/null | grep -q NT_GNU_ABI_TAG; then
		say "$CONTAINER: built with glibc"
	else
		say "$CONTAINER: built with musl (no glibc ABI note)"
	fi
fi
say "$RUNS runs after $WARMUP warm-up runs each, $([ "$PAUSE_MS" = 0 ] && echo "back to back" || echo "$PAUSE_MS ms apart"), $([ -n "$HYPERFINE" ] && echo "timed by $(hyperfine --version)" || echo "timed by peakrss")"
part run || rows=()
# in_its_ns ROW FUNCTION ARGS...: runs measure or measure_blocks for ROW, crun
# where it must run: crun 1.8 refuses a hybrid host (cgroup v1
# controllers plus an empty cgroup2 at $UNIFIED). In a private mount
# namespace without that mount it sees plain v1; the host keeps its mount.
in_its_ns() {
	if [ "$1" = crun ] && mountpoint -q "$UNIFIED"; then
		unshare --mount --propagation private -- "$SELF" \
			--in-private-mount-ns "$HYPERFINE" "${@:2}"
	else
		"${@:2}"
	fi
}
# The target's two rows, container and crun, are timed in turns: BLOCKS
# blocks of RUNS/BLOCKS runs each, one of ours then one of crun's (crun's
# first every other time). A series after a series compared two minutes
# of a VM whose speed moves by more than the target's margin from one to
# the next: over this pass's series, 0.35x-0.52x; the same binaries in
# blocks of 25 that took turns, 0.44x-0.47x (README, "Speed").
paired=
if [ -n "$HYPERFINE" ] && [ -n "${CMD[crun]:-}" ] && [ "$BLOCKS" -gt 1 ]; then
	if [ $((RUNS % BLOCKS)) = 0 ]; then
		paired=1
	else
		say "RUNS ($RUNS) is not a multiple of BLOCKS ($BLOCKS): container and crun one after the other" >&2
	fi
fi
for r in "${rows[@]}"; do
	[ "$r" != crun ] || [ -z "$paired" ] || continue # with container
	[ "$r" != crun ] || ! mountpoint -q "$UNIFIED" ||
		say "crun: measured in a private mount namespace (unshare -m) with $UNIFIED unmounted, because crun 1.8 refuses hybrid cgroups"
	if [ "$r" = container ] && [ -n "$paired" ]; then
		say "timing container and crun in turns, $BLOCKS blocks of $((RUNS / BLOCKS)) runs each: ${CMD[container]}; ${CMD[crun]}"
		mountpoint -q "$UNIFIED" &&
			say "crun: measured in a private mount namespace (unshare -m) with $UNIFIED unmounted, because crun 1.8 refuses hybrid cgroups"
		ok=1
		for k in $(seq "$BLOCKS"); do
			if [ $((k % 2)) = 1 ]; then pair=(container crun); else pair=(crun container); fi
			for p in "${pair[@]}"; do
				in_its_ns "$p" measure "$p" "${CMD[$p]}" "$k/$BLOCKS" || { ok=; break 2; }
			done
		done
		for p in container crun; do
			[ -n "$ok" ] && in_its_ns "$p" measure_blocks "$p" "${CMD[$p]}" ||
				say "$p failed: see $B/$p.log" >&2
		done
		continue
	fi
	say "timing $r: ${CMD[$r]}"
	in_its_ns "$r" measure "$r" "${CMD[$r]}" || say "$r failed: see $B/$r.log" >&2
done

# The filter: its size, then a system call in one process before and
# after it installs the filter, and in a container; five times each, in
# turns, and the best of each ("LABEL: getpid N ns/call, personality M
# ns/call"), the least disturbed by whatever else the machine runs.
part run && say "timing system calls under seccomp: $B/sc/syscost, on the host and in $CONTAINER run, in turns"
best() { # FIRST-WORD LABEL
	awk -v k="$1" -v l="$2" '$1 == k { for (i = 2; i < NF; i++) {
			if ($i == "getpid" && (!g || $(i+1) < g)) g = $(i+1)
			if ($i == "personality" && (!p || $(i+1) < p)) p = $(i+1) } }
		END { if (g) printf "%-11s getpid %4d ns/call, personality %4d ns/call\n", l, g, p }' "$B/sc.txt"
}
part run && if ! {
	echo "seccomp filter: $("$B/sc/syscost" filter)"
	for i in 1 2 3 4 5; do
		"$B/sc/syscost" install &&
		"$CONTAINER" run --rm -v "$PWD/$B/sc:/b:ro" "$ROOTFS" /b/syscost inside ||
			break
	done >"$B/sc.txt" 2>"$B/seccomp.log"
	best no "no filter:" && best filter: "filter:" &&
		best container: "container:"
} >"$B/seccomp.txt"; then
	say "syscost failed: see $B/seccomp.log" >&2
fi

# exec (issue 9): a command in a running container. Each runtime execs
# /bin/true into an idle container of its own kind, started once:
# `container exec`; `crun exec`, into a crun container (in the private
# mount namespace crun needs on a hybrid host, as above); and `nsenter
# -a`, setns() into every namespace of our container's init and nothing
# more (no cgroup, no hardening): the floor. x: this row / container exec.
EXEC_ROOT=$B/exec-root
exec_rows=()
in_crun_ns() { # COMMAND...: as crun must run here
	if mountpoint -q "$UNIFIED"; then
		unshare --mount --propagation private -- sh -c 'umount "$0" && exec "$@"' "$UNIFIED" "$@"
	else
		"$@"
	fi
}
if part exec && "$CONTAINER" --root "$EXEC_ROOT" run -d --name bench-exec "$ROOTFS" sleep 100000 >"$B/exec-start.log" 2>&1; then
	exec_row() { exec_rows+=("$1"); VERSION[$1]=$2; CMD[$1]=$3; }
	exec_row exec 10-full "$CONTAINER --root $EXEC_ROOT exec bench-exec /bin/true"
	pid=$("$CONTAINER" --root "$EXEC_ROOT" inspect -f '{{.State.Pid}}' bench-exec)
	[ -z "$HAVE_UNSHARE" ] || exec_row nsenter "$(first_line_last_word nsenter --version)" \
		"nsenter -t $pid -a /bin/true"
	# crun --detach works in its bundle: its --root must be absolute.
	if [ -n "$HAVE_CRUN" ]; then
		mkdir -p "$B/exec-bundle"
		jq '.process.args = ["sleep", "100000"]' "$B/bundle/config.json" >"$B/exec-bundle/config.json" &&
			in_crun_ns crun --root "$PWD/$B/crun" run --detach --bundle "$B/exec-bundle" bench-exec >>"$B/exec-start.log" 2>&1 &&
			exec_row crun-exec "${VERSION[crun]}" "crun --root $PWD/$B/crun exec bench-exec /bin/true"
	fi
fi
for r in "${exec_rows[@]}"; do
	say "timing $r: ${CMD[$r]}"
	if [ "$r" = crun-exec ] && mountpoint -q "$UNIFIED"; then
		unshare --mount --propagation private -- "$SELF" \
			--in-private-mount-ns "$HYPERFINE" measure "$r" "${CMD[$r]}"
	else
		measure "$r" "${CMD[$r]}"
	fi || say "$r failed: see $B/$r.log" >&2
done
"$CONTAINER" --root "$EXEC_ROOT" rm -f bench-exec >/dev/null 2>&1
[ -z "$HAVE_CRUN" ] || in_crun_ns crun --root "$PWD/$B/crun" delete -f bench-exec >/dev/null 2>&1
# The lifecycle rows: an idle supervisor's RSS, a run -d/stop/rm cycle.
life_status=0 image_status=0 arc_status=0 net_status=0
if part life; then
	say "timing a container's life: run -d, stop, rm; an idle supervisor's RSS"
	. 10-full/bench-life.sh
fi
# The image rows: commit against GNU tar, run of a 5-layer image against
# run of a directory.
if part image; then
	say "timing images: commit, and run of a 5-layer image"
	. 10-full/bench-image.sh
fi
# Images as archives: save and load against GNU tar on the same tree.
if part arc; then
	say "timing save and load of an image against GNU tar on the same tree"
	. 10-full/bench-image-arc.sh
fi
# The network rows: TCP through -p against direct and the loopback; what
# --net bridge adds to a start. In a network namespace of their own.
if part net; then
	say "timing the network: ${NET_MIB:-1024} MiB through -p, direct, loopback; run --net bridge"
	. 10-full/bench-net.sh
fi

left=$(leftovers | comm -13 "$B/before" -)
leaked=0
if [ -z "$left" ]; then
	say "left behind: nothing"
else
	say "left behind: $left" >&2
	leaked=1
fi

res() { [ -f "$B/$1.res" ] && cut -d' ' -f"$2" "$B/$1.res"; }
ratio() { [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo -; }
c_ms=$(res container 1)
c_cpu=$(res container 4)
{
	part run && printf '%-10s %-13s %9s %7s %6s %8s %6s %9s\n' runtime version \
		"wall ms" "σ" "x" "CPU ms" "x" "peak RSS"
	part run && printf '%-10s %-13s %9s %7s %6s %8s %6s %9s\n' "" "" "(median)" "" \
		"" "(u+s)" "" "KiB"
	for r in "${rows[@]}"; do
		if [ ! -f "$B/$r.res" ]; then
			printf '%-10s %-13s %9s\n' "$r" "${VERSION[$r]}" failed
			continue
		fi
		read -r ms sd rss cpu <"$B/$r.res"
		printf '%-10s %-13s %9s %7s %6s %8s %6s %9s\n' "$r" \
			"${VERSION[$r]}" "$ms" "$sd" "$(ratio "$ms" "$c_ms")" \
			"$cpu" "$(ratio "$cpu" "$c_cpu")" "$rss"
	done
	part run && echo "(x: this row / container run; σ: standard deviation of the wall time)" &&
		cat "$B/seccomp.txt"
	e_ms=$(res exec 1) e_cpu=$(res exec 4)
	for r in "${exec_rows[@]}"; do
		[ "$r" != exec ] || printf '\n%-10s %-13s %9s %7s %6s %8s %6s %9s\n' exec version \
			"wall ms" "σ" "x" "CPU ms" "x" "peak RSS"
		if [ ! -f "$B/$r.res" ]; then
			printf '%-10s %-13s %9s\n' "$r" "${VERSION[$r]}" failed
			continue
		fi
		read -r ms sd rss cpu <"$B/$r.res"
		printf '%-10s %-13s %9s %7s %6s %8s %6s %9s\n' "$r" \
			"${VERSION[$r]}" "$ms" "$sd" "$(ratio "$ms" "$e_ms")" \
			"$cpu" "$(ratio "$cpu" "$e_cpu")" "$rss"
	done
	[ ${#exec_rows[@]} -eq 0 ] || echo "(exec /bin/true into a running container; x: this row / container exec)"
} | tee "$B/table.txt"

# The two targets of issue 4.
target() { # LABEL OK(0/1) DETAIL
	if [ "$2" = 1 ]; then echo "PASS  $1 ($3)"; else echo "FAIL  $1 ($3)"; status=1; fi
}
{
	status=0
	if ! part run; then
		: # not asked for (BENCH_ONLY)
	elif [ -z "$c_ms" ]; then
		echo "FAIL  container run did not run: see $B/container.log"
		status=1
	else
		cr_ms=$(res crun 1)
		if [ -n "$cr_ms" ]; then
			target "container run <= 0.5 x crun run" \
				"$(awk -v a="$c_ms" -v b="$cr_ms" 'BEGIN { print a <= b / 2 }')" \
				"wall $c_ms ms vs $cr_ms ms, $(ratio "$c_ms" "$cr_ms")x; CPU $c_cpu ms vs $(res crun 4) ms, $(ratio "$c_cpu" "$(res crun 4)")x"
		else
			echo "SKIP  container run <= 0.5 x crun run (no crun row)"
		fi
		c_rss=$(res container 3)
		target "container run peak RSS < 2 MiB" "$((c_rss < 2048))" \
			"$c_rss KiB"
	fi
	e_ms=$(res exec 1) ce_ms=$(res crun-exec 1)
	if ! part exec; then
		: # not asked for
	elif [ -n "$e_ms" ] && [ -n "$ce_ms" ]; then
		target "container exec <= 0.5 x crun exec" \
			"$(awk -v a="$e_ms" -v b="$ce_ms" 'BEGIN { print a <= b / 2 }')" \
			"wall $e_ms ms vs $ce_ms ms, $(ratio "$e_ms" "$ce_ms")x; CPU $(res exec 4) ms vs $(res crun-exec 4) ms, $(ratio "$(res exec 4)" "$(res crun-exec 4)")x"
	else
		echo "SKIP  container exec <= 0.5 x crun exec (no exec or crun exec row)"
	fi
	[ "$life_status" = 0 ] || status=1 # its PASS/FAIL is printed above
	[ "$image_status" = 0 ] || status=1 # the same
	[ "$arc_status" = 0 ] || status=1  # so is save's and load's
	[ "$net_status" = 0 ] || status=1 # so is the network's
	[ "$leaked" = 0 ] || { echo "FAIL  the bench left something behind (above)"; status=1; }
	exit "$status"
} | tee -a "$B/table.txt"
exit "${PIPESTATUS[0]}"
