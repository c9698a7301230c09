#!/usr/bin/env bats
# 10-full: images are layers. import makes a one-layer image of a
# directory; run IMAGE stacks its layers as overlay lower dirs, shared by
# every container of it and never written; commit adds the container's
# writable layer on top as a new image; diff, images, history and rmi
# show and remove them. Each test keeps its containers and its images in
# a data root of its own (--root).

load helpers
load container
bats_require_minimum_version 1.5.0

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	container_setup
	# On disk, as a data root is (/var/lib): the writable layers are
	# there, and /tmp may be a tmpfs, with no user.* xattrs before Linux
	# 6.6 (the user.overlay.opaque test sets one).
	R0=$(mktemp -d /var/tmp/lesson-test-root.XXXXXX)
	R=$R0/root
	C=("$CONTAINER" --root "$R")
}

# What the test did not remove itself is removed (container.bash). A
# commit held by strace is killed first, and a container it froze thawed,
# or rm would wait for them.
teardown() {
	local id v1
	[ -z "${COMMIT_PID:-}" ] || kill -9 "$COMMIT_PID" 2>/dev/null || true
	for id in $("${C[@]}" ps -aq 2>/dev/null); do
		v1=/sys/fs/cgroup/freezer/lesson-container-$id
		[ -d "$v1" ] || continue
		echo THAWED >"$v1/freezer.state"
		"${C[@]}" rm -f "$id" >/dev/null 2>&1
		rmdir "$v1"
	done
	container_rm_teardown
	rm -rf "$R0"
}

