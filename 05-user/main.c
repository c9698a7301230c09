/*
 * 05-user/main.c - a new user namespace: root inside, the caller outside.
 *
 * The lesson is the struct it passes; read user.c.
 */
#include "user.h"

int main(int argc, char **argv)
{
	return lesson_main(&user_lesson, argc, argv);
}
