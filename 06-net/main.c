/*
 * 06-net/main.c - a new network namespace: only lo, and a veth pair to the host.
 *
 * The lesson is the struct it passes; read net.c.
 */
#include "net.h"

int main(int argc, char **argv)
{
	return lesson_main(&net_lesson, argc, argv);
}
