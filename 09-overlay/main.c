/*
 * 09-overlay/main.c - an overlay of image layers as the root filesystem.
 *
 * The lesson is the struct it passes; read overlay.c.
 */
#include "overlay.h"

int main(int argc, char **argv)
{
	return lesson_main(&overlay_lesson, argc, argv);
}
