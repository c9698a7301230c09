#!/usr/bin/env bats
# 10-full: images in and out as archives. import TARFILE makes a
# one-layer image of a tar; save writes docker save's tar (the OCI layout
# of Docker 25+, with manifest.json); load reads it and the older layout,
# gzip'd layers, an index of several platforms, and checks every digest;
# bad archives are refused whole. The tests make their own archives, in
# the shapes docker writes (no docker, no network). Each test keeps its
# images in a data root of its own (--root).

load helpers
load container
bats_require_minimum_version 1.5.0

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	container_setup
	# On disk (/var/tmp), as a data root is: the layers carry user.*
	# xattrs, which a tmpfs /tmp before Linux 6.6 cannot hold.
	T=$(mktemp -d /var/tmp/lesson-save.XXXXXX)
	R="$T/root"
	C=("$CONTAINER" --root "$R")
	case $(uname -m) in
	x86_64) ARCH=amd64 OTHER=arm64 ;;
	aarch64) ARCH=arm64 OTHER=amd64 ;;
	*) skip "no GOARCH name here for $(uname -m)" ;;
	esac
}

teardown() {
	container_rm_teardown
	case ${T:-} in /var/tmp/lesson-save.*) rm -rf "$T" ;; esac
}

# Every file below $1, one line each: path, type, mode, owner, size,
# mtime, link target, device numbers, xattrs, and the bytes' hash.
tree() {
	(cd "$1" && find . -mindepth 1 -printf '%p %y %m %U:%G %s %T@ %l\n' | sort |
		while read -r f rest; do
			[ "${rest:0:1}" = f ] && rest="$rest $(sha256sum <"$f" | cut -c1-16)"
			[ "${rest:0:1}" = c ] && rest="$rest $(stat -c %t,%T "$f")"
			echo "$f $rest $(getx "$f")"
		done)
}

# The xattrs of a file, sorted, on one line (no getfattr needed: the
# archive test's driver lists them).
getx() {
	"$BATS_FILE_TMPDIR/archive" xattr "$1" | tr '\n' ' '
}

setup_file() {
	make -C "$ROOT/10-full" >&2
	full_build
	local o=$ROOT/10-full/$FULL_OBJ
	$FULL_CC -std=gnu11 -O2 -o "$BATS_FILE_TMPDIR/archive" \
		"$BATS_TEST_DIRNAME/10-full-archive.c" "$o"/sha256.o "$o"/sha256_ni.o \
		"$o"/tar_write.o "$o"/tar_read.o \
		"$o"/tar_pax.o "$o"/layer_pack.o "$o"/linkmap.o \
		"$o"/layer_xattr.o \
		"$o"/layer_unpack.o "$o"/layer_walk.o \
		"$o"/inflate.o "$o"/gunzip.o
}

# A layer tree with what a layer carries (dir $1): a file of another
# owner with an xattr and nanoseconds, a hard link, a symlink, the OCI
# whiteout of /etc/hostname, an opaque /mnt with one new file, and a
# read-only dir with a file in it.
# The layer that upper_layer made, in the layer dir $1 (ls -t would
# tie: before Linux 6.13, ext4 stamps times by the clock tick, and on a
# slow machine both layers of a load come within one).
upper_of() {
	local l
	for l in "$1"/*; do
		[ ! -f "$l/diff/hello" ] || echo "${l##*/}"
	done
}

upper_layer() {
	mkdir -p "$1/etc" "$1/mnt" "$1/data" "$1/ro"
	echo x >"$1/ro/f"
	chmod 555 "$1/ro"
	echo hello >"$1/hello"
	chown 1234:5678 "$1/hello"
	chmod 0640 "$1/hello"
	"$BATS_FILE_TMPDIR/archive" xattr "$1/hello" user.note hi
	touch -d '2021-02-03 04:05:06.123456789' "$1/hello"
	ln "$1/hello" "$1/data/hard"
	ln -s ../hello "$1/data/sym"
	: >"$1/etc/.wh.hostname"
	: >"$1/mnt/.wh..wh..opq"
	echo new >"$1/mnt/new"
}

# blob FILE: moves FILE to $O/blobs/sha256/<its sha256>, prints the hex.
blob() {
	local h
	h=$(sha256sum <"$1" | cut -c1-64)
	mkdir -p "$O/blobs/sha256"
	mv "$1" "$O/blobs/sha256/$h"
	echo "$h"
}

