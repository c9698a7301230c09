#!/usr/bin/env bats
# 10-full: the byte formats of images, each held against the standard
# tool that speaks it: sha256 against sha256sum, the tar writer and
# reader against GNU tar, the layer tars against the OCI image spec's
# whiteouts, gzip/DEFLATE against gzip. A driver (tests/10-full-archive.c)
# calls each library directly.

load helpers
bats_require_minimum_version 1.5.0

FULL="$BATS_TEST_DIRNAME/../10-full"

setup_file() {
	make -C "$ROOT/10-full" >&2
	full_build
	local o=$FULL/$FULL_OBJ
	$FULL_CC -std=gnu11 -O2 -Wall -o "$BATS_FILE_TMPDIR/archive" \
		"$BATS_TEST_DIRNAME/10-full-archive.c" "$o/sha256.o" "$o/sha256_ni.o" \
		"$o/tar_write.o" "$o/tar_read.o" "$o/tar_pax.o" \
		"$o/layer_pack.o" "$o/linkmap.o" "$o/layer_xattr.o" "$o/layer_unpack.o" "$o/layer_walk.o" \
		"$o/inflate.o" "$o/gunzip.o"
	cc -O2 -o "$BATS_FILE_TMPDIR/peakrss" "$FULL/peakrss.c"
}

# The trees on disk (/var/tmp): they carry user.* xattrs, which a tmpfs
# /tmp before Linux 6.6 cannot hold ("Operation not supported").
setup() {
	A=$BATS_FILE_TMPDIR/archive
	T=$(mktemp -d /var/tmp/lesson-archive.XXXXXX)
}

teardown() {
	kill_spawned
	rm -rf "$T"
}

# Everything a tree holds, one line a file: type, mode, owner, size,
# mtime (NS: %T@ with nanoseconds; else whole seconds), link target,
# xattrs, and for files their bytes' hash.
tree() {
	local d=$1 t=${2:-%T@} f
	(cd "$d" && find . -mindepth 1 -printf "%p %y %m %U:%G %s $t %l\n" |
		sort | while read -r f rest; do
			[ "${rest%% *}" = f ] && rest="$rest $(sha256sum <"$f" | cut -c1-16)"
			echo "$f $rest $("$A" xattr "$f" | tr '\n' ' ')"
		done)
}

# A tree with what ustar cannot hold: a name of 120+120+120 bytes, a
# symlink to it (a long link target), ids beyond 7 octal digits, an
# mtime with nanoseconds, an xattr, a hard link, a fifo.
make_tree() {
	local L
	L=$(printf 'x%.0s' {1..120})
	mkdir -p "$1/d/e" "$1/$L/$L"
	echo hi >"$1/d/f"
	ln "$1/d/f" "$1/d/hard"
	ln -s ../d/f "$1/d/sym"
	echo long >"$1/$L/$L/$L"
	ln -s "$L/$L/$L" "$1/longlink"
	mkfifo "$1/d/fifo"
	chown 3000000:4000000 "$1/d/f"
	chmod 4751 "$1/d/f"
	"$A" xattr "$1/d/f" user.comment "hello world"
	"$A" xattr "$1/d/e" user.empty ""
	touch -h -d '2020-01-02 03:04:05.123456789' "$1/d/e" "$1/d/sym" "$1/$L"
	# Before 1970, with a fraction: pax writes it as one negative
	# number, -5.000000003 (the writer once wrote -6.999999997).
	echo old >"$1/d/old"
	touch -d '@-5.000000003' "$1/d/old"
}

