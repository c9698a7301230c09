/*
 * 01-uts/child.h - the child's side of one run (child.c), as lesson.c
 * starts it. Internal to the engine: lessons use lesson.h.
 */
#ifndef LESSON_CHILD_H
#define LESSON_CHILD_H

#include "lesson.h"

#define MAX_CHAIN 16

/* What the child needs; clone() without CLONE_VM gives it a copy. */
struct run {
	const struct lesson *chain[MAX_CHAIN]; /* 01-uts first */
	int n;
	char **argv;
	int sync_fd;   /* the child's end of the pipe */
	int write_end; /* the parent's, which the child closes */
};

/* clone()'s entry point: waits for "go", runs the chain's child hooks,
 * execs. Never returns. */
int child_main(void *arg);

#endif
