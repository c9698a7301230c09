/*
 * 09-overlay/main.c - run a command on an overlay of image layers.
 *
 *   mkdir -p /tmp/up
 *   sudo ./09-overlay/overlay --layers L1:L2 --upper /tmp/up --diff sh
 *   make -C 09-overlay demo          the notes' aufs experiment, on overlayfs
 *
 * The lesson is the struct it passes; read overlay.c, layers.c, diff.c.
 */
#include "overlay.h"

int main(int argc, char **argv)
{
	return lesson_main(&overlay_lesson, argc, argv);
}
