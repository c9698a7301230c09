#!/usr/bin/env bats
# 10-full: containers on a bridge (--net bridge). They reach each other by
# address and by --name; 50 started at once get 50 addresses; inspect
# shows the address and the gateway; after rm, --rm, or kill -9 of a
# supervisor and the next run, nothing is left: no veth, no address, no
# route, no bridge, no allocator entry.
#
# The machine's own network is never touched: each test makes a network
# namespace of its own (ip netns add) that plays the host, runs the
# runtime in it (nsenter --net: only the network namespace changes; `ip
# netns exec` would also mount a fresh /sys, without the cgroup trees),
# checks it for leftovers and deletes it in teardown. Each test also has
# a data root of its own (container.bash).

load helpers
load container
bats_require_minimum_version 1.5.0

setup_file() {
	netns_setup_file
}

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	container_setup
	R="$BATS_TEST_TMPDIR/root"
	NS=lsn-net-$$-$BATS_TEST_NUMBER
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	IN=(nsenter --net="/run/netns/$NS")
	C=("${IN[@]}" "$CONTAINER" --root "$R")
}

# What a run left in the test's namespace: every interface but lo, every
# address and route but lo's, every listening socket; and the
# allocator's entries in the data root.
net_leftovers() {
	ip -n "$NS" -o link | grep -v '^1: lo:'
	ip -n "$NS" -o addr | grep -v ' lo '
	ip -n "$NS" route
	"${IN[@]}" ss -Hltun
	find "$R/net" -mindepth 1 2>/dev/null
	return 0
}

no_net_leftovers() {
	[ -z "$(net_leftovers)" ]
}

