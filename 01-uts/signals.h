/*
 * 01-uts/signals.h - the stop signals around one run (signals.c says why).
 * Used by lesson.c only; lesson.h has what other lessons call.
 */
#ifndef SIGNALS_H
#define SIGNALS_H

/* Blocks the stop signals. The first call of a run also saves the
 * caller's mask and dispositions; a later one puts those dispositions
 * back (no forwarding to a child that is gone), signals still blocked. */
void stop_signals_hold(void);

/* After "go": the stop signals reach their handlers (03's forwarding);
 * without one, SIGINT and SIGQUIT are ignored, as system(3) does. */
void stop_signals_let_in(void);

/* The end of a run: the caller's dispositions and mask back. A stop
 * signal held until now takes effect (by default, it ends the program). */
void stop_signals_release(void);

#endif