# Every file below $1, one line each: path, type, mode, owner, size
# (not a directory's: each filesystem counts its own, 4096 on ext4, 40
# and up on tmpfs), mtime, link target, and the bytes' hash for a file.
checksums() {
	(cd "$1" && find . \( -type d -printf '%p %y %m %U:%G - %T@ %l\n' \) -o \
		-printf '%p %y %m %U:%G %s %T@ %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort -k2)
}

# The data root's layer dirs, each with its diff_id.
layers() {
	cat "$R"/images/layers/*/layer.json
}

# import build/rootfs as $1 (in $R), quietly; its id on stdout.
base() {
	"${C[@]}" import "$RFS" "${1:-base}"
}

# tag:id pairs added to repositories.json (made if missing).
add_tags() {
	local f=$R/images/repositories.json old='{'
	[ -f "$f" ] && old=$(sed 's/}$/, /' "$f")
	echo "$old$(printf '%s' "$@" | sed 's/, $//')}" >"$f"
}

# An image NAME made by hand in the store: the layers of image BASE with
# N more on top (each holds a file /layerK), config.Config CONFIG, and
# history HISTORY (a JSON array; none if not given). As load would make
# it; the store's format is image.h's.
hand_image() {
	local name=$1 base=$2 n=$3 config=${4:-'{}'} history=${5:-} ids chain diff dir hex i
	ids=$(sed 's/.*"diff_ids":\[\([^]]*\)\].*/\1/' "$R/images/configs/$(base_id "$base")")
	chain=$(echo "$ids" | tr -d '"' | tr , '\n' | while read -r diff; do
		[ -z "$prev" ] && prev=$diff || prev="sha256:$(printf '%s %s' "$prev" "$diff" | sha256sum | cut -c1-64)"
		echo "$prev"
	done | tail -1)
	for i in $(seq "$n"); do
		diff="sha256:$(printf 'layer %s %s' "$name" "$i" | sha256sum | cut -c1-64)"
		chain="sha256:$(printf '%s %s' "$chain" "$diff" | sha256sum | cut -c1-64)"
		dir=$R/images/layers/${chain:7:16}
		mkdir -p "$dir/diff"
		echo "$i" >"$dir/diff/layer$i"
		echo "{\"chain_id\": \"$chain\", \"diff_id\": \"$diff\", \"parent\": \"\", \"size\": 2}" >"$dir/layer.json"
		ids="$ids,\"$diff\""
	done
	printf '{"architecture":"amd64","os":"linux","config":%s,"created":"2026-01-01T00:00:00Z",%s"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$config" "${history:+\"history\":$history,}" "$ids" >"$BATS_TEST_TMPDIR/config"
	hex=$(sha256sum <"$BATS_TEST_TMPDIR/config" | cut -c1-64)
	cp "$BATS_TEST_TMPDIR/config" "$R/images/configs/$hex"
	add_tags "\"$name:latest\": \"sha256:$hex\", "
}

# The full id (64 hex) of image tag $1 (NAME:TAG).
base_id() {
	sed "s/.*\"$1\": \"sha256:\([0-9a-f]*\)\".*/\1/" "$R/images/repositories.json"
}

@test "10-full image: import makes a one-layer image of a directory, a copy with owners, modes, times and links kept; images and history show it as docker does" {
	run "${C[@]}" import "$RFS" base
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]]
	id=${output:7}
	# The id is the sha256 of the config's bytes.
	[ "$(sha256sum <"$R/images/configs/$id" | cut -c1-64)" = "$id" ]
	# One layer, a copy of the directory as it is.
	[ "$(ls "$R/images/layers" | wc -l)" -eq 1 ]
	diff <(checksums "$RFS") <(checksums "$R"/images/layers/*/diff)
	run "${C[@]}" images
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^REPOSITORY\ +TAG\ +IMAGE\ ID\ +CREATED\ +SIZE$ ]]
	[[ "${lines[1]}" =~ ^base\ +latest\ +${id:0:12}\ +(Less\ than\ a\ second|[0-9]+\ seconds?|About\ a\ minute)\ ago\ +1[0-9.]+MB$ ]]
	[ "$("${C[@]}" images -q)" = "${id:0:12}" ]
	run "${C[@]}" history base:latest
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^IMAGE\ +CREATED\ +CREATED\ BY\ +SIZE\ +COMMENT$ ]]
	# CREATED BY is cut at 45 columns, as docker's: the path may not fit.
	[[ "${lines[1]}" =~ ^${id:0:12}\ +.*\ ago\ +container\ import\ .*\ +1[0-9.]+MB ]]
	grep -qF "\"created_by\":\"container import $(realpath "$RFS")\"" "$R"/images/configs/*
	[ "${#lines[@]}" -eq 2 ]
	# Importing again shares the layer: same tree, same DiffID.
	base base:two
	[ "$(ls "$R/images/layers" | wc -l)" -eq 1 ]
	# Newest first, as docker lists them.
	[[ "$("${C[@]}" images | sed -n 2p)" =~ ^base\ +two\  ]]
	[[ "$("${C[@]}" images | sed -n 3p)" =~ ^base\ +latest\  ]]
	# Bad input: 125 and one line, nothing made.
	run "${C[@]}" import /no/such/dir x
	[ "$status" -eq 125 ]
	run "${C[@]}" import "$RFS" 'bad name'
	[ "$status" -eq 125 ]
	[[ "$output" == *"NAME[:TAG]"* ]]
	run "${C[@]}" history nosuch
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such image: nosuch"* ]]
}

@test "10-full image: run IMAGE takes Entrypoint + Cmd, Env and WorkingDir from the image's config; the command given replaces Cmd; NAME is NAME:latest" {
	base >/dev/null
	hand_image cfg base:latest 0 '{"Entrypoint":["/bin/echo","E"],"Cmd":["c1","c2"],"Env":["PATH=/usr/bin:/bin","FOO=from-image"],"WorkingDir":"/tmp","StopSignal":"SIGUSR1"}'
	run "${C[@]}" run --rm cfg
	[ "$status" -eq 0 ]
	[ "$output" = "E c1 c2" ]
	run "${C[@]}" run --rm cfg:latest given
	[ "$output" = "E given" ]
	hand_image env base:latest 0 '{"Cmd":["sh","-c","echo $FOO $(pwd)"],"Env":["PATH=/usr/bin:/bin","FOO=from-image"],"WorkingDir":"/tmp"}'
	run "${C[@]}" run --rm env
	[ "$output" = "from-image /tmp" ]
	# -e comes after the image's Env, -w before its WorkingDir.
	run "${C[@]}" run --rm -e FOO=from-e -w /etc env
	[ "$output" = "from-e /etc" ]
	run "${C[@]}" run --rm nosuch:tag true
	[ "$status" -eq 125 ]
	[[ "$output" == *"no such image: nosuch:tag"* ]]
}

@test "10-full image: a container cannot change a layer, even as root: its writes, chmods and deletions land in its upper dir" {
	base >/dev/null
	checksums "$R/images/layers" >"$BATS_TEST_TMPDIR/before"
	run "${C[@]}" run --name w base sh -c 'echo changed >>/etc/passwd && chmod 777 /usr/bin/cat && rm /etc/group && touch /new && mkdir /usr/lib/x'
	[ "$status" -eq 0 ]
	diff "$BATS_TEST_TMPDIR/before" <(checksums "$R/images/layers")
	# The writes are in the container's own layer.
	id=$("${C[@]}" ps -aq)
	upper=$R/containers/$id/upper
	grep -q changed "$upper/etc/passwd"
	[ "$(stat -c %a "$upper/usr/bin/cat")" = 777 ]
	[ "$(stat -c %t:%T "$upper/etc/group")" = 0:0 ]
}

@test "10-full image: two containers of an image share its layers on disk (one inode), each with its own upper dir" {
	base >/dev/null
	a=$("${C[@]}" run -d base sleep 600)
	b=$("${C[@]}" run -d base sleep 600)
	pa=$("${C[@]}" inspect -f '{{.State.Pid}}' "$a")
	pb=$("${C[@]}" inspect -f '{{.State.Pid}}' "$b")
	layer=$(ls -d "$R"/images/layers/*/diff)
	ino=$(stat -c %i "$layer/usr/bin/sleep")
	[ "$(stat -c %i /proc/"$pa"/root/usr/bin/sleep)" = "$ino" ]
	[ "$(stat -c %i /proc/"$pb"/root/usr/bin/sleep)" = "$ino" ]
	# The image's name in ps and inspect; its id as .Image.
	[[ "$("${C[@]}" ps)" == *"$a   base:latest   \"sleep 600\""* ]]
	[ "$("${C[@]}" inspect -f '{{.Config.Image}}' "$a")" = base:latest ]
	[ "$("${C[@]}" inspect -f '{{.Image}}' "$a")" = "sha256:$(base_id base:latest)" ]
	"${C[@]}" stop -t 0 "$a" "$b"
	# start runs it again on the same layers.
	"${C[@]}" start "$a"
	pa=$("${C[@]}" inspect -f '{{.State.Pid}}' "$a")
	[ "$(stat -c %i /proc/"$pa"/root/usr/bin/sleep)" = "$ino" ]
	"${C[@]}" stop -t 0 "$a"
}

