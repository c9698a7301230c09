#!/usr/bin/env bash
# 08-chroot/mkrootfs.sh - build a tiny root filesystem, offline.
#
#   08-chroot/mkrootfs.sh DIR                  (what `make rootfs` runs)
#   ROOTFS_TAR=image.tar.gz 08-chroot/mkrootfs.sh DIR
#   08-chroot/mkrootfs.sh --check DIR          is DIR still what we built?
#
# A rootfs is just a directory that holds everything a program needs once
# "/" means that directory: the program, the shared libraries it loads, the
# dynamic loader that loads them, and the few files they read (/etc/passwd).
# The notes build one by hand with cp and ldd (Docker usage and internals,
# "chroot"); this script does the same for a list of commands, so it needs no
# network and no image. With ROOTFS_TAR it unpacks a tarball instead (the
# output of `docker export`, say), then adds what the lessons expect.
#
# It builds into DIR.tmp-PID and renames that to DIR at the end, so DIR is
# either the old complete rootfs or the new complete one, and it writes
# DIR/.complete last: `make` rebuilds when the file is missing. Running it
# again rebuilds from scratch (it takes about a second).
#
# --check changes nothing: it exits 0 when DIR is complete, holds every
# command below, and its /dev is still empty; else it says what is wrong
# and exits 1 (`make rootfs` then rebuilds). A run that chroots into DIR
# shares it: before 08 mounted a /dev of its own, a command's
# `2>/dev/null` wrote a regular file DIR/dev/null, and every later run
# wrote into it instead of the null device.
set -euo pipefail
# An image's modes must not depend on the umask of whoever built it: with
# umask 077, / would be 0700 and an unprivileged root inside (a user
# namespace) could not even list it. Images are made with 022.
umask 022

# What lessons 08-10, their tests and their READMEs' exercises run inside
# (mv: 09's exercises; stty, od: 10's).
COMMANDS="sh ls cat echo ps mount umount hostname id ip ipcs sleep kill
	mkdir rm touch stat env grep head tail wc tr readlink ln chmod dd
	timeout true false uname mknod unshare swapoff ipcmk ping nproc seq
	printf test mv cp stty od"

die() { echo "mkrootfs: $*" >&2; exit 1; }

# --check DIR: 0 if DIR is a rootfs as this script builds it, else 1 with
# one line saying why.
check() {
	local cmd extra
	[ -f "$1/.complete" ] || { echo "mkrootfs: $1 is not built (no $1/.complete)" >&2; return 1; }
	for cmd in $COMMANDS chroot-escape; do
		[ -x "$1/bin/$cmd" ] || [ -x "$1/sbin/$cmd" ] || [ -n "${ROOTFS_TAR:-}" ] || {
			echo "mkrootfs: $1 has no $cmd (built by an older mkrootfs.sh)" >&2
			return 1
		}
	done
	extra=$(ls -A "$1/dev" 2>/dev/null | tr '\n' ' ')
	if [ -n "$extra" ]; then
		echo "mkrootfs: $1/dev holds ${extra% }: a run wrote into the shared rootfs" >&2
		return 1
	fi
	return 0
}

if [ "${1:-}" = --check ]; then
	[ $# -eq 2 ] || die "usage: $0 --check DIR"
	check "${2%/}"
	exit
fi

[ $# -eq 1 ] || die "usage: $0 DIR   (ROOTFS_TAR=file.tar[.gz] to unpack one)"
dest=${1%/}
here=$(cd "$(dirname "$0")" && pwd)
tmp="$dest.tmp-$$"
trap 'rm -rf "$tmp"' EXIT

# The escape helper (escape.c) goes into every rootfs.
make -s -C "$here" escape >/dev/null || die "cannot build $here/escape"

mkdir -p "$(dirname "$dest")"
rm -rf "$tmp"
mkdir "$tmp"

# Copies host file $1 to the same path in the rootfs, following symlinks
# (the rootfs gets the file itself, not a link into the host).
copy_in() {
	mkdir -p "$tmp$(dirname "$1")"
	cp -L --preserve=mode "$1" "$tmp$1"
}

# The path of command $1 on the host, as a file (not a shell builtin).
host_path() {
	local d
	for d in /usr/bin /usr/sbin /bin /sbin; do
		[ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

from_host() {
	local cmd path lib
	# The host's own layout (Debian merged /usr): /bin -> usr/bin and so
	# on. The paths ldd prints (/lib/x86_64-linux-gnu/libc.so.6, the
	# loader /lib64/ld-linux-x86-64.so.2 named inside every binary) then
	# land where the loader looks for them.
	mkdir -p "$tmp"/usr/bin "$tmp"/usr/sbin "$tmp"/usr/lib "$tmp"/usr/lib64
	for d in bin sbin lib lib64; do
		ln -s "usr/$d" "$tmp/$d"
	done
	for cmd in $COMMANDS; do
		path=$(host_path "$cmd") || die "command '$cmd' not found on the host"
		case $path in
		*/sbin/*) cp -L "$path" "$tmp/usr/sbin/$cmd" ;;
		*) cp -L "$path" "$tmp/usr/bin/$cmd" ;;
		esac
		# The notes' recipe: every absolute path ldd prints.
		for lib in $(ldd "$path" 2>/dev/null | grep -o '/[^ ]*'); do
			[ -e "$tmp$lib" ] || copy_in "$lib"
		done
	done
	mkdir -p "$tmp/etc"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		>"$tmp/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/etc/group"
	printf 'passwd: files\ngroup: files\nhosts: files\n' >"$tmp/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n::1 localhost\n' >"$tmp/etc/hosts"
}

from_tar() {
	[ -f "$ROOTFS_TAR" ] || die "ROOTFS_TAR '$ROOTFS_TAR' is not a file"
	# tar picks the decompressor from the contents (-a is for writing).
	tar -xf "$ROOTFS_TAR" -C "$tmp" --no-same-owner --exclude='./dev/*' \
		--exclude='dev/*' || die "cannot unpack $ROOTFS_TAR"
	[ -e "$tmp/bin/sh" ] || [ -L "$tmp/bin/sh" ] ||
		echo "mkrootfs: warning: $ROOTFS_TAR has no /bin/sh" >&2
}

if [ -n "${ROOTFS_TAR:-}" ]; then
	from_tar
else
	from_host
fi

# What every lesson expects: mount points for /proc, /sys, /dev, a /tmp
# (the escape helper chroots into it), and the escape helper itself.
for d in proc sys dev tmp etc root mnt; do
	mkdir -p "$tmp/$d"
done
chmod 1777 "$tmp/tmp"
chmod 700 "$tmp/root"
mkdir -p "$tmp/usr/bin"
[ -d "$tmp/bin" ] || ln -s usr/bin "$tmp/bin"
cp "$here/escape" "$tmp/bin/chroot-escape"
chmod 755 "$tmp/bin/chroot-escape"

touch "$tmp/.complete"
# Swap in the new tree (DIR may be in use; a test holding it open keeps
# its view of the old one).
if [ -e "$dest" ]; then
	mv "$dest" "$dest.old-$$"
	mv "$tmp" "$dest"
	rm -rf "$dest.old-$$"
else
	mv "$tmp" "$dest"
fi
echo "mkrootfs: $dest ready ($(du -sh "$dest" | cut -f1))"