@test "sha256: the standard's test vectors" {
	[ "$(printf '' | $A sha256)" = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  -" ]
	[ "$(printf abc | $A sha256)" = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -" ]
	[ "$(printf abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq | $A sha256)" = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1  -" ]
	[ "$(head -c 1000000 /dev/zero | tr '\0' a | $A sha256)" = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0  -" ]
}

@test "sha256: as sha256sum, for random files of every length around a block's edges" {
	local n files=()
	for n in 0 1 55 56 57 63 64 65 119 120 127 128 129 1000 65535 65536 65537 1048583; do
		head -c "$n" /dev/urandom >"$T/r$n"
		files+=("$T/r$n")
	done
	diff <(sha256sum "${files[@]}") <($A sha256 "${files[@]}")
}

# sha256_ni.c: the SHA instructions, held against the portable C (-p)
# and sha256sum; where the CPU has them (sha_ni in /proc/cpuinfo) they
# must be what sha256 uses, else this test would hold C against C.
@test "sha256: the SHA instructions give the portable C's digests, vectors and random lengths" {
	local n files=() impl
	impl=$("$A" sha256-impl)
	if grep -qw sha_ni /proc/cpuinfo; then
		[ "$impl" = sha-ni ]
	else
		[ "$impl" = portable ]
	fi
	printf abc >"$T/abc"
	printf abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq >"$T/448"
	head -c 1000000 /dev/zero | tr '\0' a >"$T/million"
	files=("$T/abc" "$T/448" "$T/million")
	for n in 0 1 55 56 57 63 64 65 127 128 129 191 192 193 4095 4096 4097 65536 65599 1048583; do
		head -c "$n" /dev/urandom >"$T/r$n"
		files+=("$T/r$n")
	done
	[ "$("$A" sha256 "$T/abc" | cut -c1-64)" = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad ]
	diff <(sha256sum "${files[@]}") <("$A" sha256 "${files[@]}")
	diff <("$A" sha256 -p "${files[@]}") <("$A" sha256 "${files[@]}")
}

@test "tar: GNU tar reads what the writer writes (long names and links, big ids, nanoseconds, xattrs, hard links)" {
	need_root
	make_tree "$T/src"
	"$A" pack "$T/src" >"$T/l.tar"
	mkdir "$T/x"
	tar --xattrs --xattrs-include='*' -xpf "$T/l.tar" -C "$T/x"
	diff <(tree "$T/src") <(tree "$T/x")
	[ "$T/x/d/f" -ef "$T/x/d/hard" ]
	# And lists them as the writer meant them.
	tar --numeric-owner -tvf "$T/l.tar" | grep -E '^-rwsr-x--x 3000000/4000000 +3 .* d/f$'
	tar -tvf "$T/l.tar" | grep -E '^h.* d/hard link to d/f$'
}

@test "tar: sizes from 8 GiB up go in a pax header, and GNU tar and the reader both read them" {
	"$A" big 9663676416 >"$T/big.tar"
	tar -tvf "$T/big.tar" | grep -E ' 9663676416 .* big$'
	"$A" list "$T/big.tar" | grep -x '0 0644 0/0 9663676416 0.000000000 big'
}

@test "tar: the reader reads what GNU tar writes, as pax and as gnu (L/K long names, base-256 ids)" {
	need_root
	make_tree "$T/src"
	rm "$T/src/d/fifo"
	tar --format=pax --xattrs --xattrs-include='*' -cf "$T/pax.tar" -C "$T/src" .
	tar --format=gnu -cf "$T/gnu.tar" -C "$T/src" .
	# GNU's own long names and link targets: 'L' and 'K' headers.
	[ "$(grep -ao '././@LongLink' "$T/gnu.tar" | wc -l)" -ge 2 ]
	for fmt in pax gnu; do
		mkdir "$T/$fmt"
		"$A" unpack "$T/$fmt" <"$T/$fmt.tar"
	done
	# gnu has no nanoseconds, and here no xattrs; pax has both.
	diff <(tree "$T/src") <(tree "$T/pax")
	diff <(tree "$T/src" %Ts | sed 's/ user\..*$//; s/ *$//') \
		<(tree "$T/gnu" %Ts | sed 's/ *$//')
	[ "$T/gnu/d/f" -ef "$T/gnu/d/hard" ]
}

@test "layer: overlay's whiteouts and opaque dirs become .wh. files in the tar, and back; overlay's own xattrs are left out" {
	need_root
	mkdir -p "$T/up/etc" "$T/up/opq/new"
	mknod "$T/up/etc/gone" c 0 0
	"$A" xattr "$T/up/opq" trusted.overlay.opaque y
	"$A" xattr "$T/up/opq" trusted.overlay.origin junk
	"$A" xattr "$T/up/opq" user.overlay.redirect junk
	"$A" xattr "$T/up/opq" user.kept yes
	"$A" pack "$T/up" >"$T/l.tar"
	tar -tf "$T/l.tar" >"$T/names"
	grep -x 'etc/.wh.gone' "$T/names"
	grep -A1 -x 'opq/' "$T/names" | grep -x 'opq/.wh..wh..opq'
	[ -z "$(grep -x 'etc/gone' "$T/names")" ]
	"$A" list "$T/l.tar" >"$T/list"
	grep -x '  xattr user.kept=yes' "$T/list"
	[ -z "$(grep overlay "$T/list")" ]
	# Back: the whiteout and the opaque mark, nothing else of overlay's.
	mkdir "$T/back"
	"$A" unpack "$T/back" <"$T/l.tar"
	[ "$(stat -c '%F %t,%T' "$T/back/etc/gone")" = "character special file 0,0" ]
	[ "$("$A" xattr "$T/back/opq")" = "$(printf 'trusted.overlay.opaque=y\nuser.kept=yes')" ]
	[ ! -e "$T/back/etc/.wh.gone" ] && [ ! -e "$T/back/opq/.wh..wh..opq" ]
	# Rootless: the opaque mark is overlay's userxattr one.
	mkdir "$T/rl"
	"$A" unpack "$T/rl" -r <"$T/l.tar"
	"$A" xattr "$T/rl/opq" | grep -x 'user.overlay.opaque=y'
}

@test "layer: the same tree gives the same bytes (a fixed order), and unpack then pack gives them again" {
	need_root
	make_tree "$T/src"
	mknod "$T/src/d/gone" c 0 0
	"$A" xattr "$T/src/d" trusted.overlay.opaque y
	"$A" pack "$T/src" >"$T/1.tar"
	"$A" pack "$T/src" >"$T/2.tar"
	cmp "$T/1.tar" "$T/2.tar"
	mkdir "$T/back"
	"$A" unpack "$T/back" <"$T/1.tar"
	"$A" pack "$T/back" >"$T/3.tar"
	cmp "$T/1.tar" "$T/3.tar"
	diff <(tree "$T/src") <(tree "$T/back")
}

# refused TAR PATTERN: unpacking TAR into an empty dir fails with one line
# matching PATTERN, and nothing appears outside that dir.
refused() {
	rm -rf "$T/in"
	mkdir -p "$T/in" "$T/outside"
	run -1 "$A" unpack "$T/in" <"$1"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" =~ $2 ]]
	[ -z "$(ls -A "$T/outside")" ]
	[ ! -e /etc/pwned ] && [ ! -e /pwned ]
}

# list_refused TAR LINE: the reader refuses TAR with LINE alone, within
# 20 s (a hang is a failure too).
list_refused() {
	run timeout 20 "$A" list "$1"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "archive: $2" ]
}

# Headers no tar writer makes, found by a fuzzer (and made here by hand,
# `archive raw`): each must be refused with one line, never a crash or a
# hang. White space before a pax record's length: strtoul() skipped it,
# the length then ended the record before its own digits did, and
# memchr() searched ~SIZE_MAX bytes for its '=' (SIGSEGV or SIGBUS, in
# `container load` too). A size past what an off_t holds: the skip over
# the data was an lseek() backwards, to the same header, for ever, the
# list of entries growing (a GiB in 20 s).
@test "tar: hand-made headers are refused with one line, never a crash or a hang: a pax length after white space, a size past an off_t" {
	{
		{ printf '\n\n\n\n\n5 '; head -c 1000000 /dev/zero | tr '\0' a; } |
			"$A" raw PaxHeaders/f x
		echo hi | "$A" raw f 0
		head -c 1024 /dev/zero
	} >"$T/ws.tar"
	list_refused "$T/ws.tar" "tar: a malformed pax record"
	# `load` lists an archive before it looks for its manifest.
	run timeout 20 "$ROOT/10-full/container" --root "$T/r" load -i "$T/ws.tar"
	echo "$output"
	[ "$status" -eq 125 ]
	[ "$output" = "container: tar: a malformed pax record" ]
	{
		"$A" raw big 0 18446744073709551104 </dev/null
		head -c 1024 /dev/zero
	} >"$T/wrap.tar"
	list_refused "$T/wrap.tar" "tar: big: a size of 18446744073709551104 bytes"
	# The control: the same headers, honest, list.
	{ echo hi | "$A" raw f 0; head -c 1024 /dev/zero; } >"$T/ok.tar"
	[ "$("$A" list "$T/ok.tar")" = "0 0644 0/0 3 0.000000000 f" ]
}

# A layer's "d/" (a directory), then "d" again, a symlink out: the
# directory is gone, but its mode and times were set at the end, through
# the name, and fchmodat() follows a symlink. A user's `load` (rootless
# unpack, where the modes are set by us) made a file of theirs outside
# the store mode 0777 (a fuzzer's). A replaced directory keeps nothing.
@test "layer: a directory replaced by a symlink out has its mode set on nothing outside (rootless unpack)" {
	mkdir -p "$T/a/d" "$T/b" "$T/outside" "$T/in"
	chmod 777 "$T/a/d"
	echo v >"$T/outside/victim"
	chmod 600 "$T/outside/victim"
	ln -s "$T/outside/victim" "$T/b/d"
	tar -cf "$T/dt.tar" -C "$T/a" d
	tar -rf "$T/dt.tar" -C "$T/b" d
	tar -tvf "$T/dt.tar"
	run "$A" unpack "$T/in" -r <"$T/dt.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(readlink "$T/in/d")" = "$T/outside/victim" ] # the control: the link won
	[ "$(stat -c %a "$T/outside/victim")" = 600 ]
}

@test "layer: '..', absolute names, entries and hard links through a symlink, links to outside are refused, nothing written outside" {
	mkdir -p "$T/src/sub" "$T/evil"
	echo x >"$T/src/f"
	ln "$T/src/f" "$T/src/h"
	# GNU tar keeps what -P (--absolute-names) tells it to.
	tar -cPf "$T/dotdot.tar" -C "$T/src" --transform='s,^f$,../outside/pwned,' f
	refused "$T/dotdot.tar" "'\.\.' \(refused\)"
	tar -cPf "$T/deep.tar" -C "$T/src" --transform='s,^f$,sub/../../outside/pwned,' f
	refused "$T/deep.tar" "'\.\.' \(refused\)"
	tar -cPf "$T/abs.tar" -C "$T/src" --transform="s,^f\$,$T/outside/pwned," f
	refused "$T/abs.tar" "absolute name"
	# A symlink to outside, then an entry through it.
	ln -s "$T/outside" "$T/evil/s"
	mkdir "$T/evil/t" && echo x >"$T/evil/t/pwned"
	tar -cf "$T/through.tar" -C "$T/evil" s t/pwned --transform='s,^t/,s/,'
	tar -tvf "$T/through.tar"
	refused "$T/through.tar" "s: .*symlink"
	# The same with a relative link.
	ln -sfn ../outside "$T/evil/s"
	tar -cf "$T/through2.tar" -C "$T/evil" s t/pwned --transform='s,^t/,s/,'
	refused "$T/through2.tar" "s: .*symlink"
	# Hard links to outside: absolute, with '..', through a symlink.
	tar -cPf "$T/hl-abs.tar" -C "$T/src" f h --transform="s,^f\$,$T/outside/x,RS"
	refused "$T/hl-abs.tar" "absolute name"
	tar -cPf "$T/hl-dots.tar" -C "$T/src" f h --transform="s,^f\$,../outside/x,RS"
	refused "$T/hl-dots.tar" "'\.\.' \(refused\)"
	echo x >"$T/evil/f" && ln "$T/evil/f" "$T/evil/h"
	tar -cf "$T/hl-sym.tar" -C "$T/evil" s f h --transform="s,^f\$,s/x,RS"
	refused "$T/hl-sym.tar" "hard link|symlink"
}

@test "layer: devices other than whiteouts, over-long names, truncated and damaged archives are refused with one line" {
	need_root
	mkdir -p "$T/src"
	mknod "$T/src/null" c 1 3
	mknod "$T/src/sda" b 8 0
	tar -cf "$T/chr.tar" -C "$T/src" null
	refused "$T/chr.tar" "device node 1,3 \(refused"
	tar -cf "$T/blk.tar" -C "$T/src" sda
	refused "$T/blk.tar" "device node 8,0 \(refused"
	rm "$T/src/null" "$T/src/sda"
	echo x >"$T/src/f"
	# A component over NAME_MAX, and a name over PATH_MAX (pax, and GNU's L).
	tar --format=pax -cf "$T/name.tar" -C "$T/src" --transform="s,^f\$,$(printf 'n%.0s' {1..300}),"  f
	refused "$T/name.tar" "longer than 255 bytes"
	long=$(printf 'dir/%.0s' {1..1100})f
	tar --format=pax -cf "$T/path.tar" -C "$T/src" --transform="s,^f\$,$long," f
	refused "$T/path.tar" "a name of [0-9]+ bytes"
	tar --format=gnu -cf "$T/gnupath.tar" -C "$T/src" --transform="s,^f\$,$long," f
	refused "$T/gnupath.tar" "GNU long name of [0-9]+ bytes"
	# Truncated by hand: inside a file's data; at a header's edge, without
	# the end blocks; inside a header.
	head -c 100000 /dev/urandom >"$T/src/big"
	tar -cf "$T/good.tar" -C "$T/src" f big
	head -c 50000 "$T/good.tar" >"$T/cut.tar"
	refused "$T/cut.tar" "truncated"
	head -c 1536 "$T/good.tar" >"$T/edge.tar"
	refused "$T/edge.tar" "truncated"
	head -c 1000 "$T/good.tar" >"$T/mid.tar"
	refused "$T/mid.tar" "truncated"
	# A byte of a header changed: its checksum no longer matches.
	cp "$T/good.tar" "$T/flip.tar"
	printf 'X' | dd of="$T/flip.tar" bs=1 seek=1100 conv=notrunc status=none
	refused "$T/flip.tar" "bad checksum"
	# The good one unpacks.
	mkdir "$T/ok" && "$A" unpack "$T/ok" <"$T/good.tar" && cmp "$T/ok/big" "$T/src/big"
}

@test "layer: a dir named again and again is noted once: 50000 entries of one 2 KB name unpack in a few MiB" {
	# A hostile tester's 10 MB of gzip named one dir 400000 times with a
	# 4 KB name, and the unpack kept a copy of the name for each entry
	# (1.5 GB): each dir is noted once now (layer_walk.c). The old code
	# needs 100 MiB here.
	mkdir "$T/out"
	"$A" dirs 50000 10 200 >"$T/dirs.tar"
	run "$BATS_FILE_TMPDIR/peakrss" "$A" unpack "$T/out" <"$T/dirs.tar"
	echo "$output (ms, peak RSS KiB, CPU ms)"
	[ "$status" -eq 0 ]
	rss=$(echo "$output" | awk '{ print $2 }')
	[ "$rss" -lt 16384 ]
	[ -d "$T/out/$(printf 'd%.0s' {1..200})" ]
}

@test "layer: a name more than 1024 directories deep is refused, as commit and save refuse it; 1024 deep unpacks" {
	# Deeper, every entry cost a walk of its path one openat() at a
	# time: 50 s for a 230 KB layer of 20000 entries alternating
	# between two dirs 1500 deep. Commit and save stop at 1024 too.
	"$A" dirs 1 1026 >"$T/deep.tar"
	refused "$T/deep.tar" "more than 1024 directories deep \(refused\)"
	[ -z "$(ls -A "$T/in")" ]
	mkdir "$T/ok"
	"$A" dirs 1 1025 | "$A" unpack "$T/ok"
	[ "$(find "$T/ok" -mindepth 1025 -type d | wc -l)" -eq 1 ]
}

@test "gzip: inflates what gzip -1 .. -9 writes, random and repetitive, empty and several members" {
	head -c 300000 /dev/urandom >"$T/random"
	for i in $(seq 3000); do echo "line $i, the same words again and again"; done >"$T/text"
	: >"$T/empty"
	for f in random text empty; do
		for l in 1 2 3 4 5 6 7 8 9; do
			gzip -$l -c "$T/$f" | "$A" gunzip | cmp - "$T/$f"
		done
	done
	# Members one after another read as their contents one after another.
	cat <(gzip -c "$T/text") <(gzip -1 -c "$T/random") | "$A" gunzip |
		cmp - <(cat "$T/text" "$T/random")
	# A name and a comment in the header are skipped (gzip -N keeps the name).
	(cd "$T" && gzip -N -k text && "$A" gunzip <text.gz | cmp - text)
}

@test "gzip: a corrupt or truncated stream, and zstd, are refused with one line" {
	for i in $(seq 3000); do echo "line $i, the same words again and again"; done >"$T/text"
	gzip -c "$T/text" >"$T/ok.gz"
	n=$(stat -c %s "$T/ok.gz")
	head -c $((n - 4)) "$T/ok.gz" >"$T/short.gz"
	run -1 "$A" gunzip <"$T/short.gz"
	[[ "$output" =~ "gzip: truncated" ]]
	head -c $((n / 2)) "$T/ok.gz" >"$T/half.gz"
	run -1 "$A" gunzip <"$T/half.gz"
	[[ "$output" =~ "gzip: truncated" ]]
	# A byte of the compressed data changed: a bad code, or a CRC that
	# does not match, never silently other bytes.
	for at in 100 500 1000 2000; do
		cp "$T/ok.gz" "$T/bad.gz"
		printf '\xff' | dd of="$T/bad.gz" bs=1 seek=$at conv=notrunc status=none
		run "$A" gunzip <"$T/bad.gz"
		[ "$status" -eq 1 ]
		[[ "${lines[-1]}" =~ "gzip: corrupt" ]]
	done
	# The trailer's CRC changed.
	cp "$T/ok.gz" "$T/crc.gz"
	printf '\x00\x00' | dd of="$T/crc.gz" bs=1 seek=$((n - 8)) conv=notrunc status=none
	run -1 "$A" gunzip <"$T/crc.gz"
	[[ "$output" =~ "CRC-32 does not match" ]]
	# Garbage after the last member.
	{ cat "$T/ok.gz"; echo junk; } >"$T/junk.gz"
	run -1 "$A" gunzip <"$T/junk.gz"
	[[ "$output" =~ "bytes after the last member" ]]
	if command -v zstd >/dev/null; then
		zstd -q -c "$T/text" >"$T/text.zst"
		run -1 "$A" gunzip <"$T/text.zst"
		[ "$output" = "archive: gzip: not gzip (no 1f 8b at the start)" ]
	fi
}