@test "10-full image: an image with more layers than one mount takes is refused with 125, naming the limit" {
	# A data root with a long path: the upper, work and init dirs take
	# most of the page of mount options, and room is left for a few
	# layers only.
	long=$BATS_TEST_TMPDIR/$(printf 'd%.0s' {1..200})/$(printf 'e%.0s' {1..200})/$(printf 'f%.0s' {1..200})/$(printf 'g%.0s' {1..200})/$(printf 'h%.0s' {1..200})
	mkdir -p "$long"
	R=$long/root
	C=("$CONTAINER" --root "$R")
	base >/dev/null
	hand_image few base:latest 2
	run "${C[@]}" run --rm few sh -c 'cat /layer1 /layer2'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2')" ]
	hand_image many base:latest 60
	run "${C[@]}" run --rm many true
	[ "$status" -eq 125 ]
	[[ "$output" == *"image many has 61 layers; one mount takes at most "[0-9]*" with the data root $R"* ]]
	# Beyond the store's own bound (IMAGE_MAX_LAYERS), whatever the root.
	R=$BATS_TEST_TMPDIR/root2
	C=("$CONTAINER" --root "$R")
	base >/dev/null
	hand_image huge base:latest 128
	run "${C[@]}" run --rm huge true
	[ "$status" -eq 125 ]
	[[ "$output" == *"has more than 128 layers"* ]]
}

