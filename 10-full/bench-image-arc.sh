# 10-full/bench-image-arc.sh - what moving an image as an archive costs:
# `save` and `load` against GNU tar writing and reading the same tree.
# Sourced by bench.sh (its $B, $CONTAINER, $HYPERFINE, say), after the
# lifecycle rows; runs alone too: sudo bash 10-full/bench-image-arc.sh
#
# Claim: save and load of an image of 10,000 small files and 100 MiB in
#        large ones (one layer, on top of build/rootfs) take at most 1.5x
#        GNU tar's time for the same bytes: `tar -c` of the layer's tree
#        for save, `tar -x` of that tar into an empty dir for load.
#
# save packs the layer again (a walk of its metadata to size the tar, then
# the tar itself, hashed to check its DiffID); load reads the archive once
# to list it, then each layer blob where it lies, hashing it and keeping
# a copy while it unpacks it. Both also read and write the small JSON
# files. tar does none of this: the ratio is the price of the checks.
#
# Prints its rows and one PASS/FAIL line; sets arc_status (0 or 1).

if [ -z "${B:-}" ]; then # alone: what bench.sh would have set
	cd "$(dirname "$(realpath "$0")")/.." || exit 2
	B=build/bench
	CONTAINER=${CONTAINER:-./10-full/container}
	HYPERFINE=${HYPERFINE-$(command -v hyperfine)}
	say() { printf 'bench: %s\n' "$*"; }
	mkdir -p "$B"
fi
arc_status=0
ARC_RUNS=${ARC_RUNS:-5}
AR="$B/arc-root"
A=("$CONTAINER" --root "$AR")

# The median wall time, in ms, of shell command $2 (label $1), each run
# after shell command $3: hyperfine's, else date's around each run.
arc_time() {
	if [ -n "$HYPERFINE" ]; then
		hyperfine --style none --warmup 1 --runs "$ARC_RUNS" --prepare "$3" \
			--export-csv "$B/arc-$1.csv" "$2" >"$B/arc-$1.log" 2>&1 &&
			awk -F, 'NR == 2 { printf "%.1f", $(NF-4) * 1e3 }' "$B/arc-$1.csv"
		return
	fi
	local i t0 t1
	for i in $(seq "$ARC_RUNS"); do
		bash -c "$3" && t0=$(date +%s%N) &&
			bash -c "$2" >"$B/arc-$1.log" 2>&1 && t1=$(date +%s%N) ||
			return 1
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{ t[NR] = $1 } END { if (NR) printf "%.1f", t[int((NR + 1) / 2)] / 1000 }'
}

# The tree: 10,000 small files (100 dirs of 100, 1 KiB each) and 100 MiB
# in ten large ones, imported as a one-layer image.
rm -rf "$AR" "$B/arc-tree"
mkdir -p "$B/arc-tree/small" "$B/arc-tree/large"
for d in $(seq 100); do
	mkdir "$B/arc-tree/small/$d"
	head -c $((100 * 1024)) /dev/urandom | split -b 1024 -a 2 - "$B/arc-tree/small/$d/f"
done
for f in $(seq 10); do
	head -c $((10 << 20)) /dev/urandom >"$B/arc-tree/large/$f"
done
"${A[@]}" import "$B/arc-tree" arcbench >/dev/null
layer=$(ls "$AR/images/layers")
diff="$AR/images/layers/$layer/diff"
sync

save_c=$(arc_time save "${A[*]} save arcbench -o $B/arc-save.tar" "rm -f $B/arc-save.tar")
save_t=$(arc_time tar-c "tar -cf $B/arc-gnu.tar -C $diff ." "rm -f $B/arc-gnu.tar")
tar -cf "$B/arc-gnu.tar" -C "$diff" .
load_c=$(arc_time load "$CONTAINER --root $B/arc-root2 load -i $B/arc-save.tar >/dev/null" "rm -rf $B/arc-root2")
load_t=$(arc_time tar-x "tar -xf $B/arc-gnu.tar -C $B/arc-x" "rm -rf $B/arc-x; mkdir $B/arc-x")
size=$(stat -c %s "$B/arc-save.tar" 2>/dev/null)
rm -rf "$AR" "$B/arc-root2" "$B/arc-x" "$B/arc-tree" "$B/arc-save.tar" "$B/arc-gnu.tar"

{
	echo "images as archives: a layer of 10,000 x 1 KiB + 10 x 10 MiB" \
		"($((${size:-0} >> 20)) MiB of tar), median of $ARC_RUNS"
	printf '  %-34s %9s ms   %-22s %9s ms   %5sx\n' \
		"container save IMAGE -o FILE" "${save_c:-failed}" "tar -cf FILE -C DIR ." \
		"${save_t:-?}" "$(awk -v a="$save_c" -v b="$save_t" 'BEGIN { if (b) printf "%.2f", a / b }')"
	printf '  %-34s %9s ms   %-22s %9s ms   %5sx\n' \
		"container load -i FILE" "${load_c:-failed}" "tar -xf FILE -C DIR" \
		"${load_t:-?}" "$(awk -v a="$load_c" -v b="$load_t" 'BEGIN { if (b) printf "%.2f", a / b }')"
	for row in "save:$save_c:$save_t" "load:$load_c:$load_t"; do
		IFS=: read -r what c t <<<"$row"
		if [ -z "$c" ] || [ -z "$t" ]; then
			echo "FAIL  $what did not run (see $B/arc-$what.log)"
			arc_status=1
		elif awk -v a="$c" -v b="$t" 'BEGIN { exit !(a <= 1.5 * b) }'; then
			echo "PASS  $what <= 1.5 x GNU tar ($c ms vs $t ms)"
		else
			echo "FAIL  $what <= 1.5 x GNU tar ($c ms vs $t ms)"
			arc_status=1
		fi
	done
} | tee "$B/arc.txt"
grep -q FAIL "$B/arc.txt" && arc_status=1
