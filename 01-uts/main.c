/*
 * 01-uts/main.c - run a command with its own hostname.
 *
 *   sudo ./01-uts/uts --hostname box -- hostname      prints "box"
 *
 * Every lesson's main() is this one line: the lesson is the struct it
 * passes, and lesson_main() (lesson.c) runs it. Read uts.c next.
 */
#include "uts.h"

int main(int argc, char **argv)
{
	return lesson_main(&uts_lesson, argc, argv);
}