@test "10-full image: commit keeps what the container changed (files made, changed, deleted; a dir deleted and made again; links, modes, owners) and not the init layer's files nor a volume's; the base image is unchanged; history has one more layer" {
	bid=$(base | cut -c8-)
	bl=$(ls "$R/images/layers")
	checksums "$R/images/layers/$bl" >"$BATS_TEST_TMPDIR/before"
	vol=$BATS_TEST_TMPDIR/vol
	mkdir "$vol"
	run "${C[@]}" run --name c1 -h first -v "$vol:/data" base sh -c '
		echo made >/new && echo changed >>/etc/passwd && rm /etc/group &&
		rm -r /usr/sbin && mkdir /usr/sbin && echo again >/usr/sbin/x &&
		ln /new /newlink && ln -s /new /newsym &&
		chmod 711 /new &&
		echo in-volume >/data/vf && echo mine >/etc/hostname &&
		echo mine >>/etc/hosts'
	[ "$status" -eq 0 ]
	# An owner of its own and the set-user-ID bit (the image has no
	# chown(1)): set as the container's root would have, in its upper
	# dir (chown first: it clears the bit).
	chown -h 123:456 "$R/containers/$("${C[@]}" ps -aq)/upper/new"
	chmod 4711 "$R/containers/$("${C[@]}" ps -aq)/upper/new"
	run "${C[@]}" diff c1
	[ "$status" -eq 0 ]
	for line in "A /new" "C /etc/passwd" "D /etc/group" "D /usr/sbin/swapoff" "A /usr/sbin/x" "A /data"; do
		grep -qx "$line" <<<"$output"
	done
	[[ "$output" != *"/data/vf"* ]] # (bats fails no "! CMD" line)
	run "${C[@]}" commit -m "the test's change" c1 next:v1
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]]
	# The base image's layer, byte for byte as it was; its config too.
	diff "$BATS_TEST_TMPDIR/before" <(checksums "$R/images/layers/$bl")
	[ "$(sha256sum <"$R/images/configs/$bid" | cut -c1-64)" = "$bid" ]
	[ "$(ls "$R/images/layers" | wc -l)" -eq 2 ]
	# The init layer's files stayed out of the new layer, though the
	# container wrote them (a copy-up brought them to its upper dir).
	new=$(ls -d "$R"/images/layers/*/ | grep -v "/$bl/")
	[ -e "$R/containers/$("${C[@]}" ps -aq)/upper/etc/hostname" ]
	[ ! -e "$new/diff/etc/hostname" ]
	[ ! -e "$new/diff/etc/hosts" ]
	[ -d "$new/diff/data" ]
	[ ! -e "$new/diff/data/vf" ]
	run "${C[@]}" run --rm -h second -v "$vol:/data" next:v1 sh -c '
		cat /new; tail -1 /etc/passwd; test ! -e /etc/group && echo no-group;
		ls /usr/sbin; ls /data; cat /etc/hostname; grep -c mine /etc/hosts;
		stat -c "%i %a %u:%g" /new /newlink; readlink /newsym'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = made ]
	[ "${lines[1]}" = changed ]
	[ "${lines[2]}" = no-group ]
	[ "${lines[3]}" = x ]            # the old /usr/sbin is hidden: opaque
	[ "${lines[4]}" = vf ]           # the volume, mounted again: its file
	[ "${lines[5]}" = second ]       # the new container's hostname
	[ "${lines[6]}" = 0 ]            # the new container's hosts
	read -r ino1 mode1 own1 <<<"${lines[7]}"
	read -r ino2 mode2 own2 <<<"${lines[8]}"
	[ "$ino1" = "$ino2" ]
	[ "$mode1" = 4711 ]
	[ "$own1" = 123:456 ]
	[ "$mode2" = 4711 ]
	[ "$own2" = 123:456 ]
	[ "${lines[9]}" = /new ]
	# Without the volume: only its mount point came along, empty.
	run "${C[@]}" run --rm next:v1 sh -c 'ls -A /data | wc -l; cat /etc/hostname'
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" != mine ]
	# One more layer in history, newest first, with the message.
	run "${C[@]}" history next:v1
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == *"sh -c "*"the test's change" ]]
	[[ "${lines[2]}" == "<missing>"*"container import"* ]]
}

@test "10-full image: rmi refuses an image a container uses (125, naming it) unless -f, which only untags it; a layer another image shares stays" {
	base >/dev/null
	bl=$(ls "$R/images/layers")
	"${C[@]}" run --name user base sh -c 'echo x >/x'
	"${C[@]}" commit user top >/dev/null
	"${C[@]}" run --name user2 top true
	run "${C[@]}" rmi base
	[ "$status" -eq 125 ]
	[[ "$output" == *"unable to remove image base: container user uses it"* ]]
	"${C[@]}" images | grep -q '^base '
	# -f: untagged; the container still has its layers, and starts.
	run "${C[@]}" rmi -f base
	[ "$status" -eq 0 ]
	[ "$output" = "Untagged: base:latest" ]
	[ -z "$("${C[@]}" images | grep '^base ')" ]
	[ -d "$R/images/layers/$bl/diff" ]
	"${C[@]}" start -a user
	# top goes, with its own layer only: base's is top's bottom layer
	# and the untagged base still needs it.
	"${C[@]}" rm user2
	run "${C[@]}" rmi top
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Untagged: top:latest" ]]
	[[ "${lines[1]}" == "Deleted: sha256:"* ]]
	[[ "${lines[2]}" == "Deleted: layer "* ]]
	[ "${#lines[@]}" -eq 3 ]
	[ -d "$R/images/layers/$bl/diff" ]
	[ "$(ls "$R/images/layers" | wc -l)" -eq 1 ]
	# A tag of an image with two (the second made by hand: there is no
	# tag verb): only that tag goes.
	id=$(base one)
	add_tags "\"two:latest\": \"$id\", "
	run "${C[@]}" rmi one
	[ "$output" = "Untagged: one:latest" ]
	"${C[@]}" images | grep -q '^two '
	run "${C[@]}" rmi nosuch
	[ "$status" -eq 125 ]
}

# Whether process $2 of container $1 is frozen, as the kernel's freezer
# says: on cgroup v1 in the freezer cgroup commit makes, FROZEN; on v2 its
# own cgroup's cgroup.events says "frozen 1".
frozen() {
	local v1=/sys/fs/cgroup/freezer/lesson-container-$1
	if [ -d "$v1" ]; then
		[ "$(cat "$v1/freezer.state")" = FROZEN ] && grep -qx "$2" "$v1/cgroup.procs"
	else
		grep -qx 'frozen 1' "/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/"$2"/cgroup)/cgroup.events"
	fi
}

# `commit $1 snap` in the background, stopped by strace at its first
# copy_file_range: the copy has begun. Sets st (the job), commit (its
# PID) and COMMIT_PID (for the teardown); its output in $BATS_TEST_TMPDIR/out.
commit_held() {
	strace -o "$BATS_TEST_TMPDIR/st" -e trace=copy_file_range \
		-e inject=copy_file_range:signal=SIGSTOP:when=1 \
		"${C[@]}" commit "$1" snap >"$BATS_TEST_TMPDIR/out" 2>&1 &
	st=$!
	commit=$(traced "$st" container)
	COMMIT_PID=$commit
	wait_for sigstopped "$BATS_TEST_TMPDIR/st"
}

@test "10-full image: commit of a running container freezes it while its layer is copied (strace holds commit at its first copy), then thaws it: it runs on, and nothing of the freeze is left" {
	need_strace
	base >/dev/null
	id=$("${C[@]}" run -d base sh -c 'echo started >/s; while :; do echo x >>/count; done')
	wait_for test -s "$R/containers/$id/upper/s"
	sh=$("${C[@]}" inspect -f '{{.State.Pid}}' "$id") # PID 1: the shell
	# commit stopped by strace at its first copy_file_range: the copy
	# has begun. The container must be frozen now.
	commit_held "$id"
	frozen "$id" "$sh"
	kill -CONT "$commit"
	wait_status "$st" 0
	[ "$("${C[@]}" run --rm snap cat /s)" = started ]
	# Thawed: it still writes.
	if frozen "$id" "$sh"; then false; fi
	n=$(stat -c %s "$R/containers/$id/upper/count")
	wait_for eval '[ "$(stat -c %s "$R/containers/$id/upper/count")" -gt "$n" ]'
	[ -z "$(find /sys/fs/cgroup -maxdepth 2 -name "lesson-container-$id" -path '*freezer*')" ]
	"${C[@]}" stop -t 0 "$id"
}

@test "10-full image: commit of a container that leases its cgroup.freeze fails at once, saying so, not after 45 s (cgroup v2)" {
	# On v2 the freezer is the container's own cgroup.freeze, which root
	# inside owns and may lease: commit's open for writing then waited
	# for the lease to break (fs.lease-break-time, 45 s).
	[ -f /sys/fs/cgroup/cgroup.controllers ] && [ ! -d /sys/fs/cgroup/unified ] ||
		skip "cgroup v1: commit freezes in a freezer cgroup of its own, which the container does not see"
	hog=$(hog_dir)
	id=$("${C[@]}" run -d -i -v "$hog:/t:ro" "$RFS" /t/hog lease /sys/fs/cgroup/cgroup.freeze)
	wait_long lease_held "$id"
	SECONDS=0
	run timeout 20 "${C[@]}" commit "$id" leased
	echo "$status after $SECONDS s: $output"
	[ "$status" -eq 125 ]
	[[ "$output" == *"holds a lease on cgroup.freeze"* ]]
	"${C[@]}" rm -f "$id"
}

@test "10-full image: commit freezes every process of a container with more than a page of PIDs (cgroup v1 gives one page per read of cgroup.procs)" {
	# A hostile tester's container: 1200 processes, of which a commit on
	# cgroup v1 froze the first 682, those a single read() of its
	# cgroup.procs listed; the others ran on through the copy.
	need_strace
	base >/dev/null
	id=$("${C[@]}" run -d base sh -c 'i=0; while [ $i -lt 800 ]; do
		sleep 1000 & i=$((i+1)); done; echo started >/s
		while :; do echo x >>/count; done')
	# 800 forks: on an emulated VM, longer than one wait_for's 5 s.
	for i in $(seq 24); do
		wait_for test -s "$R/containers/$id/upper/s" && break
	done
	test -s "$R/containers/$id/upper/s"
	sh=$("${C[@]}" inspect -f '{{.State.Pid}}' "$id")
	commit_held "$id"
	frozen "$id" "$sh"
	local v1=/sys/fs/cgroup/freezer/lesson-container-$id pids all
	if [ -d "$v1" ]; then
		# Every process of its pids cgroup is in the freezer's.
		pids=/sys/fs/cgroup/pids$(sed -n 's/^[0-9]*:pids://p' /proc/"$sh"/cgroup)
		sort "$pids/cgroup.procs" >"$BATS_TEST_TMPDIR/all"
		sort "$v1/cgroup.procs" >"$BATS_TEST_TMPDIR/frozen"
		all=$(wc -l <"$BATS_TEST_TMPDIR/all")
		echo "$all processes; not frozen:"
		comm -23 "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/frozen" | tee "$BATS_TEST_TMPDIR/left"
		[ ! -s "$BATS_TEST_TMPDIR/left" ]
	else
		# v2: the container's own cgroup is frozen, and it holds them all.
		all=$(wc -l <"/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/"$sh"/cgroup)/cgroup.procs")
	fi
	[ "$all" -gt 800 ]
	kill -CONT "$commit"
	wait_status "$st" 0
	if frozen "$id" "$sh"; then false; fi
	"${C[@]}" stop -t 0 "$id"
}

@test "10-full image: a commit killed with -9 while the container is frozen leaves it frozen; rm -f thaws and removes it, and nothing is left" {
	need_strace
	base >/dev/null
	id=$("${C[@]}" run -d base sh -c 'echo started >/s; while :; do echo x >>/count; done')
	wait_for test -s "$R/containers/$id/upper/s"
	sh=$("${C[@]}" inspect -f '{{.State.Pid}}' "$id") # PID 1: the shell
	commit_held "$id"
	frozen "$id" "$sh"
	kill -9 "$commit"
	wait "$st" || true
	frozen "$id" "$sh"
	# Not even SIGKILL ends a frozen process: rm -f thaws it first.
	run timeout 30 "${C[@]}" rm -f "$id"
	[ "$status" -eq 0 ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 2 -name "lesson-container-$id")" ]
	[ ! -e /proc/"$sh" ]
	# Nothing of the commit: the next verb that takes the lock empties
	# tmp/, and no image was made.
	"${C[@]}" images -q >/dev/null
	run "${C[@]}" history snap
	[ "$status" -eq 125 ]
}

# A copy keeps a hard link as a link: the (device, inode) of every name
# is looked up among those seen (linkmap.c). That look-up was a list
# searched from the start, and a container decides how many links its
# layer holds: 160,000 pairs took commit 29 s. Here 6000 pairs, past
# several growths of the table: every second name still a link, in the
# store's layer (import, treecopy.c) and in save's tar (layer_pack.c).
@test "10-full image: import and save keep 6000 hard-linked pairs as links: one inode, two names each" {
	src=$BATS_TEST_TMPDIR/links
	mkdir -p "$src/a"
	(cd "$src/a" && touch $(seq -f 'f%g' 6000))
	cp -al "$src/a" "$src/b"
	"${C[@]}" import "$src" links >/dev/null
	layer=$(echo "$R"/images/layers/*/diff)
	[ "$(find "$layer" -type f | wc -l)" -eq 12000 ]
	[ "$(find "$layer" -type f -links 2 | wc -l)" -eq 12000 ]
	[ "$(find "$layer" -type f -printf '%i\n' | sort -u | wc -l)" -eq 6000 ]
	[ "$(stat -c %i "$layer/a/f5999")" = "$(stat -c %i "$layer/b/f5999")" ]
	"${C[@]}" save -o "$BATS_TEST_TMPDIR/l.tar" links
	n=0
	for b in $(tar -tf "$BATS_TEST_TMPDIR/l.tar" | grep '^blobs/sha256/.'); do
		n=$((n + $(tar -xOf "$BATS_TEST_TMPDIR/l.tar" "$b" | { tar -tvf - 2>/dev/null || true; } | grep -c '^h' || true)))
	done
	echo "hard links in the layer's tar: $n"
	[ "$n" -eq 6000 ]
}

