#!/usr/bin/env bats
# 06-net: a new network namespace holds only lo, down; --lo brings it up;
# --veth links it to the host with a veth pair that pings both ways and is
# gone when the run ends; --bridge puts two of them on one bridge.
#
# The --veth tests never touch the host's interfaces: each makes a
# throwaway named namespace (ip netns add), runs the program inside it, so
# the "host end" of the pair lives there, and deletes it in teardown.

load helpers
load lang
bats_require_minimum_version 1.5.0

NET="$BATS_TEST_DIRNAME/../06-net/net"

setup_file() {
	netns_setup_file
	snapshot_host
}

setup() {
	need_root
	NS=lsn-$LESSON_TAG-$$
	GO="$BATS_TEST_TMPDIR/go"
	RELEASE="$BATS_TEST_TMPDIR/release"
}

teardown() {
	# A failed test must not leave its container (or holder) waiting.
	touch "$GO" "$RELEASE"
	kill_spawned
	if [ -e "/run/netns/$NS" ]; then
		ip netns del "$NS"
	fi
	netns_tidy
}

# A shell command that waits until FILE exists (or 20 s pass).
wait_for_file() {
	echo "i=0; while [ ! -e $1 ] && [ \$i -lt 200 ]; do sleep 0.1; i=\$((i + 1)); done"
}

same_netns() {
	[ "$(readlink /proc/$1/ns/net)" = "$(readlink /proc/$2/ns/net)" ]
}

@test "06-net: inside, lo is the only interface, and it is down" {
	"$NET" -- sh -c "ls /sys/class/net > $BATS_TEST_TMPDIR/ls
		cat /sys/class/net/lo/flags > $BATS_TEST_TMPDIR/flags
		$(wait_for_file "$GO")" &
	prog=$!
	child=$(child_of $prog)
	wait_for test -s "$BATS_TEST_TMPDIR/flags"
	# From the inside, through the sysfs the lesson mounts.
	[ "$(cat "$BATS_TEST_TMPDIR/ls")" = lo ]
	[ $(($(cat "$BATS_TEST_TMPDIR/flags") & 1)) -eq 0 ] # IFF_UP clear
	# From the host: the child's namespace is another one, and the
	# kernel's own list of its interfaces holds only lo, down.
	[ "$(readlink /proc/$child/ns/net)" != "$(readlink /proc/self/ns/net)" ]
	[ "$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/$child/net/dev)" = lo ]
	run nsenter --net=/proc/$child/ns/net ip -o link
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "1: lo: <LOOPBACK> "*"state DOWN"* ]]
	touch "$GO"
	wait "$prog"
}

@test "06-net: with lo down even 127.0.0.1 is unreachable; --lo brings it up" {
	run "$NET" -- ping -c 1 -W 1 127.0.0.1
	[ "$status" -ne 0 ]
	[[ "$output" == *"Network is unreachable"* ]]
	run "$NET" --lo -- sh -c 'cat /sys/class/net/lo/flags; ping -c 1 -W 1 127.0.0.1'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0x9 ] # IFF_UP | IFF_LOOPBACK
	[[ "$output" == *"1 received"* ]]
}

@test "06-net: --veth: container and host ends ping each other" {
	ip netns add "$NS"
	ip netns exec "$NS" "$NET" --veth -- sh -c "
		ping -c 1 -W 2 10.200.0.1 > $BATS_TEST_TMPDIR/ping || exit 1
		$(wait_for_file "$GO")" &
	prog=$!
	# ping's summary, its last lines: the file is not empty after its first.
	wait_for grep -q 'packet loss' "$BATS_TEST_TMPDIR/ping"
	child=$(child_of $prog) # ip netns exec execs net: $prog is net
	# The container reached the host's end.
	grep -q '1 received' "$BATS_TEST_TMPDIR/ping"
	# The host's end: named after the container's PID, holding .1.
	run ip -n "$NS" -o -4 addr show
	[[ "$output" == *"veth$child    inet 10.200.0.1/30 "* ]]
	# The container's end, seen from the host: eth0 with .2, up.
	run nsenter --net=/proc/$child/ns/net ip -o -4 addr show eth0
	[[ "$output" == *"eth0    inet 10.200.0.2/30 "* ]]
	# And the host's end reaches the container.
	run ip netns exec "$NS" ping -c 1 -W 2 10.200.0.2
	[ "$status" -eq 0 ]
	touch "$GO"
	wait "$prog"
}

