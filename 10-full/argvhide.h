/* 10-full/argvhide.h - a supervisor's command line shows no argument of
 * run's (argvhide.c). */
#ifndef ARGVHIDE_H
#define ARGVHIDE_H

/* Moves every argument into memory of our own and points argv there, so
 * that argv_hide() may overwrite where the kernel put them. Call first
 * thing in main(). */
void argv_private(int argc, char **argv);

/* Overwrites the arguments the kernel shows in /proc/self/cmdline with
 * title (cut to their length). */
void argv_hide(const char *title);

#endif