@test "10-full image: rootless, a user has an image store of their own: import, run, commit (whiteouts, opaque dirs) work, and every file of a layer is the user's" {
	container=$(for_nobody "$CONTAINER")
	home=$(mktemp -d /var/tmp/container-test-home.XXXXXX)
	chown 65534:65534 "$home"
	# A rootfs the user may read whole (build/rootfs has /root 0700).
	rfs=$home/rfs
	cp -a "$RFS" "$rfs"
	chmod -R a+rX "$rfs"
	N=("${AS_NOBODY[@]}" XDG_DATA_HOME="$home" "$container")
	store=$home/lesson-container/images
	"${N[@]}" import "$rfs" base
	[ "$(stat -c '%U %a' "$store")" = "nobody 700" ]
	# Root's store is not the user's: no image of root's is found.
	base >/dev/null
	run -125 "${N[@]}" --root "$R" images
	# Inside, the user's files are root's (the one id mapped).
	run "${N[@]}" run --rm base sh -c 'stat -c %u:%g /etc/passwd; id -u'
	[ "$output" = "$(printf '0:0\n0')" ]
	"${N[@]}" run --name r1 base sh -c 'rm /etc/group && rm -r /usr/sbin && mkdir /usr/sbin && echo q >/usr/sbin/q'
	"${N[@]}" commit r1 next >/dev/null
	run "${N[@]}" run --rm next sh -c 'ls /usr/sbin; test -e /etc/group || echo no-group'
	[ "$output" = "$(printf 'q\nno-group')" ]
	[ -z "$(find "$store/layers" ! -uid 65534)" ]
	"${N[@]}" rm r1
	rm -rf "$home"
}