@test "06-net: --veth: the program deletes the pair, without waiting for the kernel" {
	ip netns add "$NS"
	ip netns exec "$NS" "$NET" --veth -- sh -c "$(wait_for_file "$GO")" &
	prog=$!
	child=$(child_of $prog)
	wait_for ip -n "$NS" link show "veth$child"
	# Hold the container's namespace open from outside, as a process
	# that joined it or a bind mount would: the kernel then keeps the
	# namespace, and with it the pair, after the container is gone.
	nsenter --net=/proc/$child/ns/net sh -c "$(wait_for_file "$RELEASE")" &
	holder=$!
	wait_for same_netns $holder $child
	touch "$GO"
	wait "$prog"
	# Right after exit both ends are gone, though the namespace lives.
	run ip -n "$NS" -o link
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "1: lo:"* ]]
	run nsenter --net=/proc/$holder/ns/net ip -o link
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "1: lo:"* ]]
	touch "$RELEASE"
	wait "$holder"
}

@test "06-net: --veth-net picks the network; failures pass through --veth" {
	ip netns add "$NS"
	run -3 ip netns exec "$NS" "$NET" --veth-net 192.168.77.8/29 -- sh -c '
		ip -o -4 addr show eth0
		ping -c 1 -W 2 192.168.77.9 >/dev/null && exit 3'
	[[ "$output" == *"eth0    inet 192.168.77.10/29 "* ]]
	run -127 ip netns exec "$NS" "$NET" --veth -- no-such-command-here
	[ "$(ip -n "$NS" -o link | wc -l)" -eq 1 ] # no pair left
}

@test "06-net: a bad --veth-net exits 125 before anything is made" {
	ip netns add "$NS"
	for cidr in 10.200.0.1/30 10.200.0.0/31 300.1.1.1/30 10.200.0.0 \
		fe80::/64 10.200.0.0/; do
		run -125 ip netns exec "$NS" "$NET" --veth --veth-net "$cidr" true
		[[ "${lines[0]}" == "06-net: --veth-net '$cidr': "* ]]
		[[ "$output" == *"--help"* ]]
	done
	run -125 ip netns exec "$NS" "$NET" --veth-net 10.200.0.1/30 true
	[[ "$output" == *"give the network itself, 10.200.0.0/30"* ]]
	[ "$(ip -n "$NS" -o link | wc -l)" -eq 1 ]
	# "Before": not made and removed again, never made. strace sees no
	# clone with a new namespace and no netlink socket; the same trace of
	# a good run sees both, so the filter works.
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	trace=$BATS_TEST_TMPDIR/trace
	run -0 ip netns exec "$NS" strace -f -qq -e trace=clone,clone3,socket \
		-o "$trace" "$NET" --veth true
	grep -q CLONE_NEWNET "$trace"
	grep -q AF_NETLINK "$trace"
	run -125 ip netns exec "$NS" strace -f -qq -e trace=clone,clone3,socket \
		-o "$trace" "$NET" --veth --veth-net 10.200.0.1/30 true
	run -1 grep -Eq 'CLONE_NEW|AF_NETLINK' "$trace"
}

