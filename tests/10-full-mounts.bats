#!/usr/bin/env bats
# 10-full mounts: every mount target is opened inside the container's root
# at the moment it is mounted, and mounted through that fd (resolve.c,
# mountfd.c). Each test plants symlinks to a host directory of its own,
# where a volume, an earlier run or the image would lead a path-based
# mount(2), and checks from the host that nothing was made or mounted
# there: the run either keeps everything inside, or refuses (125) naming
# the path.

load helpers
load container
bats_require_minimum_version 1.5.0

setup() {
	need_root
	[ -f "$RFS/.complete" ] || skip "no build/rootfs (run: make rootfs)"
	container_setup
	# The host directory the attacks aim at: it must stay empty.
	VICTIM="$BATS_TEST_TMPDIR/victim"
	mkdir "$VICTIM"
}

# Every container here is named after this file and its run.
NAME_PREFIX="mounts-$$-"
ctr() {
	"$CONTAINER" run --rm --name "$NAME_PREFIX$RANDOM" "$@"
}

# Every test leaves nothing of its containers behind (container.bash).
teardown() {
	container_teardown
}

# Fails, showing what, if anything exists under the victim dir, or the
# host's mount table names it.
victim_untouched() {
	local made
	made=$(find "$VICTIM" -mindepth 1)
	[ -z "$made" ] || { echo "made on the host: $made"; return 1; }
	! grep -F "$VICTIM" /proc/self/mountinfo || { echo "mounted on the host"; return 1; }
}

# The run kept everything inside (status 0, and $1 in its output), or
# refused (125) with one line naming $2.
inside_or_refused() {
	echo "status $status: $output"
	if [ "$status" -eq 125 ]; then
		[[ "${lines[0]}" == "container: "*"$2"* ]]
	else
		[ "$status" -eq 0 ] && [[ "$output" == *"$1"* ]]
	fi
}

