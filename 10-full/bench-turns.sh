# 10-full/bench-turns.sh - timing commands in turns, for the image rows:
# sourced by bench-image.sh and bench-image-arc.sh.
#
# Those rows write trees of 10,000 files, and on ext4 without a journal
# (the disk of the VM this lesson was written on) a file's creation can
# cost many times more right after many files were deleted nearby:
# without a journal ext4 will not reuse an inode freed in the last minute
# (recently_deleted(), in find_inode_bit(): the freed inode might not be
# on disk yet), and it finds that out with a buffer-cache lookup for each
# such inode it passes, at every creation. A command timed after a
# deletion (commit after `rmi`, `tar -xf` after `rm -rf`) paid for it,
# its comparison timed after none did not: commit measured 35x `tar -cf`
# so (5767 ms against 165); in turns, the same binary was 1.6x a copy by
# GNU tar and 3.3x `tar -cf` (`perf record -g` shows the lookups:
# find_get_block_common, recently_deleted, ext4_get_group_desc).
#
# So: every run writes somewhere new, nothing is removed until every run
# of every command is timed, and the commands take turns, run after run,
# each going first every other run (what was deleted just before the
# bench weighs less with every run that follows). (With a journal, as most
# ext4 filesystems have, the lookups do not happen at all.)
#
# Read: the kernel's fs/ext4/ialloc.c (recently_deleted, find_inode_bit)

# turns_time FILE COMMAND...: runs COMMAND (its output to FILE.log),
# appends its wall time in ms to FILE. Returns 1 if it failed.
turns_time() {
	local out=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	"$@" >>"$out.log" 2>&1 || return 1
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >>"$out"
}

# turns_both N FIRST SECOND: calls the functions FIRST N and SECOND N,
# FIRST first when N is odd, SECOND first when it is even. Returns 1 if
# one failed.
turns_both() {
	if [ $(($1 % 2)) = 1 ]; then
		"$2" "$1" && "$3" "$1"
	else
		"$3" "$1" && "$2" "$1"
	fi
}

# turns_median FILE: the median of its numbers, one a line.
turns_median() {
	[ -s "$1" ] && sort -g "$1" | awk '{ t[NR] = $1 } END {
		printf "%.1f", NR % 2 ? t[(NR+1)/2] : (t[NR/2] + t[NR/2+1]) / 2 }'
}

# tar_copy FROM TO: GNU tar doing what commit and load do, a tree read
# and written again elsewhere: tar -c into tar -x.
tar_copy() {
	tar -cf - -C "$1" . | tar -xf - -C "$2"
	local s=("${PIPESTATUS[@]}")
	[ "${s[0]}" = 0 ] && [ "${s[1]}" = 0 ]
}