@test "10-full image: commit of a container of a directory makes the directory the bottom layer (the one import makes) and its changes the next" {
	"${C[@]}" run --name d "$RFS" sh -c 'echo hi >/hi; rm /etc/group'
	run "${C[@]}" commit d fromdir
	[ "$status" -eq 0 ]
	run "${C[@]}" run --rm fromdir sh -c 'cat /hi; test -e /etc/group || echo no-group'
	[ "$output" = "$(printf 'hi\nno-group')" ]
	run "${C[@]}" history fromdir
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == "<missing>"*"container import /"* ]]
	grep -qF "container import $(realpath "$RFS")" "$R"/images/configs/*
	# No untagged image for the directory; its layer is import's.
	[ "$("${C[@]}" images -q | wc -l)" -eq 1 ]
	base >/dev/null
	[ "$(ls "$R/images/layers" | wc -l)" -eq 2 ]
	diff <(checksums "$RFS") <(checksums "$R/images/layers/$(ls "$R/images/layers" | while read -r l; do grep -q '"parent": ""' "$R/images/layers/$l/layer.json" && echo "$l"; done)/diff")
}

@test "10-full image: commit keeps a sparse file sparse (256 MiB that use no block in the container use none in the layer); a commit that fails leaves nothing in tmp/" {
	base >/dev/null
	"${C[@]}" run --name sp base sh -c 'dd if=/dev/zero of=/sparse bs=1 count=1 seek=268435455 2>/dev/null; echo tail >>/sparse'
	"${C[@]}" commit sp sparse >/dev/null
	f=$(ls -d "$R"/images/layers/*/diff/sparse)
	[ "$(stat -c %s "$f")" -eq $((268435456 + 5)) ]
	# A few blocks of data at its end, no 256 MiB of zeros.
	[ "$(stat -c %b "$f")" -lt 64 ]
	run -0 "${C[@]}" run --rm sparse sh -c 'tail -c 5 /sparse; wc -c </sparse'
	[ "$output" = "$(printf 'tail\n268435461')" ]
	# A commit that fails (the disk full: strace makes the first copy
	# fail with ENOSPC) leaves no tmp layer behind: a full disk does not
	# stay full until the next verb.
	need_strace
	"${C[@]}" run --name full base sh -c 'echo x >/x'
	run -125 strace -f -o /dev/null -e inject=copy_file_range:error=ENOSPC:when=1 \
		"${C[@]}" commit full never
	[[ "$output" == *"No space left on device"* ]]
	[ -z "$(ls -A "$R/images/tmp")" ]
}

