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
	cc -std=gnu11 -O2 -Wall -o "$BATS_FILE_TMPDIR/archive" \
		"$BATS_TEST_DIRNAME/10-full-archive.c" "$FULL/sha256.o"
}

setup() {
	A=$BATS_FILE_TMPDIR/archive
	T=$BATS_TEST_TMPDIR
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
