/*
 * 10-full/netearly.h - the container's network namespace, made by a
 * thread of the runtime while the run is being prepared.
 *
 * Read: unshare(2) CLONE_NEWNET, setns(2), pthread_create(3)
 */
#ifndef NETEARLY_H
#define NETEARLY_H

/* Starts a thread that makes a new network namespace, brings its lo up
 * and keeps an fd of it. Call with every signal the run holds blocked
 * (the thread inherits the mask). Never fails: without the thread (or if
 * it fails), netearly_join() returns -1 and clone() makes the namespace,
 * as before, saying what went wrong. */
void netearly_start(void);

/* Waits for the thread; returns the namespace's fd (close-on-exec), or -1
 * (no thread, or it failed). Call before anything forks or clones: a
 * child clone()d beside a live thread can hang in glibc (netearly.c). */
int netearly_join(void);

#endif