@test "10-full image: commit copies a large file with all a layer keeps (bytes, owner, set-user-ID bit, xattr, mtime, hard links); a failed copy names the file, and nothing is left in tmp/" {
	base >/dev/null
	cc -O2 -o "$BATS_TEST_TMPDIR/xattr" "$BATS_TEST_DIRNAME/10-full-setxattr.c"
	"${C[@]}" run --name big base sh -c \
		'dd if=/dev/urandom of=/big bs=64k count=3 2>/dev/null && ln /big /biglink && ln /big /biglink2'
	up="$R/containers/$("${C[@]}" ps -aq)/upper"
	# As the container's root would have set them (chown first: it
	# clears the set-user-ID bit), the mtime last.
	chown 123:456 "$up/big"
	chmod 4750 "$up/big"
	"$BATS_TEST_TMPDIR/xattr" "$up/big" user.test value
	touch -d "2001-02-03 04:05:06" "$up/big"
	"${C[@]}" commit big bigimg >/dev/null
	new=$(ls -d "$R"/images/layers/*/diff/big)
	[ "$(stat -c '%a %u:%g %h' "$new")" = "4750 123:456 3" ]
	[ "$(stat -c '%s %a %u:%g %Y %h' "$new")" = "$(stat -c '%s %a %u:%g %Y %h' "$up/big")" ]
	cmp "$up/big" "$new"
	[ "$("$BATS_TEST_TMPDIR/xattr" "$new" user.test)" = value ]
	[ "$(stat -c %i "$new")" = "$(stat -c %i "${new}link2")" ]
	# A large file's copy fails (the disk full, as strace makes it
	# say): 125, the file named, no half-made layer.
	need_strace
	"${C[@]}" run --name full base sh -c 'dd if=/dev/zero of=/big2 bs=64k count=2 2>/dev/null'
	run -125 strace -f -o /dev/null -e inject=copy_file_range:error=ENOSPC:when=1 \
		"${C[@]}" commit full never
	[[ "$output" == *"copy /big2: No space left on device"* ]]
	[ -z "$(ls -A "$R/images/tmp")" ]
}

@test "10-full image: as root, a user.overlay.opaque that root inside sets is a plain xattr its overlay ignores; commit does not turn it into an opaque dir" {
	mkdir "$BATS_TEST_TMPDIR/t"
	cc -static -O2 -o "$BATS_TEST_TMPDIR/t/setxattr" "$BATS_TEST_DIRNAME/10-full-setxattr.c"
	base >/dev/null
	run -0 "${C[@]}" run --name o -v "$BATS_TEST_TMPDIR/t:/t:ro" base sh -c \
		'/t/setxattr /etc user.overlay.opaque y && ls /etc | grep -c .'
	seen=$output
	[ "$seen" -gt 2 ]
	"${C[@]}" commit o opq >/dev/null
	# The image's /etc is the one the container saw, nothing hidden.
	run -0 "${C[@]}" run --rm opq sh -c 'ls /etc | grep -c .; ls /etc/passwd'
	[ "${lines[0]}" = "$seen" ]
	[ "${lines[1]}" = /etc/passwd ]
	run -0 "${C[@]}" diff o
	[ -z "$(grep '^D ' <<<"$output")" ]
}

@test "10-full image: a name of 64 hex digits is refused (it would read as another image's id, as docker refuses it); a whole id names its image" {
	base >/dev/null
	id=$(sed -n 's/.*"base:latest": *"sha256:\([0-9a-f]\{64\}\)".*/\1/p' "$R/images/repositories.json")
	[ ${#id} -eq 64 ]
	run -125 "${C[@]}" import "$RFS" "$id"
	[[ "$output" == *"reads as an image id"* ]]
	"${C[@]}" run --name c base true
	run -125 "${C[@]}" commit c "$id:v1"
	[[ "$output" == *"reads as an image id"* ]]
	run -0 "${C[@]}" run --rm "$id" cat /etc/hostname
	run -0 "${C[@]}" run --rm "sha256:$id" true
}

# import DIR copies a tree someone else may own and change meanwhile. A
# file swapped for a FIFO between the look (fstatat) and the open blocked
# the open for good, the image store locked. strace holds import right
# after it looked at the file (a dry run tells which of its fstatat calls
# that is: their order does not change); the test then swaps the file.
@test "10-full image: import DIR opens only the file it looked at: one swapped for a FIFO meanwhile is 125 and one line, never a hang; nothing is left" {
	need_strace
	src="$BATS_TEST_TMPDIR/src"
	mkdir "$src"
	echo hi >"$src/victim"
	# The dry run in a store of its own, empty as the real one is: the
	# store's contents change how many calls come first (the sweep of
	# layers no config names reads every config).
	strace -o "$BATS_TEST_TMPDIR/dry" -e trace=newfstatat \
		"$CONTAINER" --root "$R0/dry" import "$src" dry >/dev/null
	n=$(grep -v ' +++ \| --- ' "$BATS_TEST_TMPDIR/dry" |
		grep -n 'newfstatat([0-9]*, "victim"' | head -1 | cut -d: -f1)
	[ -n "$n" ]
	strace -o "$BATS_TEST_TMPDIR/st" -e trace=newfstatat \
		-e inject=newfstatat:signal=SIGSTOP:when="$n" \
		"${C[@]}" import "$src" swapped >"$BATS_TEST_TMPDIR/out" 2>&1 &
	st=$!
	imp=$(traced "$st" container)
	COMMIT_PID=$imp # the teardown ends it if it hangs
	wait_for sigstopped "$BATS_TEST_TMPDIR/st"
	rm "$src/victim"
	mkfifo "$src/victim"
	kill -CONT "$imp"
	wait_for eval '! kill -0 "$imp" 2>/dev/null'
	wait_status "$st" 125
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "container: copy /victim: it changed while copied (no longer the regular file first looked at)" ]
	[ -z "$(ls -A "$R/images/tmp")" ]
	[ -z "$("${C[@]}" images -q)" ]
}

# diff reads layers that containers wrote, on the host. A symlink there
# names a path inside the container; followed on the host, it is the
# host's. Here an image's /x is a symlink to a dir of the host's (the
# test's), and a container deletes it and makes /x a dir again: an opaque
# dir, which made diff list what the lower /x "hid", the host dir's files
# ("D /x/marker"), and tell by a copy's C or A that a host file exists.
@test "10-full image: diff follows no symlink of a lower layer: an image's /x -> a host dir, made a dir again in the container, lists none of the host dir's files and tells none exists" {
	host=$BATS_TEST_TMPDIR/host
	mkdir "$host"
	touch "$host/marker" "$host/probe"
	base >/dev/null
	"${C[@]}" run --name l base ln -s "$host" /x
	"${C[@]}" commit l linked >/dev/null
	"${C[@]}" run --name c linked sh -c 'rm /x && mkdir /x && touch /x/probe'
	run -0 "${C[@]}" diff c
	[[ "$output" != *marker* ]]
	[ "$output" = "$(printf 'C /x\nA /x/probe')" ]
}

# The container's own layer: a symlink to a host dir is an entry, never a
# dir to list; and a dir that the container swaps for such a symlink
# after diff looked at it (strace holds diff right after that fstatat: a
# dry run tells which of its fstatat calls it is, their order does not
# change) is not entered either.
@test "10-full image: diff follows no symlink of the container's layer: a symlink to a host dir is listed, nothing under it, even one swapped in for a dir as diff looks at it" {
	need_strace
	host=$BATS_TEST_TMPDIR/host
	mkdir "$host"
	touch "$host/marker"
	base >/dev/null
	id=$("${C[@]}" run -d base sh -c "mkdir -p /x/swap && ln -s $host /x/link &&
		touch /ready && exec sleep 1000")
	wait_for test -e "$R/containers/$id/upper/ready"
	run -0 "${C[@]}" diff "$id"
	[ "$output" = "$(printf 'A /ready\nA /x\nA /x/link\nA /x/swap')" ]
	strace -o "$BATS_TEST_TMPDIR/dry" -e trace=newfstatat \
		"${C[@]}" diff "$id" >/dev/null
	n=$(grep -v ' +++ \| --- ' "$BATS_TEST_TMPDIR/dry" |
		grep -n 'newfstatat([^,]*, "\([^"]*/\)\{0,1\}swap"' | head -1 | cut -d: -f1)
	[ -n "$n" ]
	strace -o "$BATS_TEST_TMPDIR/st" -e trace=newfstatat \
		-e inject=newfstatat:signal=SIGSTOP:when="$n" \
		"${C[@]}" diff "$id" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	st=$!
	diff=$(traced "$st" container)
	COMMIT_PID=$diff # the teardown ends it if it hangs
	wait_for sigstopped "$BATS_TEST_TMPDIR/st"
	# Root in the container swaps its dir for a symlink to the host's.
	"${C[@]}" exec "$id" sh -c "mv /x/swap /x/old && ln -s $host /x/swap"
	kill -CONT "$diff"
	wait_status "$st" 0
	out=$(cat "$BATS_TEST_TMPDIR/out")
	[[ "$out" != *marker* ]]
	grep -qx "A /x/swap" <<<"$out"
	"${C[@]}" stop -t 0 "$id"
}

# What an image's config says is its maker's: printed raw, an ESC
# sequence in it would clear the terminal of whoever runs history, or set
# its title. history shows it as ps shows a command: escaped.
@test "10-full image: history shows a config's control bytes escaped, as ps shows a command's: no ESC or BEL reaches the terminal" {
	base >/dev/null
	hand_image evil base:latest 1 '{}' \
		'[{"created":"2026-01-01T00:00:00Z","created_by":"a\n\u001b[2Jb","comment":"c\u001b]0;x\u0007"}]'
	run -0 "${C[@]}" history evil
	[[ "$output" != *$'\e'* && "$output" != *$'\a'* ]]
	[[ "$output" == *' a \x1b[2Jb '*'c\x1b]0;x\x07'* ]]
}

# The names of a container's files are its own: an ESC sequence in one
# would drive the terminal of whoever runs diff, a newline would make a
# line of diff's own. diff shows them escaped as ps does, a backslash too
# (or "\x1b" could be a name's four characters or one ESC).
@test "10-full image: diff shows a file name's control bytes escaped, a backslash too: no ESC reaches the terminal, a newline makes no line" {
	base >/dev/null
	"${C[@]}" run --name c base sh -c \
		'touch "$(printf "/\033]0;pwned\007\033[2J")" "$(printf "/n\nD y")" "/b\x1b"'
	run -0 "${C[@]}" diff c
	[[ "$output" != *$'\e'* && "$output" != *$'\a'* ]]
	[ "$output" = 'A /\x1b]0;pwned\x07\x1b[2J
A /b\\x1b
A /n\nD y' ]
}

@test "10-full image: a config string holding a NUL (User \"0\\u0000x\", an Env entry) is refused in one line (125), not cut short at it (root)" {
	base >/dev/null
	hand_image nuluser base:latest 0 '{"User":"0\u0000x"}'
	run -125 "${C[@]}" run --rm nuluser id -u
	[ "$output" = "container: the image's User is not a string we can use (too long, or a NUL inside)" ]
	hand_image nulenv base:latest 0 '{"Env":["A=b\u0000c"]}'
	run -125 "${C[@]}" run --rm nulenv true
	[ "$output" = "container: the image's Entrypoint, Cmd or Env is too long, or holds a NUL" ]
	# The control: the same User without its NUL tail is taken as given.
	hand_image user0 base:latest 0 '{"User":"0"}'
	run -0 "${C[@]}" run --rm user0 id -u
	[ "$output" = 0 ]
}

@test "10-full image: a commit killed with -9 right after it moved its layer into the store leaves a layer no config names; the next verb that takes the store's lock removes it" {
	need_strace
	base >/dev/null
	"${C[@]}" run --name w base sh -c 'echo x >/f'
	before=$(ls "$R/images/layers")
	# Held by strace right after its first rename: the layer's, from
	# tmp/ into layers/; the config's comes next.
	strace -f -o "$BATS_TEST_TMPDIR/st" -e trace=rename \
		-e inject=rename:delay_exit=30000000:when=1 \
		"${C[@]}" commit w snap >/dev/null 2>&1 &
	st=$!
	wait_long grep -qs DELAYED "$BATS_TEST_TMPDIR/st"
	pid=$(awk '/DELAYED/ { print $1; exit }' "$BATS_TEST_TMPDIR/st")
	grep -q "rename(\"$R/images/tmp/layer\..*\", \"$R/images/layers/" "$BATS_TEST_TMPDIR/st"
	kill -KILL "$pid"
	kill -KILL "$st"
	wait "$st" || true
	wait_for eval "! grep -qs '^State:.[^ZX]' /proc/$pid/status"
	orphan=$(comm -13 <(echo "$before") <(ls "$R/images/layers"))
	echo "left: $orphan"
	[ -n "$orphan" ]
	[ "$("${C[@]}" images | wc -l)" -eq 2 ] # base only: no config names it
	# The next verb that takes the lock (this import shares base's layer).
	"${C[@]}" import "$RFS" other >/dev/null
	[ ! -e "$R/images/layers/$orphan" ]
	[ -e "$R/images/layers/$before" ]
	"${C[@]}" rm w >/dev/null
}
