# 10-full/bench-life.sh - what a container's life costs, beyond a start:
# sourced by bench.sh (its $B, $ROOTFS, $CONTAINER, $HYPERFINE, $UNIFIED,
# say and the OCI bundle in $B/bundle), after its own table.
#
# Claim: an idle supervisor (`run -d`) holds less than 512 KiB of RSS.
#        The cycle `run -d` + `stop` + `rm` is timed against crun's
#        `run -d` + `kill` + `delete`, side by side (no target: printed).
#
# Prints its rows and one PASS/FAIL line; sets life_status (0 or 1).

life_status=0
LIFE_RUNS=${LIFE_RUNS:-30}
LR="$B/life-root"
L=("$CONTAINER" --root "$LR")

# The median wall time, in ms, of shell command $2 (label $1).
life_time() {
	[ -n "$HYPERFINE" ] || return 1
	hyperfine --style none --warmup 3 --runs "$LIFE_RUNS" \
		--export-csv "$B/life-$1.csv" "$2" >"$B/life-$1.log" 2>&1 &&
		awk -F, 'NR == 2 { printf "%.2f", $(NF-4) * 1e3 }' "$B/life-$1.csv"
}

# The supervisor of an idle container: started, measured, stopped,
# removed. No settling time: it tells `run -d` that the command runs only
# once it has given back the pages it will not use again (idle.c). Its
# RSS in two parts: its own pages (anon) and those of the binary (file).
sup_rss= sup_parts=
if id=$("${L[@]}" run -d "$ROOTFS" sleep 100); then
	pid=$("${L[@]}" inspect -f '{{.State.Pid}}' "$id")
	sup=$(awk '{ print $4 }' "/proc/$pid/stat")
	read -r sup_rss sup_parts < <(awk '/^VmRSS:/ { r = $2 }
		/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
		END { printf "%s anon %s, file %s\n", r, a, f }' "/proc/$sup/status")
	"${L[@]}" rm -f "$id" >/dev/null
fi

cycle_c=$(life_time container "id=\$(${L[*]} run -d $ROOTFS sleep 100) && ${L[*]} stop -t 0 \$id >/dev/null && ${L[*]} rm \$id >/dev/null")
cycle_cr=
if [ -n "$HAVE_CRUN" ]; then
	# A bundle whose process waits, as ours does.
	mkdir -p "$B/life-bundle"
	jq '.process.args = ["sleep", "100"]' "$B/bundle/config.json" \
		>"$B/life-bundle/config.json"
	# Absolute: crun run -d does not find a relative --root again.
	cr="crun --root $(realpath "$B/crun")"
	crun_cycle="$cr run -d --bundle $(realpath "$B/life-bundle") bench-life-\$\$ && $cr kill bench-life-\$\$ KILL && $cr delete -f bench-life-\$\$"
	if mountpoint -q "$UNIFIED"; then
		# crun 1.8 refuses hybrid cgroups: as for its row above.
		cycle_cr=$(unshare --mount --propagation private -- bash -c \
			"umount $UNIFIED && $(declare -f life_time); B=$B HYPERFINE=$HYPERFINE LIFE_RUNS=$LIFE_RUNS life_time crun '$crun_cycle'")
	else
		cycle_cr=$(life_time crun "$crun_cycle")
	fi
fi
rm -rf "$LR" "$B/life-bundle"

{
	echo "lifecycle: run -d + stop + rm: container ${cycle_c:-failed} ms;" \
		"crun run -d + kill + delete: ${cycle_cr:-not measured} ms" \
		"(median of $LIFE_RUNS)"
	if [ -z "$sup_rss" ]; then
		echo "FAIL  run -d did not start: no supervisor to measure"
		life_status=1
	elif [ "$sup_rss" -lt 512 ]; then
		echo "PASS  idle supervisor RSS < 512 KiB ($sup_rss KiB: $sup_parts)"
	else
		echo "FAIL  idle supervisor RSS < 512 KiB ($sup_rss KiB: $sup_parts)"
		life_status=1
	fi
} | tee "$B/life.txt"
grep -q '^FAIL' "$B/life.txt" && life_status=1