@test "10-full mounts: a volume's symlink to a host dir cannot take a later volume, nor -w, out of the root" {
	mkdir "$BATS_TEST_TMPDIR/A" "$BATS_TEST_TMPDIR/B"
	echo in-B >"$BATS_TEST_TMPDIR/B/marker"
	echo a-file >"$BATS_TEST_TMPDIR/file"
	ln -s "$VICTIM" "$BATS_TEST_TMPDIR/A/link"
	# The control: on the host the link leads into the victim dir.
	[ "$(readlink -f "$BATS_TEST_TMPDIR/A/link/foo")" = "$VICTIM/foo" ]
	run ctr -v "$BATS_TEST_TMPDIR/A:/a" \
		-v "$BATS_TEST_TMPDIR/B:/a/link/foo" \
		-v "$BATS_TEST_TMPDIR/file:/a/link/file" -w /a/link/w \
		"$RFS" sh -c 'cat /a/link/foo/marker /a/link/file; pwd'
	inside_or_refused in-B /a/link
	victim_untouched
	# Inside, the link is followed as the container follows it: to
	# $VICTIM in the container's own root, where B and the file are.
	[ "$status" -ne 0 ] || [ "$output" = "in-B
a-file
$VICTIM/w" ]
}

@test "10-full mounts: a symlink planted in a volume by one run cannot lead the next run's volume out" {
	mkdir "$BATS_TEST_TMPDIR/A" "$BATS_TEST_TMPDIR/B"
	echo in-B >"$BATS_TEST_TMPDIR/B/marker"
	# Run 1, hostile: plants an absolute link and a relative one that
	# climbs far above the root, both aimed at the host's victim dir.
	run ctr -e "VICTIM=$VICTIM" -v "$BATS_TEST_TMPDIR/A:/a" "$RFS" \
		sh -c 'ln -s "$VICTIM" /a/abs && ln -s "../../../../../../../..$VICTIM" /a/rel'
	[ "$status" -eq 0 ]
	# The control: on the host both now lead to the victim dir.
	[ "$(readlink -f "$BATS_TEST_TMPDIR/A/abs")" = "$VICTIM" ]
	[ "$(readlink -f "$BATS_TEST_TMPDIR/A/rel")" = "$VICTIM" ]
	# Run 2, innocent: mounts a volume through each.
	for link in abs rel; do
		run ctr -v "$BATS_TEST_TMPDIR/A:/a" \
			-v "$BATS_TEST_TMPDIR/B:/a/$link/sub" "$RFS" \
			cat "/a/$link/sub/marker"
		victim_untouched
		inside_or_refused in-B "/a/$link"
	done
	# A link to the container's own "/" cannot put a volume over it.
	ln -s / "$BATS_TEST_TMPDIR/A/root"
	run ctr -v "$BATS_TEST_TMPDIR/A:/a" \
		-v "$BATS_TEST_TMPDIR/B:/a/root" "$RFS" true
	[ "$status" -eq 125 ]
	[[ "${lines[0]}" == "container: -v target /a/root leads to the container's / itself"* ]]
}

# An image of its own: build/rootfs, hard-linked (files are only removed
# or added, never written).
make_image() {
	IMG="$BATS_TEST_TMPDIR/image"
	cp -al "$RFS/." "$IMG" 2>/dev/null || cp -a "$RFS/." "$IMG"
}

@test "10-full mounts: an image whose /proc, /dev or /sys is a symlink to the host is refused; /dev/shm and /etc/hosts stay inside" {
	make_image
	for d in proc dev sys; do
		mkdir "$VICTIM/$d"
		mv "$IMG/$d" "$IMG/$d.real"
		ln -s "$VICTIM/$d" "$IMG/$d"
		run ctr "$IMG" true
		inside_or_refused never "/$d"
		[ "$status" -eq 125 ]
		rm "$IMG/$d"
		mv "$IMG/$d.real" "$IMG/$d"
		rmdir "$VICTIM/$d"
		victim_untouched
	done
	# /dev/shm and /etc/hosts: the runtime's /dev and the init layer
	# cover them; /proc works.
	mkdir "$VICTIM/shm"
	ln -s "$VICTIM/shm" "$IMG/dev/shm"
	rm -f "$IMG/etc/hosts"
	ln -s "$VICTIM/hosts" "$IMG/etc/hosts"
	run ctr -h box "$IMG" sh -c \
		'echo x > /dev/shm/x && grep -c box /etc/hosts && echo y >> /etc/hosts && grep -c ^Pid: /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$output" = "1
1" ]
	rmdir "$VICTIM/shm"
	victim_untouched
}

@test "10-full mounts: the early check names an image's symlinked /proc before anything is created" {
	make_image
	rmdir "$IMG/proc"
	ln -s "$VICTIM" "$IMG/proc"
	run -125 ctr "$IMG" true
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "container: ROOTFS $IMG: /proc is a symlink to $VICTIM; the runtime mounts its own /proc there and needs a directory" ]
	victim_untouched
}

@test "10-full mounts: without openat2 (strace makes it ENOSYS) the O_NOFOLLOW walk keeps the same targets inside" {
	command -v strace >/dev/null || skip "strace is not installed (apt-get install strace)"
	mkdir "$BATS_TEST_TMPDIR/A" "$BATS_TEST_TMPDIR/B"
	echo in-B >"$BATS_TEST_TMPDIR/B/marker"
	ln -s "$VICTIM" "$BATS_TEST_TMPDIR/A/abs"
	ln -s "../../../../../../../..$VICTIM" "$BATS_TEST_TMPDIR/A/rel"
	for link in abs rel; do
		run strace -f -qq -o "$BATS_TEST_TMPDIR/trace" -e trace=openat2 \
			-e inject=openat2:error=ENOSYS \
			"$CONTAINER" run --rm --name "$NAME_PREFIX$RANDOM" \
			-v "$BATS_TEST_TMPDIR/A:/a" \
			-v "$BATS_TEST_TMPDIR/B:/a/$link/sub" -w "/a/$link/w" \
			"$RFS" cat "/a/$link/sub/marker"
		victim_untouched
		inside_or_refused in-B "/a/$link"
		# The kernel's way was tried, refused, and not asked again.
		[ "$(grep -c 'openat2.*INJECTED' "$BATS_TEST_TMPDIR/trace")" -eq 1 ]
	done
}
