/*
 * 10-full/idle.h - the supervisor, once its container runs: as small as
 * it can be while it waits.
 *
 * Read: madvise(2), proc(5) (smaps)
 */
#ifndef IDLE_H
#define IDLE_H

/* The supervisor's watch thread, once the command runs: gives back the
 * pages of our code (idle.c says why and which stay), then tells the
 * caller (`word` on `ready`, which it closes), moves our stdout and
 * stderr onto `null` (closed too; skipped when -1), and sleeps until
 * `wake` has a byte or ends. Nothing here fails: a failed step only
 * leaves a page mapped, or the caller told by its pipe's end. */
void idle_park(int ready, char word, int null, int wake);

#endif
