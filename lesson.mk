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
# Makefile for them: code is linked, never copied.

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

OBJS := $(SRCS:.c=.o)

# Read LIB and USES from another lesson's Makefile.
field_of = $(shell sed -n 's/^$2 *:= *//p' ../$1/Makefile)
# All lessons reachable from the ones given, each once.
uses_all = $(sort $(foreach u,$1,$u $(call uses_all,$(call field_of,$u,USES))))
LINK := $(foreach u,$(call uses_all,$(USES)),$(addprefix ../$u/,$(call field_of,$u,LIB)))

# Only the rules below: make's built-in ones would try to rebuild this file.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

all: $(PROG)
	@: # (quiet when there is nothing to do)

$(PROG): $(OBJS) $(LINK)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# An object of an earlier lesson: let that lesson build it, with the same
# compiler and flags, so that its own dependency tracking stays in charge.
# (Asked with -q first: an object that is up to date says nothing.)
../%.o: FORCE
	@$(MAKE) --no-print-directory -C $(dir $@) -q $(notdir $@) || \
		$(MAKE) --no-print-directory -C $(dir $@) $(notdir $@)

%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -f $(PROG) *.o *.d $(EXTRA_CLEAN)

../lesson.mk: ;
FORCE:
.PHONY: all clean FORCE

-include $(OBJS:.o=.d)
