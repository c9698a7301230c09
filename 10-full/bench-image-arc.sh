# 10-full/bench-image-arc.sh - what moving an image as an archive costs:
# `save` and `load` against GNU tar writing and reading the same tree.
# Sourced by bench.sh (its $B, $CONTAINER, say), after the
# lifecycle rows; runs alone too: sudo bash 10-full/bench-image-arc.sh
#
# Claim: save and load of an image of 10,000 small files and 100 MiB in
#        large ones (one layer, on top of build/rootfs) take at most 1.5x
#        GNU tar's time for the same bytes: `tar -c` of the layer's tree
#        for save, `tar -x` of that tar into an empty dir for load.
#
# save packs the layer again (its DiffID and its tar's size are known
# from commit or import: neither is found again); load reads the
# archive once to list it, then each layer blob where it lies, hashing it
# and keeping a copy while it unpacks it. Both also read and write the
# small JSON files. tar does none of this: the ratio is the price of the
# checks.
#
# The commands take turns, each run into a new file or dir, and nothing
# is removed until all are timed (bench-turns.sh says why): build/bench
# needs about 3 GB free meanwhile.
#
# Prints its rows and one PASS/FAIL line; sets arc_status (0 or 1).

if [ -z "${B:-}" ]; then # alone: what bench.sh would have set
	cd "$(dirname "$(realpath "$0")")/.." || exit 2
	B=build/bench
	CONTAINER=${CONTAINER:-./10-full/container}
	say() { printf 'bench: %s\n' "$*"; }
	mkdir -p "$B"
fi
. 10-full/bench-turns.sh
arc_status=0
ARC_RUNS=${ARC_RUNS:-5}
AR="$B/arc-root"
A=("$CONTAINER" --root "$AR")

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

rm -f "$B"/arc-*.ms*
save_run() { turns_time "$B/arc-save.ms" "${A[@]}" save arcbench -o "$B/arc-save.$1.tar"; }
tar_c_run() { turns_time "$B/arc-tar-c.ms" tar -cf "$B/arc-gnu.$1.tar" -C "$diff" .; }
load_run() {
	turns_time "$B/arc-load.ms" "$CONTAINER" --root "$B/arc-root2.$1" load -i "$B/arc-save.1.tar"
}
tar_x_run() { mkdir "$B/arc-x.$1" && turns_time "$B/arc-tar-x.ms" tar -xf "$B/arc-gnu.1.tar" -C "$B/arc-x.$1"; }
for i in $(seq "$ARC_RUNS"); do
	turns_both "$i" save_run tar_c_run || break
done
for i in $(seq "$ARC_RUNS"); do
	turns_both "$i" load_run tar_x_run || break
done
save_c=$(turns_median "$B/arc-save.ms")
save_t=$(turns_median "$B/arc-tar-c.ms")
load_c=$(turns_median "$B/arc-load.ms")
load_t=$(turns_median "$B/arc-tar-x.ms")
size=$(stat -c %s "$B/arc-save.1.tar" 2>/dev/null)
rm -rf "$AR" "$B"/arc-root2.* "$B"/arc-x.* "$B/arc-tree" "$B"/arc-save.*.tar "$B"/arc-gnu.*.tar

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
			echo "FAIL  $what did not run (see $B/arc-$what.ms.log)"
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