# docker25 OUT NAME:TAG CMD DIR...: the tar `docker save` of Docker 25+
# writes with its containerd image store, for an image of the layer trees
# DIR... (bottom first; a file is a layer tar as it is): an OCI layout, gzip'd layers, index.json naming
# an image index of this machine's platform, another one and an
# attestation (the last two's blobs absent, as docker leaves them), and
# manifest.json. $O is left as the layout's dir.
docker25() {
	local out=$1 name=$2 cmd=$3 d diffs='' layers='' mlayers='' h ch mh ih
	shift 3
	O=$(mktemp -d "$T/oci.XXXX")
	for d; do
		if [ -f "$d" ]; then
			cp "$d" "$O/l.tar"
		else
			tar --format=pax --xattrs --xattrs-include='*' -C "$d" -cf "$O/l.tar" .
		fi
		diffs+="${diffs:+,}\"sha256:$(sha256sum <"$O/l.tar" | cut -c1-64)\""
		gzip -n "$O/l.tar"
		local size
		size=$(stat -c %s "$O/l.tar.gz")
		h=$(blob "$O/l.tar.gz")
		layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$h\",\"size\":$size}"
		mlayers+="${mlayers:+,}\"blobs/sha256/$h\""
	done
	printf '{"architecture":"%s","config":{"Cmd":%s,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"WorkingDir":"/"},"created":"2024-06-20T17:43:40Z","history":[{"created":"2024-06-20T17:43:40Z","created_by":"/bin/sh -c #(nop) ADD file:0a0b in / "}],"os":"linux","rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$ARCH" "$cmd" "$diffs" >"$O/c"
	local csize msize isize
	csize=$(stat -c %s "$O/c")
	ch=$(blob "$O/c")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
		"$ch" "$csize" "$layers" >"$O/m"
	msize=$(stat -c %s "$O/m")
	mh=$(blob "$O/m")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1234,"platform":{"architecture":"%s","os":"linux","variant":"v8"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":566,"annotations":{"vnd.docker.reference.digest":"sha256:%s","vnd.docker.reference.type":"attestation-manifest"},"platform":{"architecture":"unknown","os":"unknown"}}]}' \
		"$mh" "$msize" "$ARCH" "$(echo other | sha256sum | cut -c1-64)" "$OTHER" \
		"$(echo att | sha256sum | cut -c1-64)" "$mh" >"$O/i"
	isize=$(stat -c %s "$O/i")
	ih=$(blob "$O/i")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"docker.io/library/%s","org.opencontainers.image.ref.name":"%s"}}]}\n' \
		"$ih" "$isize" "$name" "${name##*:}" >"$O/index.json"
	printf '[{"Config":"blobs/sha256/%s","RepoTags":["%s"],"Layers":[%s]}]\n' \
		"$ch" "$name" "$mlayers" >"$O/manifest.json"
	printf '{"imageLayoutVersion": "1.0.0"}\n' >"$O/oci-layout"
	tar -C "$O" -cf "$out" blobs index.json manifest.json oci-layout
}

# legacy OUT NAME:TAG DIR...: the tar docker save wrote before Docker 25:
# <id>/layer.tar (uncompressed, named by a v1 id that is no digest),
# <config sha256>.json, manifest.json, repositories. The bottom layer's
# layer.tar is a symlink to another dir's, as docker wrote a layer that
# two images of the archive share.
legacy() {
	local out=$1 name=$2 d diffs='' layers='' id ch
	shift 2
	O=$(mktemp -d "$T/legacy.XXXX")
	for d; do
		id=$(echo "v1 $d" | sha256sum | cut -c1-64)
		mkdir "$O/$id"
		tar --format=pax --xattrs --xattrs-include='*' -C "$d" -cf "$O/$id/layer.tar" .
		echo 1.0 >"$O/$id/VERSION"
		echo "{\"id\":\"$id\"}" >"$O/$id/json"
		diffs+="${diffs:+,}\"sha256:$(sha256sum <"$O/$id/layer.tar" | cut -c1-64)\""
		if [ -z "$layers" ]; then
			mkdir "$O/shared"
			mv "$O/$id/layer.tar" "$O/shared/layer.tar"
			ln -s ../shared/layer.tar "$O/$id/layer.tar"
		fi
		layers+="${layers:+,}\"$id/layer.tar\""
	done
	printf '{"architecture":"%s","config":{"Cmd":["/bin/sh"]},"created":"2020-01-01T00:00:00Z","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$ARCH" "$diffs" >"$O/c"
	ch=$(sha256sum <"$O/c" | cut -c1-64)
	mv "$O/c" "$O/$ch.json"
	printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":[%s]}]' "$ch" "$name" "$layers" >"$O/manifest.json"
	printf '{"%s":{"%s":"%s"}}' "${name%%:*}" "${name##*:}" "$id" >"$O/repositories"
	tar -C "$O" -cf "$out" .
}

