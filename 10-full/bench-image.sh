# 10-full/bench-image.sh - what images cost: sourced by bench.sh (its $B,
# $ROOTFS, $CONTAINER, $HYPERFINE and say), after the lifecycle rows.
#
# Claim: `commit` of a container that wrote 10,000 small files and 100 MiB
#        in large ones takes at most 1.5x what GNU tar takes to do the
#        same job: copy the container's upper dir into a new dir of the
#        same store (`tar -cf - -C UPPER . | tar -xf - -C DIR`); `run` of
#        a 5-layer image takes at most 1.1x `run` of the directory it was
#        made from.
#
# Why a copy: commit's job is to copy the upper dir into a new layer dir
# (and to hash the layer's tar for its DiffID); docker's commit does the
# same, tarring the diff and untarring it into a new layer dir. `tar -cf`
# of the upper dir to one file (printed too, the second column) only
# reads the tree: it makes one file where commit makes 10,000.
# The commits and the copies take turns and write somewhere new each run
# (bench-turns.sh says why): a file changed in the upper dir between runs
# makes each commit a new layer (the same layer again would be found in
# the store, and its copy removed, inside the timing); every layer and
# copy is removed once all are timed (so build/bench needs about 2 GB
# free meanwhile).
# The runs are `run --rm IMAGE /bin/true` against `run --rm ROOTFS
# /bin/true`: the same start, only the lower dirs differ.
#
# Prints its rows and PASS/FAIL lines; sets image_status (0 or 1).

. 10-full/bench-turns.sh
image_status=0
IMAGE_RUNS=${IMAGE_RUNS:-5}
IR="$B/image-root"
I=("$CONTAINER" --root "$IR")

# The median wall time in ms of the shell command $2, $IMAGE_RUNS runs,
# each after the shell command $3 (not timed).
image_time() {
	local i t0 t1
	for i in $(seq "$IMAGE_RUNS"); do
		eval "$3" >/dev/null 2>&1
		t0=$EPOCHREALTIME
		eval "$2" >/dev/null 2>&1 || return 1
		t1=$EPOCHREALTIME
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
	done | median
}

rm -rf "$IR" "$B"/image-*.ms*
commit_ms= copy_ms= tar_ms= run_img= run_dir= commit_runs=
if "${I[@]}" import "$ROOTFS" bench-base >/dev/null &&
	"${I[@]}" run --name bench-writer bench-base sh -c '
		mkdir /small /large &&
		for d in $(seq 100); do mkdir /small/$d; for f in $(seq 100); do
			echo "file $d $f" >/small/$d/$f; done; done &&
		for i in 1 2 3 4; do
			dd if=/dev/urandom of=/large/$i bs=1M count=25 2>/dev/null; done'
then
	upper="$IR/containers/$("${I[@]}" ps -aq)/upper"
	say "timing commit of 10,000 small files + 100 MiB against GNU tar copying the same tree, in turns"
	sync
	commit_run() {
		turns_time "$B/image-commit.ms" "${I[@]}" commit bench-writer "bench-snap-$1"
	}
	copy_run() {
		mkdir "$IR/images/tar-copy.$1" &&
			turns_time "$B/image-copy.ms" tar_copy "$upper" "$IR/images/tar-copy.$1"
	}
	for i in $(seq "$IMAGE_RUNS"); do
		echo "$i" >"$upper/bench-run" &&
			turns_both "$i" commit_run copy_run &&
			turns_time "$B/image-tar.ms" tar -cf "$B/image-$i.tar" -C "$upper" . ||
			break
	done
	commit_runs=$IMAGE_RUNS
	commit_ms=$(turns_median "$B/image-commit.ms")
	copy_ms=$(turns_median "$B/image-copy.ms")
	tar_ms=$(turns_median "$B/image-tar.ms")
	for i in $(seq "$IMAGE_RUNS"); do
		"${I[@]}" rmi "bench-snap-$i" >/dev/null 2>&1
	done
	rm -rf "$IR"/images/tar-copy.* "$B"/image-*.tar "$upper/bench-run"
	# A 5-layer image (the base and four commits), and its directory.
	prev=bench-base
	for n in 1 2 3 4; do
		"${I[@]}" run --name bench-l$n $prev sh -c "echo $n >/layer$n" &&
			"${I[@]}" commit bench-l$n bench-l$n >/dev/null &&
			"${I[@]}" rm bench-l$n >/dev/null && prev=bench-l$n
	done
	say "timing run of a 5-layer image against run of its directory"
	if [ -n "$HYPERFINE" ]; then
		hyperfine -N --style none --warmup 3 --runs 50 \
			--export-csv "$B/image-run.csv" \
			"${I[*]} run --rm bench-l4 /bin/true" \
			"${I[*]} run --rm $ROOTFS /bin/true" >"$B/image-run.log" 2>&1 &&
			read -r run_img run_dir < <(awk -F, 'NR > 1 { printf "%.2f ", $(NF-4) * 1e3 }' "$B/image-run.csv")
	else
		IMAGE_RUNS=21
		run_img=$(image_time run-image "${I[*]} run --rm bench-l4 /bin/true" :)
		run_dir=$(image_time run-dir "${I[*]} run --rm $ROOTFS /bin/true" :)
	fi
fi
for id in $("${I[@]}" ps -aq 2>/dev/null); do "${I[@]}" rm -f "$id" >/dev/null; done
rm -rf "$IR"

{
	echo "images: commit of 10,000 small files + 100 MiB: ${commit_ms:-failed} ms;" \
		"GNU tar copying the same tree: ${copy_ms:-failed} ms;" \
		"tar -cf of it: ${tar_ms:-failed} ms (median of ${commit_runs:-0})"
	echo "images: run --rm of a 5-layer image: ${run_img:-failed} ms;" \
		"of its directory: ${run_dir:-failed} ms"
	if [ -z "$commit_ms" ] || [ -z "$copy_ms" ] || [ -z "$tar_ms" ]; then
		echo "FAIL  the commit rows did not run: see $B/image-*.ms.log"
	else
		awk -v c="$commit_ms" -v t="$copy_ms" -v f="$tar_ms" 'BEGIN {
			printf "%s  commit <= 1.5 x GNU tar copying the tree (%.2fx; %.2fx tar -cf)\n",
				c <= 1.5 * t ? "PASS" : "FAIL", c / t, c / f }'
	fi
	if [ -z "$run_img" ] || [ -z "$run_dir" ]; then
		echo "FAIL  the run rows did not run: see $B/image-run.log"
	else
		awk -v i="$run_img" -v d="$run_dir" 'BEGIN {
			printf "%s  run of a 5-layer image <= 1.1 x run of a directory (%.2fx)\n",
				i <= 1.1 * d ? "PASS" : "FAIL", i / d }'
	fi
} | tee "$B/image.txt"
grep -q '^FAIL' "$B/image.txt" && image_status=1
