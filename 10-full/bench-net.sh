# 10-full/bench-net.sh - what the network costs: sourced by bench.sh (its
# $B, $ROOTFS, $CONTAINER, $HYPERFINE and say), after the lifecycle rows.
#
# Claim: TCP through -p (the proxy, proxy.c) carries at least half of what
#        a direct connection to the container's address carries, 1 GiB
#        one way (NET_MIB), the median of NET_RUNS; the loopback is the
#        ceiling. Printed too: what `run --net bridge /bin/true` adds over
#        `run --net none /bin/true`, with the bridge already there
#        (another container keeps it) and when each run makes and removes
#        it (and its NAT table) alone.
#
# Everything runs in a network namespace of its own, made here and
# deleted at the end: the bridge, the NAT table and ip_forward are that
# namespace's, never the machine's.
#
# Prints its rows and one PASS/FAIL line; sets net_status (0 or 1).

net_status=0
NET_RUNS=${NET_RUNS:-3}
NET_MIB=${NET_MIB:-1024}
NET_START_RUNS=${NET_START_RUNS:-30}
NS=lesson-bench-net-$$
NR="$B/net-root"
in_ns() { nsenter --net="/run/netns/$NS" "$@"; }
NC=(in_ns "$CONTAINER" --root "$NR")

# The middle one of the numbers on stdin.
net_median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# MiB/s from the namespace to $1:$2, the median of NET_RUNS transfers of NET_MIB.
rate() {
	for _ in $(seq "$NET_RUNS"); do
		in_ns "$B/tcp" blast "$1" "$2" "$NET_MIB" || return 1
	done | net_median
}
# The median wall time, in ms, of command $2 (label $1): hyperfine's, or
# our own loop's without it.
net_time() {
	if [ -n "$HYPERFINE" ]; then
		hyperfine --style none --warmup 3 --runs "$NET_START_RUNS" \
			--export-csv "$B/net-$1.csv" "$2" >"$B/net-$1.log" 2>&1 &&
			awk -F, 'NR == 2 { printf "%.2f", $(NF-4) * 1e3 }' "$B/net-$1.csv"
	else
		for _ in $(seq "$NET_START_RUNS"); do
			s=$(date +%s%N)
			bash -c "$2" >/dev/null 2>&1 || return 1
			echo $((($(date +%s%N) - s) / 1000))
		done | net_median | awk '{ printf "%.2f", $1 / 1e3 }'
	fi
}

lo_rate= direct_rate= proxy_rate= t_none= t_bridge= t_alone= sink=
# `ip netns add` binds /run/netns on itself the first time and never
# undoes that: undone at the end if it was not there before and is empty
# then.
netns_mounted=0
! mountpoint -q /run/netns 2>/dev/null || netns_mounted=1

# Everything of this part goes: at its end, and from bench.sh's cleanup
# after a Ctrl-C in the middle of it (the container, the sink, the
# namespace).
net_cleanup() {
	[ -z "$NS" ] && return
	"${NC[@]}" rm -f bench-sink >/dev/null 2>&1
	if [ -n "$sink" ]; then
		kill "$sink" 2>/dev/null
		wait "$sink" 2>/dev/null
	fi
	ip netns del "$NS" 2>/dev/null
	if [ "$netns_mounted" = 0 ] && mountpoint -q /run/netns 2>/dev/null &&
		[ -z "$(ls -A /run/netns)" ]; then
		umount /run/netns 2>/dev/null || true
	fi
	rm -rf "$NR" "$B/tcp"
	NS= sink=
}

if cc -static -O2 -o "$B/tcp" tests/10-full-port-tcp.c &&
	ip netns add "$NS" && ip -n "$NS" link set lo up; then
	# The ceiling: a listener of the namespace's own, on its loopback.
	# (nsenter execs it: $! is the sink itself, for the kill below.)
	nsenter --net="/run/netns/$NS" "$B/tcp" sink 9000 &
	sink=$!
	"${NC[@]}" run -d --name bench-sink --net bridge -p 8080:80 \
		-v "$PWD/$B:/t:ro" "$ROOTFS" /t/tcp sink 80 >/dev/null
	cip=$("${NC[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' bench-sink)
	# Until the sinks listen.
	for _ in $(seq 100); do
		in_ns "$B/tcp" blast "$cip" 80 1 >/dev/null 2>&1 &&
			in_ns "$B/tcp" blast 127.0.0.1 9000 1 >/dev/null 2>&1 && break
		sleep 0.05
	done
	lo_rate=$(rate 127.0.0.1 9000)
	direct_rate=$(rate "$cip" 80)
	proxy_rate=$(rate 127.0.0.1 8080)
	q="nsenter --net=/run/netns/$NS $CONTAINER --root $NR"
	t_none=$(net_time none "$q run --rm --net none $ROOTFS /bin/true")
	t_bridge=$(net_time bridge "$q run --rm --net bridge $ROOTFS /bin/true")
	"${NC[@]}" rm -f bench-sink >/dev/null
	t_alone=$(net_time alone "$q run --rm --net bridge $ROOTFS /bin/true")
fi
net_cleanup

{
	echo "network: TCP, $NET_MIB MiB one way (median of $NET_RUNS), MiB/s:" \
		"loopback ${lo_rate:-failed}, direct to the container" \
		"${direct_rate:-failed}, through -p (the proxy) ${proxy_rate:-failed}"
	echo "network: run /bin/true, median ms: --net none ${t_none:-failed}," \
		"--net bridge ${t_bridge:-failed} (bridge there)," \
		"${t_alone:-failed} (bridge and NAT made and removed)"
	if [ -z "$proxy_rate" ] || [ -z "$direct_rate" ]; then
		echo "FAIL  no throughput measured: see above"
	elif awk -v p="$proxy_rate" -v d="$direct_rate" 'BEGIN { exit !(p >= d / 2) }'; then
		echo "PASS  proxy >= 0.5 x direct ($(awk -v p="$proxy_rate" -v d="$direct_rate" 'BEGIN { printf "%.2f", p / d }')x)"
	else
		echo "FAIL  proxy >= 0.5 x direct ($(awk -v p="$proxy_rate" -v d="$direct_rate" 'BEGIN { printf "%.2f", p / d }')x)"
	fi
} | tee "$B/net.txt"
grep -q '^FAIL' "$B/net.txt" && net_status=1