# The store holds no image, no layer, nothing half-made.
store_empty() {
	[ -z "$("${C[@]}" images -q)" ]
	[ -z "$(ls -A "$R/images/layers")" ]
	[ -z "$(ls -A "$R/images/tmp")" ]
}

@test "import TARFILE: a tar (plain, gzip'd, on stdin) is a one-layer image; the same tree as a directory gives the same layer" {
	"${C[@]}" import "$RFS" fromdir
	tar --format=posix --xattrs -C "$RFS" -cf "$T/rootfs.tar" .
	"${C[@]}" import "$T/rootfs.tar" fromtar
	[ "$(ls "$R/images/layers" | wc -l)" -eq 1 ]
	gzip -c "$T/rootfs.tar" >"$T/rootfs.tgz"
	"${C[@]}" import "$T/rootfs.tgz" fromtgz
	"${C[@]}" import - fromstdin <"$T/rootfs.tar"
	[ "$(ls "$R/images/layers" | wc -l)" -eq 1 ]
	run "${C[@]}" run --rm fromtgz /bin/sh -c 'echo ran; cat /etc/hostname'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = ran ]
}

@test "import TARFILE: an entry with '..' or through a symlink exits 125 with one line; no image, no layer, nothing outside" {
	mkdir -p "$T/src" "$T/outside"
	echo x >"$T/src/f"
	tar -cPf "$T/dots.tar" -C "$T/src" --transform="s,^f\$,../../outside/pwned," f
	run -125 "${C[@]}" import "$T/dots.tar" bad
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" =~ "'..' (refused)" ]]
	ln -s "$T/outside" "$T/src/s"
	tar -cf "$T/sym.tar" -C "$T/src" s f --transform='s,^f$,s/pwned,'
	run -125 "${C[@]}" import "$T/sym.tar" bad
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" =~ "symlink" ]]
	[ -z "$(ls -A "$T/outside")" ]
	store_empty
}

# The zeros after a tar's end are read too, so that the DiffID covers
# every byte; gzip holds ~1000 times its size in zeros, and a bomb after
# the end blocks (a fuzzer's: 2 MB, 2 GiB to inflate and hash) kept
# load and import busy for as long. GNU tar pads to 10 KiB; more than
# 1 MiB is refused. GNU tar's own output is the control.
@test "import TARFILE: a gzip'd tar with 8 MiB of zeros after its end (a compressed bomb) exits 125 with one line; no image" {
	mkdir -p "$T/src"
	echo x >"$T/src/f"
	{ tar -cf - -C "$T/src" f; head -c 8M /dev/zero; } | gzip -1 >"$T/bomb.tar.gz"
	run -125 "${C[@]}" import "$T/bomb.tar.gz" bomb
	echo "$output"
	[ "$output" = "container: layer: more than 1048576 bytes after the tar's end (a compressed bomb?)" ]
	store_empty
	tar -cf - -C "$T/src" f | gzip -1 >"$T/ok.tar.gz"
	run -0 "${C[@]}" import "$T/ok.tar.gz" ok
}

