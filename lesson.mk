# lesson.mk - the build rules every lesson shares.
#
# A lesson Makefile names its program, its sources, the objects that later
# lessons may link (LIB), and the lesson it builds on (USES); then it
# includes this file:
#
#	PROG := pid
#	SRCS := pid.c main.c
#	LIB  := pid.o
#	USES := 02-ipc
#	include ../lesson.mk
#
# The program links its own objects plus the LIB of every lesson reachable
# through USES (02-ipc, and what 02-ipc uses, down to 01-uts). `make -C
# 03-pid` builds those earlier objects first, by asking each lesson's own
# Makefile for them (make -C ../01-uts lib): code is linked, never copied.

CC      ?= cc
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wmissing-prototypes $(WERROR)
# Option tables leave trailing fields out ({"init", 0, NULL, "...", NULL,
# &with_init} has no need to spell out the rest); C zeroes them.
CFLAGS  += -Wno-missing-field-initializers
CFLAGS  += -MMD -MP
LDFLAGS ?=
LDLIBS  ?=

# OBJDIR (default: none) puts the objects in a directory of their own:
# 10-full, built with musl, asks each earlier lesson for a second set of
# its objects, in musl/, beside the set its own program links (see
# 10-full/Makefile).
OBJDIR ?=
OBJS := $(addprefix $(OBJDIR),$(SRCS:.c=.o))

# Read LIB and USES ("LIB := a.o b.o", one line) from another lesson's
# Makefile with make's own functions, no shell: a process costs a lot
# where each one is slow to start (an emulated machine: .ci/v2-vm took 5
# minutes for a make with nothing to do, most of them in 800 seds). The
# file's lines become words: spaces and tabs turn into ^, newlines into
# spaces; the line that starts with the field is turned back.
empty :=
space := $(empty) $(empty)
tab := $(empty)	$(empty)
define newline


endef
lines_of = $(subst $(newline), ,$(subst $(tab),^,$(subst $(space),^,$(file <../$1/Makefile))))
line_of = $(subst :=, := ,$(subst ^, ,$(filter $2^% $2:=%,$(call lines_of,$1))))
field_of = $(if $(filter :=,$(word 2,$(call line_of,$1,$2))),$(wordlist 3,$(words $(call line_of,$1,$2)),$(call line_of,$1,$2)))
# All lessons reachable from the ones given, each once.
uses_all = $(sort $(foreach u,$1,$u $(call uses_all,$(call field_of,$u,USES))))
USED := $(call uses_all,$(USES))
LINK := $(foreach u,$(USED),$(addprefix ../$u/$(OBJDIR),$(call field_of,$u,LIB)))

# Built under sudo (`sudo make test-03` after an edit): each file goes back
# to whoever ran sudo, as if they had built it: one left to root stops
# their own next `make` (cc cannot write over it). A chown a plain user
# may not make (sudo -u): skipped.
give_back = $(if $(SUDO_UID),@chown $(SUDO_UID):$(SUDO_GID) $1 2>/dev/null || :)

# Only the rules below: make's built-in ones would try to rebuild this file.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

all: $(PROG)
	@: # (quiet when there is nothing to do)

$(PROG): $(OBJS) $(LINK)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS)
	$(AFTER_LINK)
	$(call give_back,$@)

# The objects of earlier lessons: each lesson builds its own (its target
# lib), with the same compiler and flags, so that its own dependency
# tracking stays in charge. One make per earlier lesson, not one per
# object, run without a shell: quiet when there is nothing to do. A
# compiler this Makefile chose itself (10-full's musl) goes with it.
$(LINK): earlier ;
earlier:
	$(foreach u,$(USED),@$(MAKE) --no-print-directory -C ../$u lib $(if $(OBJDIR),OBJDIR=$(OBJDIR) CC="$(CC)")$(newline))

lib: $(addprefix $(OBJDIR),$(LIB))
	@:

$(OBJDIR)%.o: %.c
	$(if $(OBJDIR),@mkdir -p $(OBJDIR))
	$(CC) $(CFLAGS) -c -o $@ $<
	$(call give_back,$@ $(@:.o=.d) $(OBJDIR))

clean:
	rm -f $(PROG) *.o *.d $(EXTRA_CLEAN)
	rm -rf musl

../lesson.mk: ;
.PHONY: all clean earlier lib

-include $(OBJS:.o=.d)
