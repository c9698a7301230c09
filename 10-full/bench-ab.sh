#!/usr/bin/env bash
# 10-full/bench-ab.sh - two builds of `container` (or more), timed in turns.
#
#   sudo 10-full/bench-ab.sh [-n ROUNDS] CONTAINER_A CONTAINER_B...
#
# Each round runs every binary given once, `run --rm ROOTFS /bin/true`
# (ROOTFS: build/rootfs unless set), each going first in its turn, and
# prints, per binary, the median wall time and its quartiles, in ms, and
# how far its median is from the first binary's. ROUNDS: 400 unless -n.
#
# Why in turns, not one series after the other as `make bench` does: on a
# shared machine the load moves by more than a change saves (a start is
# ~5 ms here, a change 0.05-0.3 ms, crun's own σ 3-5 ms), and what one
# start leaves to the kernel (a network namespace torn down by a worker
# thread, inodes ext4 will not reuse for a minute: bench-turns.sh) weighs
# on the next one. Run after run, every binary meets the same machine.
# The README's "Speed" times each of its changes this way.
#
# To keep the build before a change: cp 10-full/container /tmp/before;
# change, make, then: sudo 10-full/bench-ab.sh /tmp/before 10-full/container
#
# Read: bash(1) (EPOCHREALTIME)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bench-ab: %s\n' "$*"; }
die() { say "$*" >&2; exit 2; }

rounds=400
if [ "${1:-}" = -n ]; then
	[[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "-n wants a number of rounds, e.g. -n 400"
	rounds=$2
	shift 2
fi
[ $# -ge 1 ] || die "which builds? usage: $0 [-n ROUNDS] CONTAINER_A CONTAINER_B..."
ROOTFS=${ROOTFS:-build/rootfs}
[ "$(id -u)" -eq 0 ] || die "needs root, as container run does (run: sudo $0 $*)"
[ -f "$ROOTFS/.complete" ] || die "no $ROOTFS (run: make rootfs)"
for b in "$@"; do
	[ -x "$b" ] || die "$b: not an executable (a built 10-full/container, or a copy of one)"
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bins=("$@")
n=${#bins[@]}
say "$rounds rounds of: $(printf '%s ' "${bins[@]}")(each: run --rm $ROOTFS /bin/true); load average $(cut -d' ' -f1 /proc/loadavg)"
for ((r = 0; r < rounds; r++)); do
	for ((k = 0; k < n; k++)); do
		i=$(((k + r) % n)) # each binary goes first in its turn
		t0=$EPOCHREALTIME
		"${bins[i]}" run --rm "$ROOTFS" /bin/true </dev/null >/dev/null ||
			die "${bins[i]} run failed (round $((r + 1))): see what it says by running it alone"
		t1=$EPOCHREALTIME
		echo "$t0 $t1" >>"$out/$i"
	done
done

first=
for ((i = 0; i < n; i++)); do
	# The wall time of each run in ms, sorted: median and quartiles.
	read -r q1 med q3 < <(awk '{ printf "%.3f\n", ($2 - $1) * 1000 }' "$out/$i" |
		sort -g | awk '{ t[NR] = $1 } END {
			printf "%s %s %s\n", t[int((NR + 3) / 4)], t[int((NR + 1) / 2)], t[int((3 * NR + 3) / 4)] }')
	[ -n "$first" ] || first=$med
	printf '%-40s median %7.3f ms  (q1 %.3f, q3 %.3f)  %+.3f ms\n' "${bins[i]}" "$med" "$q1" "$q3" \
		"$(awk -v a="$med" -v b="$first" 'BEGIN { print a - b }')"
done
