#!/bin/sh
# 09-overlay/demo.sh - the notes' union-mount experiment, on overlayfs.
#
# Docker usage and internals ("AUFS实验") mounts
#   mount -t aufs -o dirs=./container-layer:./image-layer1:...:./image-layer4 none ./mnt
# then appends a line to mnt/image-layer4.txt and finds the change copied up
# into container-layer. Here the same layers become the root of a command:
#   overlay --layers image-layer1:...:image-layer4 --upper container-layer
# (`make -C 09-overlay demo`; needs root and `make rootfs`)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
demo="$(cd "$here/.." && pwd)/build/overlay-demo"
overlay="$here/overlay"

[ "$(id -u)" -eq 0 ] || { echo "demo: run it as root (sudo make -C 09-overlay demo)" >&2; exit 1; }
say() { printf '\n### %s\n' "$*"; }

rm -rf "$demo"
mkdir -p "$demo/container-layer"
echo "I am container layer" >"$demo/container-layer/container-layer.txt"
for n in 1 2 3 4; do
	mkdir -p "$demo/image-layer$n"
	echo "I am image layer$n" >"$demo/image-layer$n/image-layer$n.txt"
done
cd "$demo"

say "the layers, as in the notes (in $demo)"
for f in */*.txt; do echo "$f: $(cat "$f")"; done

say "inside: the union of all five, on top of build/rootfs; then we write and delete"
"$overlay" --layers image-layer1:image-layer2:image-layer3:image-layer4 \
	--upper container-layer --diff -- sh -c '
	ls /*.txt
	echo "write to mnt'"'"'s image-layer4.txt" >>/image-layer4.txt
	echo "--- /image-layer4.txt inside:"; cat /image-layer4.txt
	rm /image-layer1.txt
	echo "--- after rm /image-layer1.txt:"; ls /*.txt
	echo "--- docker diff of this container (printed after it exits):"'

say "image-layer4 is unchanged (the lower layers are read-only)"
cat image-layer4/image-layer4.txt

say "the change was copied up into container-layer"
cat container-layer/image-layer4.txt

say "the deletion is a whiteout: a 0/0 character device (aufs: .wh.image-layer1.txt)"
ls -l container-layer | grep image-layer1.txt
