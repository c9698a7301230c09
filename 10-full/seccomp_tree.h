/*
 * 10-full/seccomp_tree.h - the seccomp filter's dispatch on the system
 * call number: a binary search over the sorted table of syscalls.c.
 *
 * Read: seccomp_tree.c; seccomp.c says what each answer is
 */
#ifndef SECCOMP_TREE_H
#define SECCOMP_TREE_H

#include <linux/filter.h>

/* Writes to out (room instructions) the code that, with the system call
 * number in A, ends in the answer syscall_table gives that number, and
 * ENOSYS for a number it does not name. Sets *len to its length and
 * *ranges to how many ranges of numbers it tells apart. Returns 0, or -1
 * after saying what failed (a number twice in the table, or no room). */
int seccomp_tree(struct sock_filter *out, unsigned room, unsigned *len,
		 unsigned *ranges);

/* Defined in seccomp.c: writes to out (when not NULL) the instructions
 * that end in the answer for verdict (an enum syscall_verdict), with the
 * number still in A, and returns how many they are. */
unsigned seccomp_answer(unsigned verdict, struct sock_filter *out);

#endif
