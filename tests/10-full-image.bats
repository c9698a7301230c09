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
	R="$BATS_TEST_TMPDIR/root"
	C=("$CONTAINER" --root "$R")
}

# What the test did not remove itself is removed (container.bash).
teardown() {
	container_rm_teardown
}

# Every file below $1, one line each: path, type, mode, owner, size,
# mtime, link target, and the bytes' hash for a file.
checksums() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %T@ %l\n' | sort &&
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
# N more on top (each holds a file /layerK), and config.Config CONFIG.
# As load would make it; the store's format is image.h's.
hand_image() {
	local name=$1 base=$2 n=$3 config=${4:-'{}'} ids chain diff dir hex i
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
	printf '{"architecture":"amd64","os":"linux","config":%s,"created":"2026-01-01T00:00:00Z","rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$config" "$ids" >"$BATS_TEST_TMPDIR/config"
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
	[[ "${lines[1]}" =~ ^base\ +latest\ +${id:0:12}\ +(Less\ than\ a\ second|[0-9]+\ seconds)\ ago\ +1[0-9.]+MB$ ]]
	[ "$("${C[@]}" images -q)" = "${id:0:12}" ]
	run "${C[@]}" history base:latest
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^IMAGE\ +CREATED\ +CREATED\ BY\ +SIZE\ +COMMENT$ ]]
	[[ "${lines[1]}" =~ ^${id:0:12}\ +.*\ ago\ +container\ import\ .*rootfs\ +1[0-9.]+MB ]]
	[ "${#lines[@]}" -eq 2 ]
	# Importing again shares the layer: same tree, same DiffID.
	base base:two
	[ "$(ls "$R/images/layers" | wc -l)" -eq 1 ]
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
