# Build every lesson, the shared rootfs, and run the tests.
#
#   make                 build all lessons (CC=clang, WERROR= to relax)
#   make -C 03-pid       build one lesson and the earlier objects it links
#   make rootfs          build/rootfs for lessons 08-10, offline (checked, and
#                        rebuilt if a run changed it)
#   sudo make test       every lesson's tests (TAP, then a summary line)
#   sudo make test-03    one lesson's tests
#   sudo make bench      container run against unshare, bwrap, crun, runc
#   make doctor          what will work here, lesson by lesson (changes nothing)
#   make clean

LESSONS := $(patsubst %/Makefile,%,$(sort $(wildcard [0-9][0-9]-*/Makefile)))

all: $(LESSONS)

# Lessons build one after another: later ones build earlier objects.
.NOTPARALLEL:
$(LESSONS):
	@$(MAKE) --no-print-directory -C $@

# ROOTFS=DIR builds it elsewhere. Rebuilt when the script changes, and
# when `mkrootfs.sh --check` finds it is no longer what it built (a file a
# run wrote into its /dev, a command missing).
ROOTFS ?= build/rootfs
rootfs: $(ROOTFS)/.complete
	@08-chroot/mkrootfs.sh --check $(ROOTFS) || 08-chroot/mkrootfs.sh $(ROOTFS)
$(ROOTFS)/.complete: 08-chroot/mkrootfs.sh 08-chroot/escape.c
	08-chroot/mkrootfs.sh $(ROOTFS)

test: all $(if $(wildcard 08-chroot/mkrootfs.sh),rootfs)
	@tests/run tests/[0-9][0-9]-*.bats

test-%: all $(if $(wildcard 08-chroot/mkrootfs.sh),rootfs)
	@tests/run tests/$*-*.bats

bench: all rootfs
	@10-full/bench.sh

doctor:
	@tests/doctor

clean:
	for d in $(LESSONS); do $(MAKE) -C $$d clean; done
	@rm -rf build 2>/dev/null || { echo "make clean: build/ holds files root made (make rootfs, sudo make test, the 09 demo): sudo make clean removes them" >&2; exit 1; }

.PHONY: all rootfs test bench doctor clean $(LESSONS)