@test "save then load gives back the same image: its id, each layer's tree (owners, modes, times, xattrs, whiteouts, opaque dirs), its digests" {
	mkdir "$T/up"
	upper_layer "$T/up"
	legacy "$T/in.tar" two:layers "$RFS" "$T/up"
	run "${C[@]}" load -i "$T/in.tar"
	[ "$output" = "Loaded image: two:layers" ]
	# The older layout's whiteouts became overlay's.
	L=$(upper_of "$R/images/layers")
	[ "$(stat -c '%F %t,%T' "$R/images/layers/$L/diff/etc/hostname")" = "character special file 0,0" ]
	[ "$(getx "$R/images/layers/$L/diff/mnt")" = "trusted.overlay.opaque=y " ]
	"${C[@]}" save two:layers -o "$T/saved.tar"
	R2="$T/root2"
	run "$CONTAINER" --root "$R2" load -i "$T/saved.tar"
	[ "$output" = "Loaded image: two:layers" ]
	[ "$(ls "$R/images/configs")" = "$(ls "$R2/images/configs")" ]
	[ "$(ls "$R/images/layers")" = "$(ls "$R2/images/layers")" ]
	for l in $(ls "$R/images/layers"); do
		diff <(tree "$R/images/layers/$l/diff") <(tree "$R2/images/layers/$l/diff")
	done
	# The layers are the blobs they came as: their digests are the diff_ids
	# of the original archive's config (the older layout has no others).
	tar -xOf "$T/saved.tar" manifest.json >"$T/m.json"
	for d in $(grep -o 'sha256:[0-9a-f]*' "$O"/*.json | cut -d: -f3); do
		tar -tf "$T/saved.tar" | grep -qx "blobs/sha256/$d"
	done
	# Saving again gives the same bytes.
	"$CONTAINER" --root "$R2" save two:layers -o "$T/again.tar"
	cmp "$T/saved.tar" "$T/again.tar"
	# It runs, its whiteouts hide what they hide.
	run "${C[@]}" run --rm two:layers /bin/sh -c 'cat /hello; ls /mnt; ls /etc/hostname'
	echo "$output"
	[ "${lines[0]}" = hello ]
	[ "${lines[1]}" = new ]
}

@test "save -o FILE, -oFILE, --output=FILE and load -i FILE, -iFILE, --input=FILE all name the file, as docker's do" {
	"${C[@]}" import "$RFS" base:1
	"${C[@]}" save -o "$T/a.tar" base:1
	"${C[@]}" save "-o$T/b.tar" base:1
	"${C[@]}" save base:1 "--output=$T/c.tar"
	cmp "$T/a.tar" "$T/b.tar"
	cmp "$T/a.tar" "$T/c.tar"
	for form in "-i $T/a.tar" "-i$T/a.tar" "--input=$T/a.tar"; do
		"${C[@]}" rmi base:1 >/dev/null
		run -0 "${C[@]}" load $form
		[ "$output" = "Loaded image: base:1" ]
	done
}

@test "save of an image made here: GNU tar reads it; load gives the same id; its layer digests are its diff_ids" {
	"${C[@]}" import "$RFS" base:1
	"${C[@]}" save base:1 >"$T/base.tar"
	tar -tf "$T/base.tar" >"$T/names"
	grep -x index.json "$T/names"
	grep -x manifest.json "$T/names"
	grep -x oci-layout "$T/names"
	id=$(cut -d: -f2 <<<"$(tar -xOf "$T/base.tar" manifest.json | grep -o '"Config":"blobs/sha256/[0-9a-f]*' | cut -d/ -f3)")
	# The layer blob is a layer tar GNU tar reads, named by its sha256,
	# which is the diff_id in the config.
	diff_id=$(tar -xOf "$T/base.tar" "blobs/sha256/$id" | grep -o '"diff_ids":\["sha256:[0-9a-f]*' | cut -d: -f3)
	[ "$(tar -xOf "$T/base.tar" "blobs/sha256/$diff_id" | sha256sum | cut -c1-64)" = "$diff_id" ]
	tar -xOf "$T/base.tar" "blobs/sha256/$diff_id" | tar -t | grep -x 'bin'
	R2="$T/root2"
	run "$CONTAINER" --root "$R2" load <"$T/base.tar"
	[ "$output" = "Loaded image: base:1" ]
	ls "$R2/images/configs/$id"
	cmp "$R/images/configs/$id" "$R2/images/configs/$id"
	# And through a pipe (stdin that cannot seek).
	R3="$T/root3"
	cat "$T/base.tar" | "$CONTAINER" --root "$R3" load
	ls "$R3/images/configs/$id"
	# Two images that share their layer: the blob is written once.
	"${C[@]}" import "$RFS" base:2 >/dev/null
	"${C[@]}" save base:1 base:2 -o "$T/two.tar"
	[ "$(tar -tf "$T/two.tar" | grep -c "^blobs/sha256/$diff_id\$")" -eq 1 ]
	run "$CONTAINER" --root "$T/root4" load -i "$T/two.tar"
	[ "$output" = "$(printf 'Loaded image: base:1\nLoaded image: base:2')" ]
}

@test "load: a symlink inside the archive is followed only to another entry of it, never to the host's files" {
	mkdir "$T/up"
	upper_layer "$T/up"
	legacy "$T/ok.tar" one:1 "$T/up"
	run "${C[@]}" load -i "$T/ok.tar"
	[ "$output" = "Loaded image: one:1" ]
	# The shared layer.tar now points out of the archive, at a host tar.
	tar -cf "$T/host.tar" -C "$T/up" .
	ln -sfn "$T/host.tar" "$O/shared/layer.tar"
	tar -C "$O" -cf "$T/abs.tar" .
	R="$T/root-abs" C=("$CONTAINER" --root "$R")
	refused_load "$T/abs.tar" "names the layer .*, which is not in the archive"
	ln -sfn ../../../../../../../../..$T/host.tar "$O/shared/layer.tar"
	tar -C "$O" -cf "$T/dots.tar" .
	refused_load "$T/dots.tar" "names the layer .*, which is not in the archive"
}

@test "load: the shape Docker 25+ writes (OCI layout, gzip'd layers, an index with two platforms and an attestation, blobs of one) loads and runs" {
	mkdir "$T/up"
	upper_layer "$T/up"
	docker25 "$T/alpine.tar" alpine:3.20 '["/bin/sh","-c","cat /hello; ls /mnt"]' "$RFS" "$T/up"
	run "${C[@]}" load -i "$T/alpine.tar"
	echo "$output"
	[ "$output" = "Loaded image: alpine:3.20" ]
	run "${C[@]}" run --rm alpine:3.20
	echo "$output"
	[ "${lines[0]}" = hello ]
	[ "${lines[1]}" = new ]
	# save writes the gzip'd blobs back as they came: the same digests.
	"${C[@]}" save alpine:3.20 -o "$T/back.tar"
	for b in $(ls "$O/blobs/sha256"); do
		if tar -tf "$T/back.tar" | grep -qx "blobs/sha256/$b"; then
			cmp <(tar -xOf "$T/back.tar" "blobs/sha256/$b") "$O/blobs/sha256/$b"
		fi
	done
	for l in $(tar -xOf "$T/alpine.tar" manifest.json | grep -o 'blobs/sha256/[0-9a-f]*'); do
		tar -tf "$T/back.tar" | grep -qx "$l"
	done
}

# refused_load ARCHIVE PATTERN: load exits 125 with one line matching
# PATTERN, and the store is left empty.
refused_load() {
	run -125 "${C[@]}" load -i "$1"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" =~ $2 ]]
	store_empty
}

@test "load: a missing blob, a digest that does not match, zstd, another machine's image, a bad layer, a truncated archive: 125, one line, no image" {
	mkdir "$T/up" "$T/outside"
	upper_layer "$T/up"
	docker25 "$T/good.tar" x:1 '["/bin/true"]' "$T/up"
	L=$(grep -o '"Layers":\["blobs/sha256/[0-9a-f]*' "$O/manifest.json" | cut -d'"' -f4)
	# A manifest naming a layer that is not there.
	tar -C "$O" -cf "$T/missing.tar" --exclude="$L" blobs index.json manifest.json oci-layout
	refused_load "$T/missing.tar" "names the layer $L, which is not in the archive"
	# A layer whose bytes are not its digest (another gzip'd tar put there).
	cp "$O/$L" "$T/keep"
	echo junk | gzip -c >"$T/j" && tar -cf "$T/j.tar" -C "$T" j && gzip -c "$T/j.tar" >"$O/$L"
	tar -C "$O" -cf "$T/digest.tar" blobs index.json manifest.json oci-layout
	refused_load "$T/digest.tar" "its digest is sha256:[0-9a-f]+, its DiffID .*damaged"
	# A zstd layer (Docker can write them): refused, saying so.
	if command -v zstd >/dev/null; then
		gzip -dc "$T/keep" | zstd -q -c >"$O/$L"
		tar -C "$O" -cf "$T/zstd.tar" blobs index.json manifest.json oci-layout
		refused_load "$T/zstd.tar" "zstd-compressed layer: not supported"
	fi
	cp "$T/keep" "$O/$L"
	# The config changed: its digest no longer matches.
	C1=$(grep -o '"Config":"blobs/sha256/[0-9a-f]*' "$O/manifest.json" | cut -d'"' -f4)
	cp "$O/$C1" "$T/config" && sed -i 's/true/false/' "$O/$C1"
	tar -C "$O" -cf "$T/config.tar" blobs index.json manifest.json oci-layout
	refused_load "$T/config.tar" "the archive is damaged"
	cp "$T/config" "$O/$C1"
	# Only another machine's image.
	sed -i "s/\"architecture\":\"$ARCH\"/\"architecture\":\"s390x\"/" "$O/blobs/sha256/"*
	mkdir "$T/o2" && cp -r "$O"/* "$T/o2"
	I=$(grep -o 'sha256:[0-9a-f]*' "$O/index.json" | cut -d: -f2)
	# (the index changed, so it has a new digest: rename it, fix index.json)
	for f in "$T/o2/blobs/sha256/"*; do
		if grep -q '"manifests"' "$f"; then
			n=$(sha256sum <"$f" | cut -c1-64)
			mv "$f" "$T/o2/blobs/sha256/$n"
			s=$(stat -c %s "$T/o2/blobs/sha256/$n")
			sed -i "s/$I/$n/; s/\"size\":[0-9]*,\"annotations\"/\"size\":$s,\"annotations\"/" "$T/o2/index.json"
		fi
	done
	tar -C "$T/o2" -cf "$T/arch.tar" blobs index.json manifest.json oci-layout
	refused_load "$T/arch.tar" "no image for linux/$ARCH in the archive \(it has: linux/s390x, linux/$OTHER\)"
	# A layer with an entry through a symlink, its digests all right.
	mkdir -p "$T/evil/t" && ln -s "$T/outside" "$T/evil/s" && echo x >"$T/evil/t/pwned"
	tar -cf "$T/evil.tar" -C "$T/evil" s t/pwned --transform='s,^t/,s/,'
	docker25 "$T/evil-image.tar" evil:1 '["/bin/true"]' "$T/evil.tar"
	refused_load "$T/evil-image.tar" "s: .*symlink"
	[ -z "$(ls -A "$T/outside")" ]
	# A truncated archive.
	head -c 5000 "$T/good.tar" >"$T/cut.tar"
	refused_load "$T/cut.tar" "tar: truncated"
	head -c 5000 /dev/urandom >"$T/random.tar"
	refused_load "$T/random.tar" "bad checksum at byte 0 \(not a tar"
	# The good one loads.
	run "${C[@]}" load -i "$T/good.tar"
	[ "$output" = "Loaded image: x:1" ]
}

@test "commit, save, load: the committed layer comes back (a deletion, a dir deleted and made again), with the same id" {
	"${C[@]}" import "$RFS" base
	"${C[@]}" run --name c1 base sh -c 'echo made >/new && rm /etc/group && rm -r /usr/sbin && mkdir /usr/sbin && echo again >/usr/sbin/x'
	"${C[@]}" commit c1 next:1 >/dev/null
	"${C[@]}" rm c1
	"${C[@]}" save next:1 -o "$T/next.tar"
	R2="$T/root2"
	run "$CONTAINER" --root "$R2" load -i "$T/next.tar"
	[ "$output" = "Loaded image: next:1" ]
	cid=$(tar -xOf "$T/next.tar" manifest.json | grep -o '"Config":"blobs/sha256/[0-9a-f]*' | cut -d/ -f3)
	cmp "$R/images/configs/$cid" "$R2/images/configs/$cid"
	[ "$(ls "$R/images/layers")" = "$(ls "$R2/images/layers")" ]
	for l in $(ls "$R/images/layers"); do
		diff <(tree "$R/images/layers/$l/diff") <(tree "$R2/images/layers/$l/diff")
	done
	# The layer tar has the OCI names of the deletions.
	L=$(tar -xOf "$T/next.tar" manifest.json | grep -o 'blobs/sha256/[0-9a-f]*"\]' | cut -d'"' -f1)
	tar -xOf "$T/next.tar" "$L" | tar -t >"$T/names"
	grep -x 'etc/.wh.group' "$T/names"
	grep -x 'usr/sbin/.wh..wh..opq' "$T/names"
	run "$CONTAINER" --root "$R2" run --rm next:1 sh -c 'cat /new; ls /usr/sbin; test -e /etc/group || echo no-group'
	[ "$output" = "$(printf 'made\nx\nno-group')" ]
}

# The DiffID commit computes (sha256_ni.c's hash where the CPU has the
# SHA instructions) and the tar size it keeps for save (layer.json's
# tar_size) against the layer tar save writes, held up to sha256sum and
# wc: files of lengths around the hash's blocks and the pack's 128 KiB
# buffer, 300 names in one dir, a hard link, a symlink, a deletion.
@test "commit: the layer's DiffID is sha256sum's of the layer tar save writes, and the tar size commit kept is that tar's" {
	"${C[@]}" import "$RFS" base
	"${C[@]}" run --name c1 base sh -c 'mkdir /d && for i in $(seq 300); do echo $i >/d/f$i; done &&
		for n in 1 55 64 65 131071 131072 131073 1048583; do head -c $n /dev/urandom >/d/r$n; done &&
		ln /d/r65 /hard && ln -s d/r1 /sym && rm /etc/group'
	"${C[@]}" commit c1 next:1 >/dev/null
	"${C[@]}" save next:1 -o "$T/next.tar"
	cid=$(tar -xOf "$T/next.tar" manifest.json | grep -o '"Config":"blobs/sha256/[0-9a-f]*' | cut -d/ -f3)
	diff_id=$(tar -xOf "$T/next.tar" "blobs/sha256/$cid" | grep -o 'sha256:[0-9a-f]*"\]' | cut -c8-71)
	[ ${#diff_id} -eq 64 ]
	tar -xOf "$T/next.tar" "blobs/sha256/$diff_id" >"$T/layer.tar"
	[ "$(sha256sum <"$T/layer.tar" | cut -c1-64)" = "$diff_id" ]
	tar -tf "$T/layer.tar" | grep -x d/f300
	grep -q "\"diff_id\": \"sha256:$diff_id\", .*\"tar_size\": $(stat -c %s "$T/layer.tar")}" "$R"/images/layers/*/layer.json
}

@test "rootless: a user loads docker's archive into their own store and runs it; every file of the layers is the user's; what they save has root's ids" {
	container=$(for_nobody "$CONTAINER")
	home=$(mktemp -d /var/tmp/container-test-home.XXXXXX)
	chown 65534:65534 "$home"
	mkdir "$T/up"
	upper_layer "$T/up"
	docker25 "$home/alpine.tar" alpine:3.20 '["/bin/sh","-c","cat /hello; ls /mnt"]' "$RFS" "$T/up"
	chmod 644 "$home/alpine.tar"
	N=("${AS_NOBODY[@]}" XDG_DATA_HOME="$home" "$container")
	run "${N[@]}" load -i "$home/alpine.tar"
	echo "$output"
	[ "$output" = "Loaded image: alpine:3.20" ]
	store=$home/lesson-container/images
	[ -z "$(find "$store/layers" ! -uid 65534)" ]
	L=$(upper_of "$store/layers")
	[ "$(getx "$store/layers/$L/diff/mnt")" = "user.overlay.opaque=y " ]
	[ "$(stat -c %a "$store/layers/$L/diff/ro")" = 555 ]
	run "${N[@]}" run --rm alpine:3.20
	echo "$output"
	[ "$output" = "$(printf 'hello\nnew')" ]
	# A layer the user makes is saved with root's ids (what their
	# container sees), not theirs: root who loads it gets root's files.
	tar -C "$T/up" -cf "$home/up.tar" .
	"${N[@]}" import "$home/up.tar" up >/dev/null
	"${N[@]}" save up -o "$home/up-saved.tar"
	L=$(tar -xOf "$home/up-saved.tar" manifest.json | grep -o 'blobs/sha256/[0-9a-f]*"\]' | cut -d'"' -f1)
	tar -xOf "$home/up-saved.tar" "$L" | tar --numeric-owner -tv >"$T/owners"
	cat "$T/owners"
	[ -z "$(grep -v ' 0/0 ' "$T/owners")" ]
	rm -rf "$home"
}

@test "save -o: the file appears whole or not at all; a save killed halfway (Ctrl-C, kill -9) leaves no file, no temp file, and an older FILE as it was" {
	need_strace
	# A Ctrl-C comes to a command of the terminal's foreground, whose
	# SIGINT is at its default. A background job of a script starts
	# with SIGINT ignored (as this suite is, when a script starts it
	# with `&`), and a save that inherits that goes on to the end,
	# rightly: it exited 0 here. So save gets the default, as a Ctrl-C
	# would find it.
	local dflt=(env --default-signal=INT)
	env --default-signal=INT true 2>/dev/null || dflt=() # coreutils < 8.31
	"${C[@]}" import "$RFS" base >/dev/null
	mkdir "$T/out"
	for sig in SIGINT SIGKILL; do
		if [ $sig = SIGINT ] && [ ${#dflt[@]} -eq 0 ] &&
			[ $(($(awk '/^SigIgn:/ { print "0x" $2 }' /proc/self/status) & 2)) -ne 0 ]; then
			echo "# SIGINT is ignored here, and env cannot restore it: only SIGKILL" >&3
			continue
		fi
		run strace -f -o "$T/trace" -e inject=write:signal=$sig:when=5 \
			"${dflt[@]}" "${C[@]}" save base -o "$T/out/base.tar"
		echo "$sig: status $status: $output"
		[ "$status" -ne 0 ] || { grep -e write -e SIG "$T/trace" | head -20; false; }
		[ -z "$(ls -A "$T/out")" ]
	done
	echo old >"$T/out/base.tar"
	run strace -f -o /dev/null -e inject=write:signal=SIGKILL:when=5 \
		"${C[@]}" save base -o "$T/out/base.tar"
	[ "$(cat "$T/out/base.tar")" = old ]
	[ "$(ls -A "$T/out")" = base.tar ]
	"${C[@]}" save base -o "$T/out/base.tar"
	tar -tf "$T/out/base.tar" | grep -x index.json
	[ "$(ls -A "$T/out")" = base.tar ]
}

@test "save -o: anything but a regular file (a FIFO, a symlink) is refused with 125 and left as it was, as docker save does" {
	"${C[@]}" import "$RFS" base >/dev/null
	mkfifo "$T/fifo"
	ln -s "$T/elsewhere" "$T/link"
	for f in "$T/fifo" "$T/link"; do
		run -125 "${C[@]}" save base -o "$f"
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"is not a regular file"* ]]
	done
	[ -p "$T/fifo" ] && [ -L "$T/link" ] && [ ! -e "$T/elsewhere" ]
}

@test "load killed halfway (kill -9) leaves no image and no layer; what it left in tmp/ the next load removes" {
	need_strace
	mkdir "$T/up"
	upper_layer "$T/up"
	docker25 "$T/a.tar" a:1 '["/bin/true"]' "$RFS" "$T/up"
	run strace -f -o /dev/null -e inject=write:signal=SIGKILL:when=100 \
		"${C[@]}" load -i "$T/a.tar"
	[ "$status" -ne 0 ]
	[ -z "$("${C[@]}" images -q)" ]
	[ -z "$(ls -A "$R/images/layers")" ]
	[ -n "$(ls -A "$R/images/tmp")" ]
	run "${C[@]}" load -i "$T/a.tar"
	[ "$output" = "Loaded image: a:1" ]
	[ -z "$(ls -A "$R/images/tmp")" ]
}

# config_is FILE: the legacy archive in $O gets FILE as its config (named
# by its sha256, manifest.json pointing at it).
config_is() {
	local old new
	old=$(ls "$O" | grep -x '[0-9a-f]\{64\}\.json')
	new=$(sha256sum <"$1" | cut -c1-64)
	rm "$O/$old"
	cp "$1" "$O/$new.json"
	sed -i "s/$old/$new.json/; s/$new.json.json/$new.json/" "$O/manifest.json"
}

@test "load: a config that is not JSON (cut in the middle) is refused, 125, no image; an image whose StopSignal names no signal does not run" {
	mkdir "$T/up"
	echo hi >"$T/up/f"
	legacy "$T/ok.tar" ok:1 "$T/up"
	cfg=$(ls "$O" | grep -x '[0-9a-f]\{64\}\.json')
	head -c 100 "$O/$cfg" >"$T/cut.json"
	sed 's/"Cmd":\["\/bin\/sh"\]/"Cmd":["\/bin\/sh"],"StopSignal":"SIGFOO"/' "$O/$cfg" >"$T/sig.json"
	grep -q SIGFOO "$T/sig.json"
	config_is "$T/cut.json"
	tar -C "$O" -cf "$T/cut.tar" .
	run -125 "${C[@]}" load -i "$T/cut.tar"
	[[ "$output" == *"config is not a JSON object"* ]]
	[ -z "$("${C[@]}" images -q)" ]
	config_is "$T/sig.json"
	tar -C "$O" -cf "$T/sig.tar" .
	"${C[@]}" load -i "$T/sig.tar"
	run -125 "${C[@]}" run --rm ok:1 true
	[[ "$output" == *"StopSignal 'SIGFOO' names no signal"* ]]
}

@test "load, run: an image's User is who its command runs as, and who exec runs as; -u wins" {
	legacy "$T/ok.tar" u:1 "$RFS"
	cfg=$(ls "$O" | grep -x '[0-9a-f]\{64\}\.json')
	sed 's/"Cmd":\["\/bin\/sh"\]/"Cmd":["\/bin\/sh"],"User":"nobody"/' "$O/$cfg" >"$T/user.json"
	grep -q '"User":"nobody"' "$T/user.json"
	config_is "$T/user.json"
	tar -C "$O" -cf "$T/user.tar" .
	"${C[@]}" load -i "$T/user.tar"
	run -0 "${C[@]}" run --rm u:1 id -u
	[ "$output" = 65534 ]
	run -0 "${C[@]}" run --rm -u 0 u:1 id -u
	[ "$output" = 0 ]
	"${C[@]}" run -d --name uexec u:1 sleep 100
	run -0 "${C[@]}" exec uexec id -u
	[ "$output" = 65534 ]
	"${C[@]}" rm -f uexec
}

@test "load: a RepoTags name docker would not take (a '..' part, an empty one, a tag starting with '-', upper case, the repository sha256) stops the load: 125, one line, nothing stored" {
	mkdir -p "$T/up"
	echo x >"$T/up/f"
	for name in '../../../bad:1' 'ok/..:1' 'a//b:1' 'bad:-1' 'Bad:1' 'sha256:abc'; do
		legacy "$T/bad.tar" "$name" "$T/up"
		run -125 "${C[@]}" load -i "$T/bad.tar"
		echo "$name: $output"
		[ "${#lines[@]}" -eq 1 ]
		[[ $output == "container: '"*"': an image is NAME[:TAG]"* ]]
		store_empty
	done
	# The control: the same archive with a name docker takes loads.
	legacy "$T/ok.tar" ok/fine:1 "$T/up"
	run -0 "${C[@]}" load -i "$T/ok.tar"
	[ "$output" = "Loaded image: ok/fine:1" ]
}
