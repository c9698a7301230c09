/*
 * 05-user/main.c - a new user namespace: root inside, the caller outside.
 *
 *   ./05-user/user --hostname box -- sh -c 'id -u; hostname'   (no sudo)
 *
 * The 05-user program always makes a user namespace, even run by root;
 * 06-10 link the same lesson but make one only when not root, or when
 * asked with --userns. Read user.c.
 */
#include "user.h"

int main(int argc, char **argv)
{
	user_ns_always = true;
	return lesson_main(&user_lesson, argc, argv);
}
