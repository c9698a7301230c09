# lesson.mk - the build rules every lesson shares.
#
# A lesson Makefile names its program, its own sources and the earlier
# lessons' objects it links, then includes this file:
#
#	PROG := pid
#	SRCS := pid.c main.c
#	LINK := ../01-uts/lesson.o ../01-uts/uts.o ../02-ipc/ipc.o
#	include ../lesson.mk
#
# `make -C 03-pid` builds the objects it links from earlier lessons first,
# by asking each of those lessons' Makefiles for them (never by copying).

CC      ?= cc
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wmissing-prototypes $(WERROR)
CFLAGS  += -MMD -MP
LDFLAGS ?=
LDLIBS  ?=

OBJS := $(SRCS:.c=.o)

# Only the rules below: make's built-in ones would try to rebuild this file.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

all: $(PROG)

$(PROG): $(OBJS) $(LINK)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# An object of an earlier lesson: let that lesson build it, with the same
# compiler and flags, so that its own dependency tracking stays in charge.
../%.o: FORCE
	@$(MAKE) --no-print-directory -C $(dir $@) $(notdir $@)

%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -f $(PROG) *.o *.d $(EXTRA_CLEAN)

../lesson.mk: ;
FORCE:
.PHONY: all clean FORCE

-include $(OBJS:.o=.d)