@test "06-net: --veth without root says that it needs root, and exits 125" {
	run -125 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NET" --veth true
	[[ "$output" == "06-net: --veth needs root: "* ]]
	# Without --veth the same user gets a network namespace (05-user):
	# one of its own (the host's lo would answer the ping too), holding
	# only lo, which --lo brought up.
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NET" --lo -- sh -c 'readlink /proc/self/ns/net
			ls /sys/class/net; cat /sys/class/net/lo/flags
			ping -c 1 -W 1 127.0.0.1 >/dev/null && echo answered'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(readlink /proc/self/ns/net)" ]
	[[ "${lines[0]}" == "net:["* ]]
	[ "${lines[1]}" = lo ]
	[ "${lines[2]}" = 0x9 ]
	[ "${lines[3]}" = answered ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "06-net: the command's exit status comes back (7, 127)" {
	run -7 "$NET" --lo sh -c 'exit 7'
	run -127 "$NET" no-such-command-here
	[[ "$output" == *"06-net: exec no-such-command-here"* ]]
}

@test "06-net: a bad option exits 125 with a usage hint; --help lists ours" {
	run -125 "$NET" --no-such-option true
	[[ "${lines[0]}" == "06-net: unknown option '--no-such-option'" ]]
	[[ "$output" == *"--help"* ]]
	run -0 "$NET" --help
	[[ "$output" == *"--lo "* && "$output" == *"--veth "* ]]
	[[ "$output" == *"--veth-net CIDR"* ]]
}

@test "06-net: leaves nothing behind on the host" {
	assert_no_leaks
}

@test "06-net: 20 concurrent --veth runs each get a /30 of their own, and each pings its host end" {
	ip netns add "$NS"
	out=$BATS_TEST_TMPDIR/out
	mkdir "$out"
	# Each container finds its own address, pings .1 of it (the host's
	# end), writes the result, and holds on: all 20 are up at once.
	for i in $(seq 20); do
		ip netns exec "$NS" "$NET" --veth -- sh -c '
			a=$(ip -o -4 addr show eth0 | awk "{ print \$4 }")
			ip=${a%/*}; host=${ip%.*}.$((${ip##*.} - 1))
			if ping -c 1 -W 5 "$host" >/dev/null; then r=ok; else r=failed; fi
			echo "$r $a" >"$1/$2.tmp" && mv "$1/$2.tmp" "$1/$2"
			while [ ! -e "$3" ]; do sleep 0.1; done' sh "$out" "$i" "$GO" &
	done
	all_in() { [ "$(ls "$out" | grep -vc tmp)" -eq 20 ]; }
	for i in $(seq 10); do all_in && break; wait_for all_in || true; done
	all_in
	# Every ping answered, and the 20 networks are 20 different /30s.
	[ "$(cat "$out"/* | grep -c '^ok 10\.200\.[0-9]*\.[0-9]*/30$')" -eq 20 ]
	[ "$(cat "$out"/* | cut -d' ' -f2 | sort -u | wc -l)" -eq 20 ]
	# And the host's side holds the 20 matching .1 ends, one per pair.
	[ "$(ip -n "$NS" -o -4 addr show | grep -c ' inet 10\.200\.')" -eq 20 ]
	touch "$GO"
	wait
	[ "$(ip -n "$NS" -o link | wc -l)" -eq 1 ] # every pair deleted
}

@test "06-net: --veth-net refuses special ranges (no netlink, no clone) and the host's own networks (nothing made): 125" {
	ip netns add "$NS"
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	trace=$BATS_TEST_TMPDIR/trace
	for cidr in 127.0.0.0/30 127.0.0.0/8 0.0.0.0/30 169.254.1.0/30 \
		224.0.0.0/30 239.255.255.252/30 240.0.0.0/30 255.255.255.252/30; do
		run -125 ip netns exec "$NS" strace -f -qq -e trace=clone,clone3,socket \
			-o "$trace" "$NET" --veth-net "$cidr" true
		[[ "${lines[0]}" == "06-net: --veth-net '$cidr': overlaps "* ]]
		[[ "$output" == *"--help"* ]]
		run -1 grep -Eq 'CLONE_NEW|AF_NETLINK' "$trace"
	done
	# The host (here: the test's namespace) uses a /24 on an interface
	# and a /16 routed through it, and has a default route.
	# (A veth pair with both ends here: the dummy driver may be absent.)
	ip -n "$NS" link add lsn-d0 type veth peer name lsn-d1
	ip -n "$NS" addr add 192.168.55.1/24 dev lsn-d0
	ip -n "$NS" link set lsn-d0 up
	ip -n "$NS" link set lsn-d1 up
	ip -n "$NS" route add 172.31.0.0/16 dev lsn-d0
	ip -n "$NS" route add default via 192.168.55.254
	for cidr in 192.168.55.0/30 192.168.55.252/30 192.168.0.0/16 \
		172.31.4.0/30 172.16.0.0/12; do
		run -125 ip netns exec "$NS" strace -f -qq -e trace=clone,clone3,sendto \
			-o "$trace" "$NET" --veth-net "$cidr" true
		[[ "${lines[0]}" == "06-net: --veth-net '$cidr': overlaps "*", which the host uses"* ]]
		# It read the routes, and made nothing: no namespace, no link,
		# no address. (strace may print the rtnetlink types by name or
		# by number: RTM_GETROUTE 0x1a, RTM_NEWLINK 0x10, NEWADDR 0x14.)
		grep -Eq 'nlmsg_type=(RTM_GETROUTE|0x1a)' "$trace"
		run -1 grep -Eq 'CLONE_NEW|nlmsg_type=(RTM_NEW|0x1[04][ ,])' "$trace"
	done
	run -125 ip netns exec "$NS" "$NET" --veth-net 172.16.0.0/12 true
	[[ "$output" == *"overlaps 172.31.0.0/16, which the host uses"* ]]
	run -125 ip netns exec "$NS" "$NET" --veth-net 192.168.55.252/30 true
	[[ "$output" == *"overlaps 192.168.55.0/24, which the host uses"* ]]
	# The default route is no reason to refuse: a free net works.
	run -0 ip netns exec "$NS" strace -f -qq -e trace=clone,clone3,sendto \
		-o "$trace" "$NET" --veth-net 10.99.0.0/30 -- ping -c 1 -W 5 10.99.0.1
	grep -Eq 'nlmsg_type=(RTM_NEWLINK|0x10[ ,])' "$trace" # (the filter sees one)
	[ "$(ip -n "$NS" -o link | wc -l)" -eq 3 ] # lo, lsn-d0/1: ours gone
}

# The README's commands, run as a student would type them (tests/readme),
# in English and in Chinese. Its --veth blocks make a named namespace of
# their own (lesson-PID) and delete it: none may be left, and the first
# `ip netns add` on a machine mounts /run/netns, which is undone here if it
# was not so before (as teardown does for the other tests).
readme_check() {
	local rc=0
	# tests/readme fails a block that leaves its namespace (lesson-$$).
	"$ROOT/tests/readme" "$1" || rc=$?
	netns_tidy
	return "$rc"
}

@test "06-net: the README's commands print what it shows (tests/readme)" {
	need_root
	readme_check "$ROOT/06-net/README.md"
}

@test "06-net: the Chinese README's commands print what it shows, and its code is the English one's" {
	need_root
	readme_check "$ROOT/06-net/README.zh-CN.md"
	same_blocks "$ROOT/06-net/README.md" "$ROOT/06-net/README.zh-CN.md"
}

@test "tests/readme: a block's commands run in order past the ninth" {
	# 06's README has blocks of 11 commands: cmd.10 must run after
	# cmd.9, not after cmd.1 (as a glob would sort them).
	{
		echo '```console'
		echo '$ x=0'
		for i in $(seq 11); do echo "\$ x=\$((x + 1)); echo \$x"; echo "$i"; done
		echo '```'
	} >"$BATS_TEST_TMPDIR/order.md"
	"$ROOT/tests/readme" "$BATS_TEST_TMPDIR/order.md"
}

@test "06-net: --bridge: two runs on one bridge ping each other and the gateway; the last one out deletes the bridge" {
	ip netns add "$NS"
	ip netns exec "$NS" "$NET" --bridge lsn-br0 --ip 10.201.0.2/24 -- \
		sh -c "$(wait_for_file "$GO")" &
	first=$!
	first_child=$(child_of $first)
	wait_for ip -n "$NS" link show "veth$first_child"
	# The bridge, made by the first run: its gateway .1, up, labelled.
	run -0 ip -n "$NS" -d link show lsn-br0
	[[ "$output" == *"alias made by 06-net --bridge"* ]]
	[[ "$(ip -n "$NS" -4 -o addr show lsn-br0)" == *" inet 10.201.0.1/24 "* ]]
	# The host's end is a port of it, with no address of its own.
	[[ "$(ip -n "$NS" -o link show "veth$first_child")" == *" master lsn-br0 "* ]]
	[ -z "$(ip -n "$NS" -4 -o addr show "veth$first_child")" ]
	# The second one reaches the first by its address, and the gateway;
	# its default route goes through the bridge.
	run -0 ip netns exec "$NS" "$NET" --bridge lsn-br0 --ip 10.201.0.3/24 -- sh -c '
		ip -4 -o addr show eth0; ip route
		ping -c 1 -W 5 10.201.0.2 && ping -c 1 -W 5 10.201.0.1'
	[[ "$output" == *"eth0    inet 10.201.0.3/24 "* ]]
	[[ "$output" == *"default via 10.201.0.1 dev eth0"* ]]
	[ "$(grep -c '1 received' <<<"$output")" -eq 2 ]
	# The second left: the bridge stays for the first, with one port.
	[ "$(ip -n "$NS" -o link show master lsn-br0 | wc -l)" -eq 1 ]
	touch "$GO"
	wait "$first"
	# The first left last: no pair, no bridge.
	run ip -n "$NS" -o link
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "1: lo:"* ]]
}

@test "06-net: --bridge: a bridge of the user's own is used, and never deleted" {
	ip netns add "$NS"
	ip -n "$NS" link add lsn-mine type bridge
	ip -n "$NS" link set lsn-mine up
	run -0 ip netns exec "$NS" "$NET" --bridge lsn-mine --ip 10.202.0.2/24 -- \
		sh -c 'ip route; ip -4 -o addr show eth0'
	[[ "$output" == *"eth0    inet 10.202.0.2/24 "* ]]
	ip -n "$NS" link show lsn-mine # still there
	[ -z "$(ip -n "$NS" -4 -o addr show lsn-mine)" ] # and as it was
	[ "$(ip -n "$NS" -o link | wc -l)" -eq 2 ] # lo, lsn-mine: the pair gone
}

@test "06-net: --bridge: bad input, a network the host uses, no root: 125 before anything is made" {
	ip netns add "$NS"
	for bad in "--ip 10.201.0.2/24" "--bridge lsn-br0" \
		"--bridge lsn-br0 --ip 10.201.0.1/24" "--bridge lsn-br0 --ip 10.201.0.0/24" \
		"--bridge lsn-br0 --ip 10.201.0.255/24" "--bridge lsn-br0 --ip 127.0.0.2/24" \
		"--bridge lsn-br0 --ip 10.201.0.2/31" "--bridge a/b --ip 10.201.0.2/24" \
		"--bridge lsn-br0-too-long-name --ip 10.201.0.2/24" \
		"--bridge lsn-br0 --ip 10.201.0.2/24 --veth-net 10.9.0.0/30"; do
		run -125 ip netns exec "$NS" "$NET" $bad true
		[[ "${lines[0]}" == "06-net: --"* ]]
		[ "${#lines[@]}" -le 2 ] # the line (and --help's hint)
	done
	# The host uses 10.201.0.0/16: a /24 in it is refused, naming it,
	# having only read the routes (no clone, no new link or address).
	ip -n "$NS" link add lsn-d0 type veth peer name lsn-d1
	ip -n "$NS" link set lsn-d0 up
	ip -n "$NS" route add 10.201.0.0/16 dev lsn-d0
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	trace=$BATS_TEST_TMPDIR/trace
	run -125 ip netns exec "$NS" strace -f -qq -e trace=clone,clone3,sendto \
		-o "$trace" "$NET" --bridge lsn-br0 --ip 10.201.0.2/24 true
	[[ "${lines[0]}" == "06-net: --ip '10.201.0.2/24': its network 10.201.0.0/24 overlaps 10.201.0.0/16, which the host uses"* ]]
	grep -Eq 'nlmsg_type=(RTM_GETROUTE|0x1a)' "$trace"
	run -1 grep -Eq 'CLONE_NEW|nlmsg_type=(RTM_NEW|0x1[04][ ,])' "$trace"
	[ "$(ip -n "$NS" -o link | wc -l)" -eq 3 ] # lo, lsn-d0/1: no bridge
	# Not root: refused, naming what needs root.
	run -125 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NET" --bridge lsn-br0 --ip 10.201.0.2/24 true
	[[ "${lines[0]}" == "06-net: --bridge needs root: "* ]]
}