teardown() {
	local left=
	container_rm_teardown || left=containers
	if [ -e "/run/netns/$NS" ]; then
		wait_for no_net_leftovers || left="$left $(net_leftovers)"
		ip netns del "$NS"
	fi
	netns_tidy
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

@test "10-full net: what root inside writes into its own /etc/hostname names nobody in the other containers' /etc/hosts" {
	"${C[@]}" run -d --name web --net bridge "$RFS" sleep 1000
	web=$("${C[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' web)
	"${C[@]}" run -d --name att --net bridge "$RFS" sh -c 'echo "x web pypi.org" >/etc/hostname; sleep 1000'
	att=$("${C[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' att)
	wait_for "${C[@]}" exec att grep -q pypi /etc/hostname
	# A newcomer rewrites every /etc/hosts on the bridge, from what the
	# runtime knows of each container, never from its files.
	"${C[@]}" run -d --name third --net bridge "$RFS" sleep 1000
	for c in third web; do
		run -0 "${C[@]}" exec $c cat /etc/hosts
		[ -z "$(grep -w -e pypi.org -e x <<<"$output")" ]
		[ "$(grep -w web <<<"$output" | cut -f1)" = "$web" ]
		grep -q "^$att	att " <<<"$output"
	done
	run -0 "${C[@]}" exec third ping -c 1 -W 5 web
	[[ "$output" == *"($web)"* ]]
}

@test "10-full net: a container holding a lease on its /etc/hosts does not stall the bridge: another container starts and is removed at once" {
	# Root inside owns its /etc/hosts (a host file bound there), and an
	# owner may lease a file: every run and rm on the bridge, which
	# rewrites each member's hosts file under the allocator's lock,
	# then waited the lease's break, fs.lease-break-time (45 s here),
	# and the container took it again (a hostile tester's).
	hog=$(hog_dir)
	"${C[@]}" run -d -i --name holder --net bridge -v "$hog:/t:ro" "$RFS" /t/hog lease /etc/hosts >/dev/null
	wait_long lease_held holder
	# Started and removed in well under the lease's break.
	timeout 20 "${C[@]}" run -d --name other --net bridge "$RFS" sleep 1000
	timeout 20 "${C[@]}" rm -f other
	# The holder's own file is left as it was: it asked for that.
	"${C[@]}" rm -f holder
}

@test "10-full net: a container's IPv6 router advertisements reach no one: IPv6 is off on the bridge, the host's ends and the containers' eth0" {
	mkdir "$BATS_TEST_TMPDIR/t"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/ra" "$BATS_TEST_DIRNAME/10-full-net-ra.c"
	"${C[@]}" run -d --name victim --net bridge "$RFS" sleep 1000
	# The attacker waits for its link-local address (the kernel's
	# duplicate address detection takes a second or two), unless IPv6 is
	# off on its eth0, then sends three, 0.2 s apart: the first would be
	# taken before the last leaves (the kernel handles an RA as it
	# arrives).
	run "${C[@]}" run --rm --net bridge -v "$BATS_TEST_TMPDIR/t:/t:ro" "$RFS" sh -c '
		for i in $(seq 100); do
			[ "$(cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)" = 1 ] && break
			ip -6 addr show dev eth0 | grep fe80 | grep -qv tentative && break
			sleep 0.1
		done
		/t/ra 3'
	echo "$output"
	[ -z "$(ip -n "$NS" -6 route | grep -e 'proto ra' -e 2001:db8:bad)" ]
	[ -z "$(ip -n "$NS" -6 addr | grep 2001:db8:bad)" ]
	run -0 "${C[@]}" exec victim cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6
	[ "$output" = 1 ]
	for i in $(ip -n "$NS" -o link | awk -F': ' '$2 != "lo" { sub(/@.*/, "", $2); print $2 }'); do
		[ "$("${IN[@]}" cat /proc/sys/net/ipv6/conf/$i/disable_ipv6)" = 1 ]
	done
}

@test "10-full net: two containers on the bridge ping each other by address and by --name, both ways" {
	"${C[@]}" run -d --name web --net bridge "$RFS" sleep 1000
	web=$("${C[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' web)
	"${C[@]}" run -d --name db --net bridge "$RFS" sleep 1000
	db=$("${C[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' db)
	[[ "$web" == 172.29.0.* && "$db" == 172.29.0.* && "$web" != "$db" ]]
	# By address, and by name: the newcomer knows the one before it ...
	run -0 "${C[@]}" exec db ping -c 1 -W 5 "$web"
	[[ "$output" == *"1 received"* ]]
	run -0 "${C[@]}" exec db ping -c 1 -W 5 web
	[[ "$output" == *"PING web ($web)"*"1 received"* ]]
	# ... and the one before it learnt the newcomer's name: its hosts
	# file was rewritten in place, under its bind mount.
	run -0 "${C[@]}" exec web ping -c 1 -W 5 db
	[[ "$output" == *"PING db ($db)"*"1 received"* ]]
	# A third, started with --rm, reaches both by name.
	run -0 "${C[@]}" run --rm --net bridge "$RFS" sh -c \
		'ping -c 1 -W 5 web && ping -c 1 -W 5 db'
	[ "$(grep -c '1 received' <<<"$output")" -eq 2 ]
	# Once db is gone, web's /etc/hosts no longer names it.
	"${C[@]}" exec web grep -qw db /etc/hosts
	"${C[@]}" rm -f db
	forgotten() { ! "${C[@]}" exec web grep -qw db /etc/hosts; }
	wait_for forgotten
	run -0 "${C[@]}" exec web grep -w web /etc/hosts
	[[ "$output" == "$web	web "* ]]
}

@test "10-full net: a container on another bridge (CONTAINER_BRIDGE) reaches no container of the first; the host and the first bridge's own still do" {
	# Forwarding is on for each bridge's way out: a hostile tester's
	# container on a bridge of its own reached every port of the
	# containers on lesson0 (the README said separate bridges isolate).
	"${C[@]}" run -d --name web --net bridge "$RFS" sleep 1000
	web=$("${C[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' web)
	[ "$(ip netns exec "$NS" cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
	run -0 "${C[@]}" run --rm --net bridge "$RFS" ping -c 1 -W 2 "$web"
	[[ "$output" == *"1 received"* ]]
	run -0 ip netns exec "$NS" ping -c 1 -W 2 "$web"
	# From the other bridge: no answer. And out of it, to the host's
	# address on lesson0, which is not forwarded, it still goes.
	run env CONTAINER_BRIDGE=lsn-other CONTAINER_SUBNET=10.89.0.0/24 \
		"${C[@]}" run --rm --net bridge "$RFS" sh -c \
		"ping -c 1 -W 2 $web; echo ping=\$?; ping -c 1 -W 2 172.29.0.1 >/dev/null; echo host=\$?"
	echo "$output"
	[[ "$output" == *"ping=1"* && "$output" == *"host=0"* ]]
}

@test "10-full net: eth0, the default route, and inspect's IPAddress, IPPrefixLen, Gateway, Ports; empty again once it exits" {
	"${C[@]}" run -d --name one --net bridge "$RFS" sleep 1000
	run -0 "${C[@]}" inspect -f '{{.NetworkSettings.IPAddress}} {{.NetworkSettings.IPPrefixLen}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.Ports}} {{.HostConfig.NetworkMode}} {{.NetworkSettings.Networks.bridge.IPAddress}}' one
	[ "$output" = "172.29.0.2 16 172.29.0.1 {} bridge 172.29.0.2" ]
	# What the container itself has: that address on eth0, the route.
	run -0 "${C[@]}" exec one sh -c 'ip -4 -o addr show eth0; ip route'
	[[ "${lines[0]}" == *"eth0    inet 172.29.0.2/16 "* ]]
	[[ "$output" == *"default via 172.29.0.1 dev eth0"* ]]
	# The host's side: the bridge holds the gateway, the veth is on it.
	[[ "$(ip -n "$NS" -4 -o addr show lesson0)" == *" inet 172.29.0.1/16 "* ]]
	[ "$(ip -n "$NS" -o link show master lesson0 | wc -l)" -eq 1 ]
	"${C[@]}" stop -t 0 one
	run -0 "${C[@]}" inspect -f '[{{.NetworkSettings.IPAddress}}] [{{.NetworkSettings.Gateway}}] {{.HostConfig.NetworkMode}}' one
	[ "$output" = "[] [] bridge" ]
	no_net_leftovers # stopped: its address, veth and the bridge are gone
	# --net none (the default) has no address.
	run -0 "${C[@]}" run --rm --name two "$RFS" true
	"${C[@]}" run -d --name three "$RFS" sleep 1000
	run -0 "${C[@]}" inspect -f '[{{.NetworkSettings.IPAddress}}] {{.HostConfig.NetworkMode}}' three
	[ "$output" = "[] none" ]
}

@test "10-full net: 50 containers started at once get 50 different addresses, all given back at rm" {
	for i in $(seq 50); do
		"${C[@]}" run -d --net bridge "$RFS" sleep 1000 >"$BATS_TEST_TMPDIR/id.$i" &
	done
	wait # every run -d returns once its command runs
	ids=$(cat "$BATS_TEST_TMPDIR"/id.*)
	[ "$(wc -w <<<"$ids")" -eq 50 ]
	addrs=$(for id in $ids; do "${C[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' "$id"; done)
	[ "$(grep -c '^172\.29\.0\.[0-9]*$' <<<"$addrs")" -eq 50 ]
	[ "$(sort -u <<<"$addrs" | wc -l)" -eq 50 ]
	# The allocator's files say the same, and the bridge has 50 ports.
	[ "$(ls "$R/net/lesson0" | grep -c '^172\.')" -eq 50 ]
	[ "$(ip -n "$NS" -o link show master lesson0 | wc -l)" -eq 50 ]
	# Their /etc/hosts, rewritten as each one came, list all 50 (two
	# of them checked).
	for id in $(head -1 <<<"$ids") $(tail -1 <<<"$ids"); do
		[ "$("${C[@]}" exec "$id" grep -c '^172\.29\.0\.' /etc/hosts)" -eq 50 ]
	done
	"${C[@]}" rm -f $ids >/dev/null
	no_net_leftovers
}

@test "10-full net: nothing is left after --rm and rm: no veth, address, route, bridge or allocator entry; CONTAINER_BRIDGE and CONTAINER_SUBNET set them" {
	export CONTAINER_BRIDGE=lsn-br0 CONTAINER_SUBNET=10.88.0.0/24
	# Every link the host's namespace sees come and go, meanwhile: a
	# marker first, so that we know the monitor listens.
	ip -n "$NS" monitor link >"$BATS_TEST_TMPDIR/links" &
	monitor=$!
	# (made anew each time: a marker made before the monitor listened
	# is never seen, and one that is there cannot be added again)
	monitor_listens() { ip -n "$NS" link del lsn-mark 2>/dev/null || true
		ip -n "$NS" link add lsn-mark type bridge
		grep -q lsn-mark "$BATS_TEST_TMPDIR/links"; }
	wait_for monitor_listens
	ip -n "$NS" link del lsn-mark
	run -0 "${C[@]}" run --rm --net bridge "$RFS" sh -c 'ip -4 -o addr show eth0; ip route'
	[[ "$output" == *"eth0    inet 10.88.0.2/24 "* ]]
	[[ "$output" == *"default via 10.88.0.1 dev eth0"* ]]
	no_net_leftovers
	kill "$monitor"
	# The bridge and the host's end came and went; the container's end,
	# eth0, was never in the host's namespace, not even for a moment.
	grep -q 'lsn-br0' "$BATS_TEST_TMPDIR/links"
	grep -q 'veth[0-9a-f]*@' "$BATS_TEST_TMPDIR/links"
	# (A link named eth0, not a veth whose id starts with 0: "veth0...".)
	run -1 grep -E '^([0-9]+: |Deleted [0-9]+: )?eth0[@:]' "$BATS_TEST_TMPDIR/links"
	id=$("${C[@]}" run -d --net bridge "$RFS" sleep 1000)
	veth=veth${id:0:11}
	[[ "$(ip -n "$NS" -o link show "$veth")" == *" master lsn-br0 "* ]]
	# The allocator entry: "ID HOSTNAME NAME" (the hostname: the id; no --name)
	[ "$(cat "$R/net/lsn-br0/10.88.0.2")" = "$id $id " ]
	run -0 ip -n "$NS" -d link show lsn-br0
	[[ "$output" == *"alias made by container --net bridge"* ]]
	"${C[@]}" rm -f "$id"
	no_net_leftovers
	# A run that fails after the bridge was made leaves nothing either.
	run -127 "${C[@]}" run --rm --net bridge "$RFS" no-such-command
	no_net_leftovers
}

@test "10-full net: after kill -9 of a supervisor, the next run gives its address back and removes the bridge" {
	id=$("${C[@]}" run -d --name gone --net bridge "$RFS" sleep 1000)
	[ -e "$R/net/lesson0/172.29.0.2" ]
	sup=$(sed -n 's/^ "Supervisor": \([0-9]*\),$/\1/p' "$R/containers/$id.json")
	[ -n "$sup" ] && [ "$(readlink /proc/$sup/exe)" = "$BIN" ]
	kill -9 "$sup"
	# Dead (a zombie until its reaper, init, gets to it): a signal is
	# delivered, not waited for.
	dead() { [ ! -e /proc/$1 ] || grep -q '^State:.*Z' /proc/$1/status; }
	wait_for dead "$sup"
	# No code of the supervisor ran: its address is still taken.
	[ -e "$R/net/lesson0/172.29.0.2" ]
	run -0 "${C[@]}" run --rm --net bridge "$RFS" ip -4 -o addr show eth0
	[[ "$output" == *"container $id stopped: its supervisor"* ]]
	[[ "$output" == *"eth0    inet 172.29.0.2/16 "* ]] # its address, free again
	no_net_leftovers
	run -0 "${C[@]}" inspect -f '[{{.NetworkSettings.IPAddress}}] {{.State.ExitCode}}' gone
	[ "$output" = "[] 137" ]
	# The same for a foreground --rm run whose runtime is killed.
	"${C[@]}" run --rm --net bridge "$RFS" sleep 1000 &
	runtime=$! # nsenter execs the runtime
	wait_for test -e "$R/net/lesson0/172.29.0.2"
	[ "$(readlink /proc/$runtime/exe)" = "$BIN" ]
	kill -9 "$runtime"
	wait "$runtime" || true
	run -0 "${C[@]}" run --rm --net bridge "$RFS" true
	[[ "$output" == *"removed what container "*" left behind"* ]]
	no_net_leftovers
}

@test "10-full net: a network that a host route overlaps is refused, 125, naming the route; nothing is made" {
	ip -n "$NS" route add 172.29.5.0/24 dev lo
	run -125 "${C[@]}" run --rm --net bridge "$RFS" true
	[ "${lines[0]}" = "container: --net bridge: the network 172.29.0.0/16 of bridge lesson0 overlaps 172.29.5.0/24, which the host uses (\`ip route\`); set CONTAINER_SUBNET to a network the host does not use" ]
	[ "$(ip -n "$NS" -o link | wc -l)" -eq 1 ] # no bridge, no veth
	[ -z "$(find "$R/net" -mindepth 1)" ]
	CONTAINER_SUBNET=172.30.0.0/16 "${C[@]}" run --rm --net bridge "$RFS" true
	ip -n "$NS" route del 172.29.5.0/24 dev lo
	for bad in CONTAINER_SUBNET=172.29.0.1/16 CONTAINER_SUBNET=127.0.0.0/16 \
		CONTAINER_SUBNET=10.0.0.0/30 CONTAINER_BRIDGE=a/b \
		CONTAINER_BRIDGE=lsn-far-too-long-name; do
		run -125 env "$bad" "${C[@]}" run --rm --net bridge "$RFS" true
		[[ "${lines[0]}" == "container: ${bad%%=*}='${bad#*=}': "* ]]
	done
}

@test "10-full net: rootless --net bridge is refused, 125, in one line naming slirp4netns and pasta" {
	run -125 "${IN[@]}" "${AS_NOBODY[@]}" "$CONTAINER" --root "$BATS_TEST_TMPDIR/nobody" \
		run --rm --net bridge "$RFS" true
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "container: --net bridge needs root: "*"slirp4netns or pasta"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/nobody" ]
}

@test "10-full net: /etc/hosts, hostname and resolv.conf are the container's own bind mounts; a host resolver on 127.0.0.53 is replaced" {
	fake=$BATS_TEST_TMPDIR/resolv.conf
	printf 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch example.test\n' >"$fake"
	# The host's resolver as systemd-resolved has it, in a mount
	# namespace of the test's own: the machine's file is not touched.
	run -0 unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
		sh "$fake" "${C[@]}" run --rm -h box --net bridge "$RFS" sh -c '
		cat /etc/resolv.conf; echo ---; cat /etc/hostname; echo ---
		grep -E " /etc/(hosts|hostname|resolv.conf) " /proc/self/mountinfo | wc -l'
	[[ "$output" != *127.0.0.53* ]]
	[[ "$output" == *"nameserver 8.8.8.8"* ]]
	[[ "$output" == *"options edns0 trust-ad"*"search example.test"* ]]
	[[ "$output" == *$'---\nbox\n---\n3' ]]
	# The host's own resolver, when a container can reach it, is kept.
	printf 'nameserver 192.0.2.53\n' >"$fake"
	run -0 unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
		sh "$fake" "${C[@]}" run --rm --net bridge "$RFS" cat /etc/resolv.conf
	[[ "$output" == *"nameserver 192.0.2.53"* && "$output" != *8.8.8.8* ]]
	# The image's own /etc/hosts is as it was.
	[ "$(cat "$RFS/etc/hosts")" = "$(printf '127.0.0.1 localhost\n::1 localhost')" ]
}
